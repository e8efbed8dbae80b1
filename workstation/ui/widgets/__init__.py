"""Reusable widgets shared by tabs and dialogs."""
