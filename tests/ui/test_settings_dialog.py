"""The settings dialog: every field checked before anything is written, the private key stored
encrypted and shown only by fingerprint, keychain failures reported without half-saving."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import keyring.errors
import pytest
from cryptography.hazmat.primitives import serialization
from keyring.backend import KeyringBackend
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from workstation.bootstrap import key_fingerprint
from workstation.config import AppPaths, Settings, SettingsStore
from workstation.keys import generate_key_pair, strip_pem
from workstation.secret_store import MemoryKeyring, SecretStore
from workstation.ui.dialogs.settings_dialog import MAX_KEY_FILE_BYTES, SettingsDialog
from workstation.ui.tasks import TaskRunner


@dataclass(frozen=True)
class Keys:
    pkcs1: str
    pkcs8: str
    alipay_public: str


@pytest.fixture(scope="module")
def keys() -> Keys:
    pair = generate_key_pair()
    key = serialization.load_pem_private_key(pair.private_pkcs1_pem.encode(), None)
    pkcs8 = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return Keys(pair.private_pkcs1_pem, pkcs8, generate_key_pair().public_spki_pem)


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    return AppPaths(config_dir=tmp_path / "config", data_dir=tmp_path / "data")


@pytest.fixture
def secrets(paths: AppPaths, memory_keyring: MemoryKeyring) -> SecretStore:
    return SecretStore(paths.secrets_dir, memory_keyring)


def open_dialog(
    qtbot: QtBot, store: SettingsStore, settings: Settings | None = None
) -> SettingsDialog:
    runner = TaskRunner()
    dialog = SettingsDialog(store, settings or Settings(), runner)
    runner.setParent(dialog)
    qtbot.addWidget(dialog)
    dialog.show()
    # The saved key's fingerprint is read off the GUI thread; wait for its answer.
    qtbot.waitUntil(lambda: "…" not in dialog.private_key_status.text(), timeout=5000)
    return dialog


def shown_texts(widget: QWidget) -> str:
    """Everything the dialog displays or holds in its fields, tooltips included."""
    parts = []
    for child in widget.findChildren(QWidget):
        parts.append(child.toolTip())
        if isinstance(child, QLabel | QLineEdit):
            parts.append(child.text())
        elif isinstance(child, QPlainTextEdit):
            parts.append(child.toPlainText())
    return "\n".join(parts)


def assert_nowhere_in_plain_text(folder: Path, secret_bodies: list[str]) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            text = path.read_bytes().decode("latin-1")
            assert "PRIVATE KEY" not in text, path
            for body in secret_bodies:
                for i in range(0, len(body) - 40, 40):
                    assert body[i : i + 40] not in text, path


def save(qtbot: QtBot, dialog: SettingsDialog) -> Settings:
    with qtbot.waitSignal(dialog.settings_saved, timeout=10_000) as blocker:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    saved = blocker.args[0]
    assert isinstance(saved, Settings)
    return saved


def test_a_saved_private_key_is_shown_only_by_its_fingerprint(
    qtbot: QtBot, paths: AppPaths, secrets: SecretStore, keys: Keys
) -> None:
    secrets.save_app_private_key(keys.pkcs1)
    dialog = open_dialog(qtbot, SettingsStore(paths, secrets), Settings(app_id="2021000000000001"))
    assert key_fingerprint(keys.pkcs1) in dialog.private_key_status.text()
    assert dialog.private_key.toPlainText() == ""
    texts = shown_texts(dialog)
    body = strip_pem(keys.pkcs1)
    assert all(body[i : i + 40] not in texts for i in range(0, len(body) - 40, 40))
    assert dialog.app_id.text() == "2021000000000001"


def test_everything_entered_is_saved_and_the_key_never_in_plain_text(
    qtbot: QtBot, paths: AppPaths, secrets: SecretStore, keys: Keys
) -> None:
    store = SettingsStore(paths, secrets)
    dialog = open_dialog(qtbot, store)
    assert "尚未保存" in dialog.private_key_status.text()
    qtbot.keyClicks(dialog.app_id, "2021000123456789")
    dialog.enterprise_id.setText("E2088000001")
    dialog.gateway_url.setText("http://127.0.0.1:8701/gateway.do")
    dialog.private_key.setPlainText(strip_pem(keys.pkcs8))  # one bare PKCS#8 line, as pasted
    assert key_fingerprint(keys.pkcs1) in dialog.private_key_status.text()
    dialog.public_key.setPlainText(strip_pem(keys.alipay_public))
    assert key_fingerprint(keys.alipay_public) in dialog.public_key_status.text()
    dialog.relay_url.setText("wss://relay.example.com/ws")
    dialog.relay_token.setText("tok-very-secret-123")
    dialog.intervals["bills"].setValue(30)
    dialog.backfill_days.setValue(30)
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.notice_bill_amount.setText("¥8,000")
    dialog.notice_quota_exhausted.setChecked(False)

    saved = save(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted and not dialog.isVisible()
    assert saved == store.load() == dialog.saved_settings
    assert saved.app_id == "2021000123456789" and saved.enterprise_id == "E2088000001"
    assert saved.alipay_public_key == keys.alipay_public  # normalised to SPKI PEM
    assert saved.relay_token == "tok-very-secret-123"
    assert (saved.sync.bills, saved.backfill_days) == (30, 30)
    assert (saved.language, saved.theme) == ("en", "dark")
    assert saved.notice_bill_amount == Decimal("8000.00") and not saved.notice_quota_exhausted
    assert secrets.load_app_private_key() == keys.pkcs1
    assert "tok-very-secret-123" not in paths.settings_file.read_text(encoding="utf-8")
    assert_nowhere_in_plain_text(
        paths.config_dir.parent, [strip_pem(keys.pkcs1), strip_pem(keys.pkcs8)]
    )


def test_every_invalid_field_is_marked_in_both_languages_and_nothing_is_saved(
    qtbot: QtBot, paths: AppPaths, secrets: SecretStore, keys: Keys, memory_keyring: MemoryKeyring
) -> None:
    dialog = open_dialog(qtbot, SettingsStore(paths, secrets))
    dialog.pages.setCurrentIndex(2)
    dialog.app_id.setText("12ab")
    dialog.gateway_url.setText("http://openapi.example.com/gateway.do")
    dialog.private_key.setPlainText(keys.alipay_public)  # a public key where the private goes
    dialog.public_key.setPlainText(keys.pkcs1)  # and the other way round
    dialog.relay_url.setText("ws://relay.example.com/ws")
    dialog.notice_bill_amount.setText("1.234")
    emitted: list[object] = []
    dialog.settings_saved.connect(emitted.append)

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    errors = dialog.error_texts()
    assert set(errors) == {
        "app_id",
        "gateway_url",
        "app_private_key",
        "alipay_public_key",
        "relay_url",
        "notice_bill_amount",
    }
    assert errors["app_id"].splitlines() == [
        "应用ID：应用 ID 应为 8–32 位数字",
        "App ID: app id must be 8–32 digits",
    ]
    assert (
        "应用私钥" in errors["app_private_key"] and "App private key" in errors["app_private_key"]
    )
    assert "可能粘贴了公钥" in errors["app_private_key"]
    assert "Alipay public key" in errors["alipay_public_key"]
    assert (
        "two decimal" in errors["notice_bill_amount"] or "2 decimal" in errors["notice_bill_amount"]
    )
    assert dialog.errors["app_id"].isVisible()
    assert "6" in dialog.summary.text() and dialog.summary.isVisible()
    # The first problem's page comes forward and its field takes the focus.
    assert dialog.pages.currentIndex() == 0
    assert dialog.focusWidget() is dialog.app_id
    dialog.runner.wait(2000)
    qtbot.wait(50)
    assert emitted == [] and dialog.isVisible()
    assert not paths.settings_file.exists()
    assert not secrets.key_file.exists()
    assert memory_keyring._values == {}

    # Fixing them saves, and the marks go away.
    dialog.app_id.setText("2021000123456789")
    dialog.gateway_url.setText("https://openapi.alipay.com/gateway.do")
    dialog.private_key.setPlainText(keys.pkcs8)
    assert not dialog.errors["app_private_key"].isVisible()
    dialog.public_key.setPlainText(keys.alipay_public)
    dialog.relay_url.setText("")
    dialog.notice_bill_amount.setText("1.23")
    saved = save(qtbot, dialog)
    assert dialog.error_texts() == {} and not dialog.summary.isVisible()
    assert saved.notice_bill_amount == Decimal("1.23")
    assert secrets.load_app_private_key() == keys.pkcs1


@pytest.mark.parametrize("form", ["pkcs8_pem", "pkcs1_der"])
def test_a_key_read_from_a_file_is_held_for_saving_but_never_shown(
    qtbot: QtBot, paths: AppPaths, secrets: SecretStore, keys: Keys, form: str
) -> None:
    path = paths.config_dir.parent / f"app_key.{form}"
    if form == "pkcs8_pem":
        path.write_text(keys.pkcs8, encoding="ascii")
    else:
        path.write_bytes(base64.b64decode(strip_pem(keys.pkcs1)))
    dialog = open_dialog(qtbot, SettingsStore(paths, secrets), Settings(app_id="2021000000000001"))
    assert dialog.load_private_key_file(path)
    assert dialog.private_key.toPlainText() == ""
    status = dialog.private_key_status.text()
    assert path.name in status and key_fingerprint(keys.pkcs1) in status
    body = strip_pem(keys.pkcs1)
    assert body[100:140] not in shown_texts(dialog)
    save(qtbot, dialog)
    assert secrets.load_app_private_key() == keys.pkcs1


def test_a_wrong_key_file_is_reported_and_changes_nothing(
    qtbot: QtBot, paths: AppPaths, secrets: SecretStore, keys: Keys, tmp_path: Path
) -> None:
    dialog = open_dialog(qtbot, SettingsStore(paths, secrets))
    public = tmp_path / "alipay_public.pem"
    public.write_text(keys.alipay_public, encoding="ascii")
    assert not dialog.load_private_key_file(public)
    assert "可能粘贴了公钥" in dialog.error_texts()["app_private_key"]
    assert dialog.pending_private_key() is None

    huge = tmp_path / "photo.jpg"
    huge.write_bytes(b"\xff" * (MAX_KEY_FILE_BYTES + 1))
    assert not dialog.load_private_key_file(huge)
    assert "too large" in dialog.error_texts()["app_private_key"]
    assert not dialog.load_private_key_file(tmp_path / "missing.pem")
    assert "cannot read" in dialog.error_texts()["app_private_key"]
    assert dialog.pending_private_key() is None

    assert dialog.load_public_key_file(public)
    assert dialog.public_key.toPlainText() == keys.alipay_public.strip()  # public: shown


class RefusingKeyring(KeyringBackend):
    """A keychain that is locked: reads find nothing, writes are refused."""

    priority = 1

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError("the keychain is locked")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.PasswordDeleteError(username)


def test_a_refusing_keychain_is_reported_and_nothing_is_half_saved(
    qtbot: QtBot, paths: AppPaths, keys: Keys
) -> None:
    secrets = SecretStore(paths.secrets_dir, RefusingKeyring())
    dialog = open_dialog(qtbot, SettingsStore(paths, secrets))
    dialog.app_id.setText("2021000123456789")
    dialog.private_key.setPlainText(keys.pkcs1)
    emitted: list[object] = []
    dialog.settings_saved.connect(emitted.append)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.findChild(QMessageBox, "error_box") is not None, timeout=5000)
    box = dialog.findChild(QMessageBox, "error_box")
    assert "钥匙串" in box.informativeText() and "keychain" in box.informativeText()
    assert dialog.save_button.isEnabled() and dialog.isVisible() and emitted == []
    assert not paths.settings_file.exists() and not secrets.key_file.exists()


def test_cancel_writes_nothing(qtbot: QtBot, paths: AppPaths, secrets: SecretStore) -> None:
    dialog = open_dialog(qtbot, SettingsStore(paths, secrets))
    dialog.app_id.setText("2021000123456789")
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert not paths.settings_file.exists()


def test_editing_a_marked_field_clears_its_mark(
    qtbot: QtBot, paths: AppPaths, secrets: SecretStore
) -> None:
    dialog = open_dialog(qtbot, SettingsStore(paths, secrets))
    dialog.app_id.setText("12ab")
    dialog.gateway_url.setText("ftp://x")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert set(dialog.error_texts()) == {"app_id", "gateway_url"}
    dialog.app_id.setFocus()
    qtbot.keyClick(dialog.app_id, Qt.Key.Key_Backspace)
    assert set(dialog.error_texts()) == {"gateway_url"}
