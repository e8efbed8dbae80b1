"""Dialogs: one module per dialog, each built from its collaborators."""
