"""Lazy item models over the store (QAbstractTableModel paging by key)."""
