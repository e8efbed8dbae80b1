"""Language switching through Qt Linguist.

Chinese is the source language: every ``tr()`` string in the code is the Chinese text, so Chinese
needs no catalogue of ours (only Qt's own ``qtbase_zh_CN`` for standard buttons and dialogs).
English comes from ``resources/translations/workstation_en.ts``. The binary ``.qm`` is never
committed or hand-edited: a build may place one next to the ``.ts``; otherwise it is compiled
with the ``lrelease`` that ships with PySide6 into a cache folder, on first use and whenever the
``.ts`` is newer.

Switching installs a new translator; Qt then sends ``QEvent.LanguageChange`` to every widget,
which re-sets its texts (see :func:`translate`). The translator is a named child of the
application rather than a module global, so tests and a second window see the same state.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import PySide6
from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QTranslator

from workstation.config import LANGUAGES, AppPaths
from workstation.errors import ValidationError, WorkstationError

__all__ = [
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "PACKAGE_DIR",
    "SOURCE_LANGUAGE",
    "TRANSLATIONS_DIR",
    "Message",
    "TranslationError",
    "compiled_catalog",
    "current_language",
    "install_language",
    "qt_tool",
    "translatable_sources",
    "translate",
    "ts_path",
    "unfinished_messages",
    "update_ts",
]

log = logging.getLogger(__name__)

SOURCE_LANGUAGE = "zh_CN"
# Each language is offered in its own words, so a clerk can find theirs whatever is showing.
LANGUAGE_NAMES = {"zh_CN": "中文", "en": "English"}
PACKAGE_DIR = Path(__file__).resolve().parent.parent
TRANSLATIONS_DIR = PACKAGE_DIR / "resources" / "translations"
CATALOG = "workstation"

_TRANSLATOR = "workstation_translator"
_QT_TRANSLATOR = "workstation_qt_translator"
_LANGUAGE_PROPERTY = "workstation_language"


class TranslationError(WorkstationError):
    pass


@dataclass(frozen=True)
class Message:
    context: str
    source: str


def translate(context: str, text: str) -> str:
    """``QCoreApplication.translate`` for strings kept as data (tab titles, column names) that
    were marked with ``QT_TRANSLATE_NOOP(context, …)`` where they are defined."""
    return QCoreApplication.translate(context, text)


def ts_path(language: str) -> Path:
    return TRANSLATIONS_DIR / f"{CATALOG}_{language}.ts"


def qt_tool(name: str) -> Path:
    """``lupdate``/``lrelease`` as shipped inside the PySide6 wheel (the ``pyside6-*`` entry
    points only wrap these), falling back to ``pyside6-<name>`` on ``PATH``."""
    folder = Path(PySide6.__file__).resolve().parent
    for candidate in (folder / name, folder / f"{name}.exe"):
        if candidate.is_file():
            return candidate
    found = shutil.which(f"pyside6-{name}") or shutil.which(name)
    if found:
        return Path(found)
    raise TranslationError(
        f"找不到 Qt 翻译工具 {name}（应随 PySide6 安装）",
        f"the Qt translation tool {name} was not found (it ships with PySide6)",
    )


def _default_cache_dir() -> Path:
    return AppPaths.default().data_dir / "translations"


def compiled_catalog(language: str, cache_dir: Path | None = None) -> Path:
    """The ``.qm`` for ``language``, compiled from its ``.ts`` when missing or out of date."""
    source = ts_path(language)
    if not source.is_file():
        raise TranslationError(
            f"缺少翻译文件 {source}", f"the translation source {source} is missing"
        )
    prebuilt = source.with_suffix(".qm")  # a packaged build may ship it next to the .ts
    if prebuilt.is_file() and prebuilt.stat().st_mtime >= source.stat().st_mtime:
        return prebuilt
    folder = cache_dir if cache_dir is not None else _default_cache_dir()
    target = folder / prebuilt.name
    if target.is_file() and target.stat().st_mtime >= source.stat().st_mtime:
        return target
    folder.mkdir(parents=True, exist_ok=True)
    # Compile to a temporary name and rename: two instances starting at once never read half.
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.stem}.", suffix=".qm")
    os.close(fd)
    try:
        result = subprocess.run(
            [str(qt_tool("lrelease")), "-silent", str(source), "-qm", tmp],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if result.returncode != 0 or Path(tmp).stat().st_size == 0:
            raise TranslationError(
                f"翻译文件编译失败：{result.stderr.strip()}",
                f"compiling the translations failed: {result.stderr.strip()}",
            )
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return target


def current_language(app: QCoreApplication) -> str:
    value = app.property(_LANGUAGE_PROPERTY)
    return value if isinstance(value, str) and value in LANGUAGES else SOURCE_LANGUAGE


def install_language(app: QCoreApplication, language: str, cache_dir: Path | None = None) -> None:
    """Show the UI in ``language`` (``"zh_CN"`` or ``"en"``) from now on.

    Removes the previously installed translators, then installs the new ones; every widget
    receives ``LanguageChange``. Raises :class:`TranslationError` if English cannot be loaded
    (the UI then stays Chinese) and :class:`ValidationError` for an unknown language."""
    if language not in LANGUAGES:
        raise ValidationError(
            "language", f"可选：{', '.join(LANGUAGES)}", f"one of {', '.join(LANGUAGES)}", language
        )
    installs: list[QTranslator] = []
    if language == SOURCE_LANGUAGE:
        # Qt's own strings (standard buttons, file dialogs) in Chinese; missing is harmless.
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        qt_own = QTranslator(app)
        qt_own.setObjectName(_QT_TRANSLATOR)
        if qt_own.load(f"qtbase_{language}", qt_dir):
            installs.append(qt_own)
        else:
            log.info("no Qt translation qtbase_%s in %s", language, qt_dir)
            qt_own.deleteLater()
    else:
        qm = compiled_catalog(language, cache_dir)  # before anything changes: may raise
        ours = QTranslator(app)
        ours.setObjectName(_TRANSLATOR)
        if not ours.load(str(qm)):
            ours.deleteLater()
            raise TranslationError(
                f"无法加载翻译 {qm}", f"the translation {qm} could not be loaded"
            )
        installs.append(ours)  # Qt's own strings are English already
    for name in (_TRANSLATOR, _QT_TRANSLATOR):
        for old in app.findChildren(QTranslator, name):
            if old not in installs:
                app.removeTranslator(old)
                old.setParent(None)
                old.deleteLater()
    app.setProperty(_LANGUAGE_PROPERTY, language)
    for translator in installs:
        app.installTranslator(translator)
    # Qt posts LanguageChange to each window; deliver it now, so every open widget shows the
    # new language when this returns (callers and tests need not spin the event loop).
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)


# -- keeping the .ts in step with the code (tools/update_translations.py, tests) ---------------
def translatable_sources(root: Path = PACKAGE_DIR) -> list[Path]:
    """Every file whose strings are shown through Qt: the ``ui`` package and ``app.py``."""
    files = sorted((root / "ui").rglob("*.py"))
    app = root / "app.py"
    if app.is_file():
        files.append(app)
    return files


def update_ts(
    ts: Path, sources: Sequence[Path], *, keep_obsolete: bool = False, language: str = "en"
) -> str:
    """Run ``lupdate`` over ``sources`` into ``ts``: new strings appear as unfinished,
    existing translations are kept. Returns lupdate's summary."""
    args = [
        str(qt_tool("lupdate")),
        "-silent",
        "-locations",
        "none",  # line numbers change with every edit; without them the .ts diffs stay readable
        "-source-language",
        SOURCE_LANGUAGE,
        "-target-language",
        language,
        *([] if keep_obsolete else ["-no-obsolete"]),
        *(str(p) for p in sources),
        "-ts",
        str(ts),
    ]
    result = subprocess.run(args, capture_output=True, text=True, timeout=300, check=False)
    if result.returncode != 0:
        raise TranslationError(
            f"lupdate 失败：{result.stderr.strip()}", f"lupdate failed: {result.stderr.strip()}"
        )
    return (result.stdout + result.stderr).strip()


def unfinished_messages(ts: Path) -> list[Message]:
    """Messages of ``ts`` still in use that have no finished translation."""
    root = ET.parse(ts).getroot()
    missing = []
    for context in root.iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            kind = translation.get("type", "") if translation is not None else "unfinished"
            if kind in ("obsolete", "vanished"):
                continue
            text = _translation_text(translation)
            if kind == "unfinished" or not text.strip():
                missing.append(Message(name, message.findtext("source", "")))
    return missing


def _translation_text(translation: ET.Element | None) -> str:
    if translation is None:
        return ""
    forms: Iterable[str] = (f.text or "" for f in translation.iter("numerusform"))
    return (translation.text or "") + "".join(forms)
