"""brat standoff: DOC.txt + DOC.ann and annotation.conf, read (reader, conf) and written (writer)."""
