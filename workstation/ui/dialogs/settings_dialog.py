"""The settings dialog: the Alipay app and its keys, the relay, sync intervals, language,
theme and tray notices.

Everything is checked before anything is written: each invalid field gets its reason, in
Chinese and English, right under it, and nothing is saved until all are fixed. The app private
key is pasted or read from a file and goes only to the encrypted secret store; the dialog never
shows a saved private key, only its fingerprint. Saving (keychain and files) runs off the GUI
thread; on success the dialog emits ``settings_saved(Settings)`` and closes. Applying the new
language and theme is the caller's job (``install_language``, ``apply_theme``).
"""

from __future__ import annotations

import base64
from dataclasses import fields, replace
from decimal import Decimal
from pathlib import Path

import shiboken6
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workstation.bootstrap import (
    configuration_problems,
    key_fingerprint,
    save_configuration,
    saved_app_key_fingerprint,
)
from workstation.config import PRODUCTION_GATEWAY, Settings, SettingsStore, SyncIntervals
from workstation.errors import ValidationError
from workstation.keys import InvalidKeyError, normalize_private_key
from workstation.money import MoneyError, parse, yuan_str
from workstation.ui.errors import error_lines, show_error
from workstation.ui.i18n import LANGUAGE_NAMES
from workstation.ui.tasks import TaskRunner
from workstation.ui.theme import semantic_color

__all__ = ["FIELD_NAMES", "MAX_KEY_FILE_BYTES", "SettingsDialog", "read_key_file"]

MAX_KEY_FILE_BYTES = 64 * 1024  # a 4096-bit PEM is ~3 KB; anything this big is the wrong file

# Field names in both languages for error messages, which always show both (like error_lines).
FIELD_NAMES: dict[str, tuple[str, str]] = {
    "app_id": ("应用ID", "App ID"),
    "enterprise_id": ("企业ID", "Enterprise ID"),
    "gateway_url": ("网关地址", "Gateway URL"),
    "app_private_key": ("应用私钥", "App private key"),
    "alipay_public_key": ("支付宝公钥", "Alipay public key"),
    "relay_url": ("中继地址", "Relay URL"),
    "relay_token": ("中继令牌", "Relay token"),
    "backfill_days": ("历史回补天数", "Backfill days"),
    "language": ("语言", "Language"),
    "theme": ("外观", "Theme"),
    "notice_bill_amount": ("大额账单提醒金额", "Large-bill notice amount"),
    "notice_quota_exhausted": ("额度用尽提醒", "Quota-exhausted notice"),
    "sync.bills": ("账单同步间隔", "Bills sync interval"),
    "sync.org": ("组织架构同步间隔", "Org chart sync interval"),
    "sync.institutions": ("费控制度同步间隔", "Institutions sync interval"),
    "sync.quotas": ("额度同步间隔", "Quotas sync interval"),
    "sync.vouchers": ("凭证同步间隔", "Vouchers sync interval"),
    "sync.enterprise": ("企业信息同步间隔", "Enterprise sync interval"),
}

_PAGE_ALIPAY, _PAGE_SYNC, _PAGE_INTERFACE = range(3)
_THEME_KEYS = ("system", "light", "dark")


