"""Typed errors shared by services. ``ui/`` turns them into translated text.

Errors are typed by blame: :class:`ValidationError` is the user's input (show it next to the
field), :class:`ConflictError` is a concurrent change (reload and retry), anything else is ours.
"""

from __future__ import annotations

__all__ = ["ConflictError", "ValidationError", "WorkstationError"]


class WorkstationError(Exception):
    """Base class: every error carries a Chinese and an English message."""

    def __init__(self, message_zh: str, message_en: str) -> None:
        self.message_zh = message_zh
        self.message_en = message_en
        super().__init__(f"{message_zh} / {message_en}")


class ValidationError(WorkstationError, ValueError):
    """Bad input, named by field, rejected before anything is written or sent."""

    def __init__(self, field: str, reason_zh: str, reason_en: str, value: object = None) -> None:
        self.field = field
        self.value = value
        super().__init__(f"{field}：{reason_zh}", f"{field}: {reason_en}")


class ConflictError(WorkstationError):
    """Someone else changed the record first (optimistic locking) or it already exists."""
