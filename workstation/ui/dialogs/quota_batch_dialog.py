"""按部门批量发放: the same quota to every employee of a department, after a preview.

Preview lists every employee (with sub-departments, from the cache) and the amount each
receives. 发放 first writes one pending action per employee, each with its own
``outer_source_id``; then chunks run off the GUI thread one after the other, each employee's
result appearing in its row. Stopping, a crash or a failure leaves the rest pending: retrying
(here or from the quotas tab) never issues anyone twice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workstation.errors import ValidationError
from workstation.institutions.service import DepartmentNode, InstitutionSummary
from workstation.money import format_money
from workstation.quotas.models import IssueState
from workstation.quotas.service import BATCH_CHUNK, BatchPreview, IssueOutcome, QuotaService
from workstation.ui.dialogs.institution_form import ERROR_COLOR, date_edit, edited_time
from workstation.ui.dialogs.quota_issue_dialog import (
    combo_key,
    default_validity,
    fill_combo,
)
from workstation.ui.errors import error_lines, show_error
from workstation.ui.models.quota_preview_model import BatchPreviewModel
from workstation.ui.tasks import TaskRunner

__all__ = ["BatchIssueDialog"]


class BatchIssueDialog(QDialog):
    previewed = Signal(object)  # BatchPreview
    issued = Signal(object)  # (done, failed, pending) counts once a run ends

    def __init__(
        self,
        parent: QWidget | None,
        service: QuotaService,
        runner: TaskRunner,
        *,
        departments: Sequence[DepartmentNode],
        institutions: Sequence[InstitutionSummary],
        department_id: str | None = None,
        institution_id: str | None = None,
        chunk_size: int = BATCH_CHUNK,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("按部门批量发放额度"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.resize(760, 560)
        self.service = service
        self.runner = runner
        self.chunk_size = chunk_size
        self.preview: BatchPreview | None = None
        self.keys: tuple[str, ...] = ()
        self._queue: list[str] = []
        self._stop = False
        self.running = False

        self.department = QComboBox(self)
        fill_combo(
            self.department,
            [(d.department_id, "　" * d.depth + d.name) for d in departments],
            department_id or (departments[0].department_id if departments else None),
        )
        self.sub_departments = QCheckBox(self.tr("含下级部门(&U)"), self)
        self.sub_departments.setChecked(True)
        self.institution = QComboBox(self)
        fill_combo(
            self.institution,
            [(i.institution_id, i.name) for i in institutions],
            institution_id,
            default_first=True,
        )
        self.amount = QLineEdit(self)
        self.amount.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.amount.setPlaceholderText(self.tr("每人金额，如 200.00"))
        start, end = default_validity(service.now())
        self.valid_from = date_edit(self, start)
        self.valid_to = date_edit(self, end)
        self.only_in_scope = QCheckBox(self.tr("只发给制度适用范围内的员工(&O)"), self)
        self.fields: dict[str, QWidget] = {
            "department": self.department,
            "institution": self.institution,
            "amount": self.amount,
            "valid_from": self.valid_from,
            "valid_to": self.valid_to,
        }
        form = QFormLayout()
        department_row = QHBoxLayout()
        department_row.addWidget(self.department, 1)
        department_row.addWidget(self.sub_departments)
        for key, label, widget in (
            ("department", self.tr("部门(&D)"), department_row),
            ("institution", self.tr("费控制度(&I)"), self.institution),
            ("amount", self.tr("每人金额(&A)"), self.amount),
            ("valid_from", self.tr("生效时间(&F)"), self.valid_from),
            ("valid_to", self.tr("失效时间(&T)"), self.valid_to),
        ):
            caption = QLabel(label, self)
            caption.setBuddy(self.fields[key])
            form.addRow(caption, widget)
        form.addRow("", self.only_in_scope)

        self.preview_button = QPushButton(self.tr("预览(&P)"), self)
        self.preview_button.setObjectName("preview_button")
        self.summary = QLabel(self.tr("选择部门和金额后点击“预览”，确认名单后再发放。"), self)
        self.summary.setObjectName("batch_summary")
        self.summary.setWordWrap(True)
        self.model = BatchPreviewModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("quota_batch_preview_table")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("batch_progress")
        self.progress.hide()
        self.error_label = QLabel(self)
        self.error_label.setObjectName("form_error")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {ERROR_COLOR};")
        self.error_label.hide()
        self.issue_button = QPushButton(self.tr("发放(&S)"), self)
        self.issue_button.setObjectName("issue_button")
        self.issue_button.setEnabled(False)
        self.retry_button = QPushButton(self.tr("重试未完成(&R)"), self)
        self.retry_button.setObjectName("retry_button")
        self.retry_button.hide()
        self.stop_button = QPushButton(self.tr("停止"), self)
        self.stop_button.setObjectName("stop_button")
        self.stop_button.setEnabled(False)
        self.close_button = QPushButton(self.tr("关闭(&C)"), self)

        top = QHBoxLayout()
        top.addWidget(self.preview_button)
        top.addWidget(self.summary, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.issue_button)
        bottom.addWidget(self.retry_button)
        bottom.addWidget(self.stop_button)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.error_label)
        layout.addLayout(bottom)

        self.preview_button.clicked.connect(self.on_preview_clicked)
        self.issue_button.clicked.connect(self.on_issue_clicked)
        self.retry_button.clicked.connect(self.on_retry_clicked)
        self.stop_button.clicked.connect(self.on_stop_clicked)
        self.close_button.clicked.connect(self.reject)
        for signal in (
            self.department.currentIndexChanged,
            self.sub_departments.toggled,
            self.institution.currentIndexChanged,
            self.amount.textEdited,
            self.valid_from.dateTimeChanged,
            self.valid_to.dateTimeChanged,
            self.only_in_scope.toggled,
        ):
            signal.connect(self.on_form_changed)
        self.amount.setFocus()

    # -- preview -------------------------------------------------------------------------------

    def on_form_changed(self, *_: Any) -> None:
        """A changed form makes the preview stale: it must be seen again before issuing."""
        if self.preview is not None and not self.keys:
            self.preview = None
            self.issue_button.setEnabled(False)
            self.summary.setText(self.tr("条件已修改，请重新预览。"))

    def on_preview_clicked(self) -> None:
        if self.running or self.keys:
            return
        self.error_label.hide()
        service = self.service
        department, institution = combo_key(self.department), combo_key(self.institution)
        amount, sub, scope = (
            self.amount.text(),
            self.sub_departments.isChecked(),
            (self.only_in_scope.isChecked()),
        )
        start = edited_time(self.valid_from)
        end = edited_time(self.valid_to)
        self._run(
            lambda: service.preview_department(
                department,
                institution,
                amount,
                start,
                end,
                include_sub_departments=sub,
                only_in_scope=scope,
            ),
            self.on_previewed,
            self.tr("预览批量发放"),
        )

    def on_previewed(self, preview: BatchPreview) -> None:
        self.preview = preview
        self.model.set_rows(preview.lines)
        self.table.resizeColumnsToContents()
        outside = sum(1 for line in preview.lines if not line.in_scope)
        text = (
            self.tr("%1 共 %2 人，每人 %3，合计 %4。")
            .replace("%1", preview.department_name)
            .replace("%2", str(len(preview.lines)))
            .replace("%3", format_money(preview.amount))
            .replace("%4", format_money(preview.total))
        )
        if outside:
            text += self.tr("其中 %1 人不在该制度的适用范围内。").replace("%1", str(outside))
        self.summary.setText(text)
        self.issue_button.setEnabled(True)
        self.previewed.emit(preview)

    # -- issuing -------------------------------------------------------------------------------

    def on_issue_clicked(self) -> None:
        preview = self.preview
        if preview is None or self.running or self.keys:
            return  # issued already: a second click starts nothing
        service = self.service
        self.issue_button.setEnabled(False)
        self._run(
            lambda: service.start_batch(preview), self.on_batch_started, self.tr("批量发放额度")
        )

    def on_batch_started(self, started: tuple[str, tuple[str, ...]]) -> None:
        _, self.keys = started
        self._start_run(list(self.keys))

    def on_retry_clicked(self) -> None:
        if self.running:
            return
        unsettled = [
            key
            for key, line in zip(self.keys, self.model.rows(), strict=True)
            if (o := self.model.outcome(line.employee_id)) is None or o.state is not IssueState.DONE
        ]
        if unsettled:
            self._start_run(unsettled)

    def _start_run(self, keys: list[str]) -> None:
        self._queue = keys
        self._stop = False
        self.progress.setRange(0, len(keys))
        self.progress.setValue(0)
        self.progress.show()
        self.retry_button.hide()
        self._set_running(True)
        self._next_chunk()

    def _next_chunk(self) -> None:
        if self._stop or not self._queue:
            self._finish()
            return
        chunk, self._queue = self._queue[: self.chunk_size], self._queue[self.chunk_size :]
        service = self.service
        self.runner.run(lambda: service.retry_many(chunk), self.on_chunk_done, self.on_chunk_failed)

    def on_chunk_done(self, outcomes: Sequence[IssueOutcome]) -> None:
        self.model.set_outcomes(outcomes)
        self.progress.setValue(self.progress.value() + len(outcomes))
        self._next_chunk()

    def on_chunk_failed(self, exc: BaseException) -> None:
        self._show_error(exc, self.tr("批量发放额度"))
        self._finish()

    def on_stop_clicked(self) -> None:
        self._stop = True
        self.stop_button.setEnabled(False)

    def _finish(self) -> None:
        self._set_running(False)
        states = [
            o.state if (o := self.model.outcome(line.employee_id)) else IssueState.PENDING
            for line in self.model.rows()
        ]
        counts = (
            states.count(IssueState.DONE),
            states.count(IssueState.FAILED),
            states.count(IssueState.PENDING),
        )
        text = (
            self.tr("已发放 %1 人，失败 %2 人，待确认 %3 人。")
            .replace("%1", str(counts[0]))
            .replace("%2", str(counts[1]))
            .replace("%3", str(counts[2]))
        )
        if counts[1] or counts[2]:
            text += self.tr("可点击“重试未完成”，已发放的员工不会重复发放。")
            self.retry_button.show()
        self.summary.setText(text)
        self.issued.emit(counts)

    # -- plumbing ------------------------------------------------------------------------------

    def _set_running(self, running: bool) -> None:
        self.running = running
        self.stop_button.setEnabled(running)
        self.close_button.setEnabled(not running)
        self.preview_button.setEnabled(not running and not self.keys)
        for widget in (*self.fields.values(), self.sub_departments, self.only_in_scope):
            widget.setEnabled(not running and not self.keys)

    def _run(self, work: Callable[[], Any], done: Callable[[Any], None], operation: str) -> None:
        self.running = True
        self.preview_button.setEnabled(False)

        def succeeded(result: Any) -> None:
            self._set_running(False)
            done(result)

        def failed(exc: BaseException) -> None:
            self._set_running(False)
            if self.preview is not None and not self.keys:
                self.issue_button.setEnabled(True)
            self._show_error(exc, operation)

        self.runner.run(work, succeeded, failed)

    def _show_error(self, exc: BaseException, operation: str) -> None:
        zh, en = error_lines(exc)
        self.error_label.setText(f"{zh}\n{en}")
        self.error_label.show()
        widget = self.fields.get(exc.field) if isinstance(exc, ValidationError) else None
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            show_error(self, operation, exc)

    def reject(self) -> None:
        if not self.running:
            super().reject()
