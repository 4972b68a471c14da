"""brat standoff: DOC.txt + DOC.ann and annotation.conf; reader, conf, setup, writer."""
