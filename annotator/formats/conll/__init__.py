"""CoNLL 2003 / BIO / BILUO token files: the tag schemes (bio), reader and writer."""