def read_key_file(path: Path) -> str:
    """A key file's content as text: PEM or base64 text as is, binary DER as base64 (which
    ``normalize_private_key``/``normalize_public_key`` accept)."""
    field = "app_private_key"
    try:
        size = path.stat().st_size
        if size > MAX_KEY_FILE_BYTES:
            raise ValidationError(
                field,
                f"文件过大（{size} 字节），不是密钥文件",
                f"the file is too large ({size} bytes) to be a key file",
                str(path),
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError(
            field,
            f"无法读取文件：{exc.strerror}",
            f"cannot read the file: {exc.strerror}",
            str(path),
        ) from exc
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        return base64.b64encode(data).decode()  # DER
    return text.lstrip("\ufeff")


def _reason(exc: ValidationError) -> tuple[str, str]:
    """The reason without the ``field：`` prefix ValidationError adds (we name the field)."""
    zh = exc.message_zh.removeprefix(f"{exc.field}：")
    en = exc.message_en.removeprefix(f"{exc.field}: ")
    return zh, en


def error_text(exc: ValidationError) -> str:
    """``应用ID：reason`` on one line, ``App ID: reason`` on the next."""
    zh_name, en_name = FIELD_NAMES.get(exc.field, (exc.field, exc.field))
    zh, en = _reason(exc)
    return f"{zh_name}：{zh}\n{en_name}: {en}"


class SettingsDialog(QDialog):
    """Edit and save the clerk's :class:`Settings` (see the module docstring).

    ``store`` writes ``settings.json`` and, through ``store.secrets``, the keychain and the
    encrypted private key; ``settings`` is what is in effect now (including the relay token);
    ``runner`` runs keychain access off the GUI thread."""

    settings_saved = Signal(object)  # the saved, validated Settings

    def __init__(
        self,
        store: SettingsStore,
        settings: Settings,
        runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settings_dialog")
        self.store = store
        self.initial = settings
        self.runner = runner
        self.saved_settings: Settings | None = None
        # What the saved private key's fingerprint lookup found: None = still reading,
        # "" = no key saved, otherwise the fingerprint; or the failure as (中文, English).
        self._saved_key: str | None = None
        self._saved_key_error: tuple[str, str] | None = None
        self._file_key: tuple[str, str] | None = None  # (file name, key text) not shown on screen
        self._saving = False
        self._problem_count = 0

        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.pages = QTabWidget(self)
        self.pages.setObjectName("settings_pages")
        self.labels: dict[str, QLabel] = {}
        self.errors: dict[str, QLabel] = {}
        self.field_widgets: dict[str, tuple[int, QWidget]] = {}

        # -- Alipay app --------------------------------------------------------------------
        alipay = QWidget(self.pages)
        form = self._form(alipay)
        self.app_id = QLineEdit(settings.app_id, alipay)
        self.app_id.setObjectName("app_id")
        self.app_id.setPlaceholderText("2021000123456789")
        self._add_row(form, _PAGE_ALIPAY, "app_id", self.app_id)
        self.enterprise_id = QLineEdit(settings.enterprise_id, alipay)
        self.enterprise_id.setObjectName("enterprise_id")
        self._add_row(form, _PAGE_ALIPAY, "enterprise_id", self.enterprise_id)
        self.gateway_url = QLineEdit(settings.gateway_url, alipay)
        self.gateway_url.setObjectName("gateway_url")
        self.gateway_url.setPlaceholderText(PRODUCTION_GATEWAY)
        self._add_row(form, _PAGE_ALIPAY, "gateway_url", self.gateway_url)

        self.private_key = QPlainTextEdit(alipay)
        self.private_key.setObjectName("app_private_key")
        self.private_key.setFont(mono)
        self.private_key.setTabChangesFocus(True)
        self.private_key.setFixedHeight(96)
        self.private_key.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.private_key_status = QLabel(alipay)
        self.private_key_status.setObjectName("app_private_key_status")
        self.private_key_status.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.private_key_file = QPushButton(alipay)
        self.private_key_file.setObjectName("app_private_key_file")
        self.private_key_file.clicked.connect(self.on_private_key_file_requested)
        self._add_row(
            form,
            _PAGE_ALIPAY,
            "app_private_key",
            self.private_key,
            self._beside(alipay, self.private_key_status, self.private_key_file),
        )

        self.public_key = QPlainTextEdit(settings.alipay_public_key, alipay)
        self.public_key.setObjectName("alipay_public_key")
        self.public_key.setFont(mono)
        self.public_key.setTabChangesFocus(True)
        self.public_key.setFixedHeight(96)
        self.public_key.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.public_key_status = QLabel(alipay)
        self.public_key_status.setObjectName("alipay_public_key_status")
        self.public_key_file = QPushButton(alipay)
        self.public_key_file.setObjectName("alipay_public_key_file")
        self.public_key_file.clicked.connect(self.on_public_key_file_requested)
        self._add_row(
            form,
            _PAGE_ALIPAY,
            "alipay_public_key",
            self.public_key,
            self._beside(alipay, self.public_key_status, self.public_key_file),
        )
        self.pages.addTab(alipay, "")

        # -- relay and sync ----------------------------------------------------------------
        sync_page = QWidget(self.pages)
        form = self._form(sync_page)
        self.relay_url = QLineEdit(settings.relay_url, sync_page)
        self.relay_url.setObjectName("relay_url")
        self.relay_url.setPlaceholderText("wss://relay.example.com/ws")
        self._add_row(form, _PAGE_SYNC, "relay_url", self.relay_url)
        self.relay_token = QLineEdit(settings.relay_token, sync_page)
        self.relay_token.setObjectName("relay_token")
        self.relay_token.setEchoMode(QLineEdit.EchoMode.Password)
        self._add_row(form, _PAGE_SYNC, "relay_token", self.relay_token)
        self.intervals: dict[str, QSpinBox] = {}
        for f in fields(SyncIntervals):
            spin = QSpinBox(sync_page)
            spin.setObjectName(f"sync_{f.name}")
            spin.setRange(SyncIntervals.MIN, SyncIntervals.MAX)
            spin.setValue(getattr(settings.sync, f.name))
            spin.setAccelerated(True)
            spin.setMaximumWidth(200)
            self.intervals[f.name] = spin
            self._add_row(form, _PAGE_SYNC, f"sync.{f.name}", spin)
        self.backfill_days = QSpinBox(sync_page)
        self.backfill_days.setObjectName("backfill_days")
        self.backfill_days.setRange(1, 3650)
        self.backfill_days.setValue(settings.backfill_days)
        self.backfill_days.setMaximumWidth(200)
        self._add_row(form, _PAGE_SYNC, "backfill_days", self.backfill_days)
        self.pages.addTab(sync_page, "")

        # -- interface and notices ---------------------------------------------------------
        ui_page = QWidget(self.pages)
        form = self._form(ui_page)
        self.language = QComboBox(ui_page)
        self.language.setObjectName("language")
        for key, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, key)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        self._add_row(form, _PAGE_INTERFACE, "language", self.language)
        self.theme = QComboBox(ui_page)
        self.theme.setObjectName("theme")
        for key in _THEME_KEYS:
            self.theme.addItem("", key)
        self.theme.setCurrentIndex(max(0, self.theme.findData(settings.theme)))
        self._add_row(form, _PAGE_INTERFACE, "theme", self.theme)
        self.notice_bill_amount = QLineEdit(yuan_str(settings.notice_bill_amount), ui_page)
        self.notice_bill_amount.setObjectName("notice_bill_amount")
        self.notice_bill_amount.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.notice_bill_amount.setMaximumWidth(180)
        self._add_row(form, _PAGE_INTERFACE, "notice_bill_amount", self.notice_bill_amount)
        self.notice_quota_exhausted = QCheckBox(ui_page)
        self.notice_quota_exhausted.setObjectName("notice_quota_exhausted")
        self.notice_quota_exhausted.setChecked(settings.notice_quota_exhausted)
        self._add_row(form, _PAGE_INTERFACE, "notice_quota_exhausted", self.notice_quota_exhausted)
        self.pages.addTab(ui_page, "")

        # -- bottom --------------------------------------------------------------------------
        self.summary = QLabel(self)
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.summary.hide()
        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("save_button")
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setObjectName("cancel_button")
        self.save_button.clicked.connect(self.on_save_requested)
        self.cancel_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)

        self.private_key.textChanged.connect(self.on_private_key_edited)
        self.public_key.textChanged.connect(self._render_key_status)
        self.public_key.textChanged.connect(lambda: self._clear_error("alipay_public_key"))
        self.retranslate()
        self.resize(680, 620)
        self._load_saved_key_fingerprint()

    # -- building ------------------------------------------------------------------------
    def _form(self, page: QWidget) -> QFormLayout:
        outer = QVBoxLayout(page)
        form = QFormLayout()
        outer.addLayout(form)
        outer.addStretch(1)  # spare height goes below the fields, not between them
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        return form

    def _beside(self, parent: QWidget, status: QLabel, button: QPushButton) -> QWidget:
        row = QWidget(parent)
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(status, 1)
        box.addWidget(button)
        return row

    def _add_row(
        self, form: QFormLayout, page: int, key: str, widget: QWidget, extra: QWidget | None = None
    ) -> None:
        """A labelled field with an error line under it (hidden until the field is invalid)."""
        parent = widget.parentWidget()
        label = QLabel(parent)
        label.setObjectName(f"{key}_label")
        label.setBuddy(widget)
        self.labels[key] = label
        error = QLabel(parent)
        error.setObjectName(f"{key}_error".replace(".", "_"))
        error.setWordWrap(True)
        error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        error.hide()
        self.errors[key] = error
        self.field_widgets[key] = (page, widget)
        if isinstance(widget, QLineEdit):  # an edited field drops its old complaint
            widget.textEdited.connect(lambda _text, key=key: self._clear_error(key))
        column = QWidget(parent)
        box = QVBoxLayout(column)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(widget)
        if extra is not None:
            box.addWidget(extra)
        box.addWidget(error)
        form.addRow(label, column)

    # -- texts ---------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        elif event.type() == QEvent.Type.PaletteChange:
            self._recolor_errors()  # the error red is picked for light or dark backgrounds
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Set every text; runs again when the application language changes."""
        self.setWindowTitle(self.tr("设置"))
        self.pages.setTabText(_PAGE_ALIPAY, self.tr("支付宝应用(&Y)"))
        self.pages.setTabText(_PAGE_SYNC, self.tr("同步与中继(&N)"))
        self.pages.setTabText(_PAGE_INTERFACE, self.tr("界面与提醒(&U)"))
        texts = {
            "app_id": self.tr("应用ID(&A)"),
            "enterprise_id": self.tr("企业ID(&E)"),
            "gateway_url": self.tr("网关地址(&G)"),
            "app_private_key": self.tr("应用私钥(&K)"),
            "alipay_public_key": self.tr("支付宝公钥(&P)"),
            "relay_url": self.tr("中继地址(&R)"),
            "relay_token": self.tr("中继令牌(&T)"),
            "sync.bills": self.tr("账单同步间隔(&B)"),
            "sync.org": self.tr("组织架构同步间隔(&O)"),
            "sync.institutions": self.tr("费控制度同步间隔(&I)"),
            "sync.quotas": self.tr("额度同步间隔(&Q)"),
            "sync.vouchers": self.tr("凭证同步间隔(&V)"),
            "sync.enterprise": self.tr("企业信息同步间隔(&E)"),
            "backfill_days": self.tr("历史回补天数(&D)"),
            "language": self.tr("语言(&L)"),
            "theme": self.tr("外观(&H)"),
            "notice_bill_amount": self.tr("大额账单提醒(&B)"),
            "notice_quota_exhausted": self.tr("额度提醒"),
        }
        for key, text in texts.items():
            self.labels[key].setText(text)
        self.enterprise_id.setPlaceholderText(self.tr("企业码开通后支付宝分配的企业ID"))
        self.private_key.setPlaceholderText(
            self.tr("粘贴应用私钥（PKCS#1 或 PKCS#8，PEM 或一行 Base64）；留空则保留已保存的私钥")
        )
        self.public_key.setPlaceholderText(self.tr("粘贴支付宝公钥（不是应用公钥）"))
        self.private_key_file.setText(self.tr("从文件读取(&F)…"))
        self.public_key_file.setText(self.tr("从文件读取(&M)…"))
        self.relay_token.setPlaceholderText(self.tr("中继服务器分配的访问令牌"))
        seconds = self.tr(" 秒")
        for spin in self.intervals.values():
            spin.setSuffix(seconds)
        self.backfill_days.setSuffix(self.tr(" 天"))
        theme_names = {
            "system": self.tr("跟随系统"),
            "light": self.tr("浅色"),
            "dark": self.tr("深色"),
        }
        for index, key in enumerate(_THEME_KEYS):
            self.theme.setItemText(index, theme_names[key])
        self.notice_bill_amount.setPlaceholderText(self.tr("元"))
        self.notice_bill_amount.setToolTip(
            self.tr("新账单金额达到此数（元）时在托盘提醒；0 表示每笔都提醒")
        )
        self.notice_quota_exhausted.setText(self.tr("额度用尽时在托盘提醒(&X)"))
        self.save_button.setText(self.tr("保存(&S)"))
        self.cancel_button.setText(self.tr("取消"))
        self._render_key_status()
        self._render_summary()

    def _render_key_status(self) -> None:
        """The saved/new private key and the public key, by fingerprint only."""
        pasted = self.private_key.toPlainText().strip()
        new_print = _fingerprint_or_none(pasted) if pasted else None
        if pasted and new_print is not None:
            text = self.tr("新私钥指纹 %1（保存后替换已保存的私钥）").replace("%1", new_print)
        elif self._file_key is not None:
            name, key_text = self._file_key
            text = (
                self.tr("已从文件 %1 读取新私钥，指纹 %2（保存后生效）")
                .replace("%1", name)
                .replace("%2", _fingerprint_or_none(key_text) or "?")
            )
        elif self._saved_key_error is not None:
            text = "\n".join(self._saved_key_error)
        elif self._saved_key is None:
            text = self.tr("正在读取已保存的私钥…")
        elif self._saved_key:
            text = self.tr("已保存，指纹 %1").replace("%1", self._saved_key)
        else:
            text = self.tr("尚未保存应用私钥")
        self.private_key_status.setText(text)

        public = self.public_key.toPlainText().strip()
        public_print = _fingerprint_or_none(public) if public else None
        if not public:
            self.public_key_status.setText(self.tr("尚未填写支付宝公钥"))
        elif public_print is None:
            self.public_key_status.setText(self.tr("无法识别的公钥"))
        else:
            self.public_key_status.setText(self.tr("公钥指纹 %1").replace("%1", public_print))

    # -- the saved key -------------------------------------------------------------------
    def _load_saved_key_fingerprint(self) -> None:
        secrets = self.store.secrets
        if secrets is None:
            self._saved_key = ""
            self._render_key_status()
            return
        self.runner.run(
            lambda: saved_app_key_fingerprint(secrets) or "",
            self._on_saved_key_read,
            self._on_saved_key_failed,
        )

    def _on_saved_key_read(self, fingerprint: str) -> None:
        if shiboken6.isValid(self):  # the dialog may have been closed meanwhile
            self._saved_key = fingerprint
            self._render_key_status()

    def _on_saved_key_failed(self, exc: BaseException) -> None:
        if shiboken6.isValid(self):
            self._saved_key_error = error_lines(exc)
            self._render_key_status()

    # -- key entry -----------------------------------------------------------------------
    def on_private_key_edited(self) -> None:
        if self.private_key.toPlainText().strip():
            self._file_key = None  # what is pasted now wins over an earlier file
        self._clear_error("app_private_key")
        self._render_key_status()

    def on_private_key_file_requested(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("选择应用私钥文件"),
            "",
            self.tr("密钥文件 (*.pem *.key *.txt *.der);;所有文件 (*)"),
        )
        if path:
            self.load_private_key_file(Path(path))

    def on_public_key_file_requested(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("选择支付宝公钥文件"),
            "",
            self.tr("密钥文件 (*.pem *.crt *.txt *.der);;所有文件 (*)"),
        )
        if path:
            self.load_public_key_file(Path(path))

    def load_private_key_file(self, path: Path) -> bool:
        """Read a private key file; the key is held for saving but never shown. A bad file is
        reported next to the field and changes nothing."""
        try:
            text = read_key_file(path)
            normalize_private_key(text)
        except ValidationError as exc:
            self._show_error("app_private_key", exc)
            return False
        except InvalidKeyError as exc:
            self._show_error(
                "app_private_key",
                ValidationError("app_private_key", exc.message_zh, exc.message_en),
            )
            return False
        self.private_key.clear()
        self._file_key = (path.name, text)
        self._clear_error("app_private_key")
        self._render_key_status()
        return True

    def load_public_key_file(self, path: Path) -> bool:
        """Read the Alipay public key from a file into its (visible: it is public) field."""
        try:
            text = read_key_file(path)
        except ValidationError as exc:
            self._show_error("alipay_public_key", replace_field(exc, "alipay_public_key"))
            return False
        self.public_key.setPlainText(text.strip())
        self._clear_error("alipay_public_key")
        return True

    def pending_private_key(self) -> str | None:
        """The new private key to save (pasted or from a file), or ``None`` to keep the saved."""
        pasted = self.private_key.toPlainText().strip()
        if pasted:
            return pasted
        return self._file_key[1] if self._file_key is not None else None

    # -- collecting and saving -----------------------------------------------------------
    def collect(self) -> tuple[Settings, list[ValidationError]]:
        """The settings the form describes, and every problem with them (empty when valid)."""
        problems: list[ValidationError] = []
        amount_text = self.notice_bill_amount.text().strip() or "0"
        amount: Decimal = self.initial.notice_bill_amount
        try:
            amount = parse(amount_text, field="notice_bill_amount")
        except MoneyError as exc:
            problems.append(
                ValidationError("notice_bill_amount", exc.message_zh, exc.message_en, amount_text)
            )
        settings = replace(
            self.initial,
            app_id=self.app_id.text().strip(),
            enterprise_id=self.enterprise_id.text().strip(),
            gateway_url=self.gateway_url.text().strip(),
            alipay_public_key=self.public_key.toPlainText().strip(),
            relay_url=self.relay_url.text().strip(),
            relay_token=self.relay_token.text().strip(),
            language=str(self.language.currentData()),
            theme=str(self.theme.currentData()),
            backfill_days=self.backfill_days.value(),
            sync=SyncIntervals(**{name: spin.value() for name, spin in self.intervals.items()}),
            notice_bill_amount=amount,
            notice_quota_exhausted=self.notice_quota_exhausted.isChecked(),
        )
        problems.extend(configuration_problems(settings, self.pending_private_key()))
        return settings, problems

    def on_save_requested(self) -> None:
        if self._saving:
            return
        settings, problems = self.collect()
        self._clear_errors()
        if problems:
            self._show_problems(problems)
            return
        key = self.pending_private_key()
        self._set_saving(True)
        store = self.store
        self.runner.run(
            lambda: save_configuration(store, settings, key),
            self._on_saved,
            self._on_save_failed,
        )

    def _on_saved(self, saved: Settings) -> None:
        if not shiboken6.isValid(self):
            return
        self._set_saving(False)
        self.saved_settings = saved
        self.settings_saved.emit(saved)
        self.accept()

    def _on_save_failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        self._set_saving(False)
        if isinstance(exc, ValidationError) and exc.field in self.errors:
            self._show_problems([exc])
        else:
            show_error(self, self.tr("保存设置"), exc)

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.save_button.setEnabled(not saving)

    # -- errors next to fields -----------------------------------------------------------
    def _show_problems(self, problems: list[ValidationError]) -> None:
        first: QWidget | None = None
        order = {key: index for index, key in enumerate(self.field_widgets)}
        # In form order, so the field that takes the focus is the first one a reader meets.
        for exc in sorted(problems, key=lambda p: order.get(p.field, len(order))):
            self._show_error(exc.field, exc)
            if first is None and exc.field in self.field_widgets:
                page, first = self.field_widgets[exc.field]
                self.pages.setCurrentIndex(page)
        self._problem_count = len(problems)
        self._render_summary()
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_error(self, key: str, exc: ValidationError) -> None:
        label = self.errors.get(key)
        if label is None:  # a field without its own row: say it at the bottom
            self.summary.setText(error_text(exc))
            self.summary.show()
            return
        label.setText(error_text(exc))
        label.setStyleSheet(f"color: {semantic_color('negative', self.palette()).name()};")
        label.show()

    def _recolor_errors(self) -> None:
        color = semantic_color("negative", self.palette()).name()
        for label in self.errors.values():
            if label.text():
                label.setStyleSheet(f"color: {color};")
        self._render_summary()

    def _clear_error(self, key: str) -> None:
        label = self.errors.get(key)
        if label is not None:
            label.hide()
            label.clear()

    def _clear_errors(self) -> None:
        for key in self.errors:
            self._clear_error(key)
        self._problem_count = 0
        self._render_summary()

    def _render_summary(self) -> None:
        count = self._problem_count
        if count:
            self.summary.setText(
                self.tr("有 %1 处需要修改，尚未保存任何内容").replace("%1", str(count))
            )
            self.summary.setStyleSheet(
                f"color: {semantic_color('negative', self.palette()).name()};"
            )
            self.summary.show()
        else:
            self.summary.hide()

    def error_texts(self) -> dict[str, str]:
        """The errors now shown, by field (for tests and accessibility tools)."""
        return {key: label.text() for key, label in self.errors.items() if label.text()}


def replace_field(exc: ValidationError, field: str) -> ValidationError:
    zh, en = _reason(exc)
    return ValidationError(field, zh, en, exc.value)


def _fingerprint_or_none(text: str) -> str | None:
    try:
        return key_fingerprint(text)
    except (InvalidKeyError, ValueError):
        return None
