"""Plain articles: .txt files (txt) and CSV/TSV tables of articles (tables)."""
