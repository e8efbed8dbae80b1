"""``QT_TRANSLATE_NOOP`` typed as returning ``str``.

Qt Linguist's ``lupdate`` finds strings by the call's name, wherever it is imported from, so
tables of labels can be marked here and translated when shown; PySide6's stub types the result
as ``object``, which would force a cast at every use."""

from __future__ import annotations

from typing import TYPE_CHECKING

__all__ = ["QT_TRANSLATE_NOOP"]

if TYPE_CHECKING:

    def QT_TRANSLATE_NOOP(context: str, text: str) -> str: ...

else:
    from PySide6.QtCore import QT_TRANSLATE_NOOP
