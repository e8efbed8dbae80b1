"""Chinese source strings, English through Qt Linguist: every string is translated, and
switching the language really changes what widgets show, and back."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from workstation.config import AppPaths, Settings, SettingsStore
from workstation.errors import ValidationError
from workstation.secret_store import MemoryKeyring, SecretStore
from workstation.ui.dialogs.settings_dialog import SettingsDialog
from workstation.ui.i18n import (
    compiled_catalog,
    current_language,
    install_language,
    translatable_sources,
    translate,
    ts_path,
    unfinished_messages,
    update_ts,
)
from workstation.ui.tabs import TABS
from workstation.ui.tasks import TaskRunner


@pytest.fixture
def app(qapp: QApplication, tmp_path: Path) -> Iterator[QApplication]:
    """The shared application, left with no translators (as other tests expect)."""
    yield qapp
    for translator in qapp.findChildren(QTranslator):
        qapp.removeTranslator(translator)
        translator.deleteLater()
    qapp.setProperty("workstation_language", None)


def test_every_ui_string_has_a_finished_english_translation(tmp_path: Path) -> None:
    """Runs lupdate over the code into a copy of the .ts: a string added to the UI without an
    English translation fails here (fix: ``python tools/update_translations.py``, translate)."""
    ts = tmp_path / ts_path("en").name
    shutil.copyfile(ts_path("en"), ts)
    update_ts(ts, translatable_sources())
    missing = unfinished_messages(ts)
    listing = "\n".join(f"  [{m.context}] {m.source}" for m in missing)
    assert not missing, f"{len(missing)} string(s) have no English translation:\n{listing}"


def test_unfinished_entries_are_found(tmp_path: Path) -> None:
    ts = tmp_path / "sample_en.ts"
    ts.write_text(
        """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context><name>A</name>
  <message><source>好</source><translation>Good</translation></message>
  <message><source>新</source><translation type="unfinished"></translation></message>
  <message><source>空</source><translation></translation></message>
  <message><source>旧</source><translation type="vanished">Old</translation></message>
</context>
</TS>
""",
        encoding="utf-8",
    )
    assert [(m.context, m.source) for m in unfinished_messages(ts)] == [("A", "新"), ("A", "空")]


def test_switching_language_turns_tabs_and_dialogs_english_and_back(
    app: QApplication, qtbot: QtBot, tmp_path: Path
) -> None:
    paths = AppPaths(tmp_path / "config", tmp_path / "data")
    store = SettingsStore(paths, SecretStore(paths.secrets_dir, MemoryKeyring()))
    runner = TaskRunner()
    dialog = SettingsDialog(store, Settings(), runner)
    qtbot.addWidget(dialog)
    assert dialog.labels["app_id"].text() == "应用ID(&A)"
    assert dialog.save_button.text() == "保存(&S)"

    install_language(app, "en", cache_dir=tmp_path / "qm")
    assert current_language(app) == "en"
    titles = [translate("tabs", spec.title) for spec in TABS]
    assert titles[:5] == ["Enterprise", "Org chart", "Institutions", "Quotas", "Bills"]
    assert all(title.isascii() for title in titles), titles
    # The open dialog re-set its texts on LanguageChange.
    assert dialog.windowTitle() == "Settings"
    assert dialog.labels["app_id"].text() == "&App ID"
    assert dialog.pages.tabText(0) == "Alipa&y app"
    assert dialog.theme.itemText(0) == "Follow the system"
    assert QCoreApplication.translate("errors", "操作失败") == "Operation failed"

    install_language(app, "zh_CN")
    assert current_language(app) == "zh_CN"
    assert translate("tabs", TABS[0].title) == "企业"
    assert dialog.labels["app_id"].text() == "应用ID(&A)"
    assert dialog.theme.itemText(0) == "跟随系统"
    # Only Qt's own Chinese catalogue remains installed: ours is gone, not stacked.
    names = sorted(t.objectName() for t in app.findChildren(QTranslator))
    assert "workstation_translator" not in names
    runner.wait(5000)


def test_catalogue_is_compiled_once_and_again_when_the_ts_changes(tmp_path: Path) -> None:
    cache = tmp_path / "qm"
    qm = compiled_catalog("en", cache)
    assert qm.parent == cache and qm.stat().st_size > 0
    translator = QTranslator()
    assert translator.load(str(qm))
    assert translator.translate("tabs", "账单") == "Bills"

    built = qm.stat().st_mtime_ns
    assert compiled_catalog("en", cache).stat().st_mtime_ns == built  # up to date: kept
    source_time = ts_path("en").stat().st_mtime
    os.utime(qm, (source_time - 60, source_time - 60))  # as if the .ts were edited since
    assert compiled_catalog("en", cache).stat().st_mtime > source_time - 60
    assert not [p for p in cache.iterdir() if p.name.startswith(".")]  # no temp files left


def test_unknown_language_is_refused_and_nothing_changes(app: QApplication, tmp_path: Path) -> None:
    install_language(app, "en", cache_dir=tmp_path)
    with pytest.raises(ValidationError) as info:
        install_language(app, "fr", cache_dir=tmp_path)
    assert info.value.field == "language"
    assert current_language(app) == "en"
    assert translate("tabs", "账单") == "Bills"
