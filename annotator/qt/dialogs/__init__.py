"""Dialogs that gather a command's options."""
