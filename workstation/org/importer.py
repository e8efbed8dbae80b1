"""Bulk import of employees from CSV or XLSX: parse → plan (preview) → apply in chunks → report.

Clerks get these files from HR, usually saved by Excel: CSV in UTF-8 (with or without BOM) or, on
Chinese Windows, GBK; or XLSX where phone numbers may be stored as numbers. Headers are Chinese
(姓名, 手机, 邮箱, 工号, 部门); English names are accepted too. 部门 is a path from the top
("总部/财务部" or "财务部/税务组"), a unique department name, or a department id.

Nothing is sent until the clerk has seen the preview: every row is checked first (required
fields, formats, duplicates inside the file, unknown departments, clashes with existing
employees) and gets an action — new, update, unchanged or invalid, with reasons in 中文 and
English. Applying sends only the valid rows: new employees in ``batchcreate`` calls of at most 100,
updates one by one. A chunk that went through stays applied even if a later one fails; the report
says, per row, what happened and why.
"""

from __future__ import annotations

import csv
import enum
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from workstation.alipay.errors import AlipayError, AlipayGatewayError, AlipayUnavailable
from workstation.alipay.types import NewEmployee
from workstation.errors import ValidationError, WorkstationError
from workstation.org.service import (
    MAX_BATCH,
    DepartmentTree,
    EmployeeInfo,
    EmployeeInput,
    OrgService,
    load_employee,
    normalize_email,
    normalize_employee_no,
    normalize_mobile,
    normalize_name,
)

__all__ = [
    "COLUMNS",
    "Action",
    "FieldChange",
    "ImportPreview",
    "ImportReport",
    "ImportTable",
    "Outcome",
    "PreviewRow",
    "Reason",
    "RowResult",
    "SourceRow",
    "apply_import",
    "parse_csv_bytes",
    "parse_file",
    "parse_rows",
    "parse_xlsx",
    "plan_import",
    "write_failure_report",
]

# Our field → the headers that name it (compared without spaces, case-insensitively).
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "员工姓名", "name", "employee_name"),
    "mobile": ("手机", "手机号", "手机号码", "mobile", "phone", "employee_mobile"),
    "email": ("邮箱", "电子邮箱", "邮件", "email", "e-mail", "employee_email"),
    "employee_no": ("工号", "员工编号", "员工工号", "employee_no", "employeeno", "no"),
    "department": ("部门", "所属部门", "部门路径", "department", "department_id", "dept"),
}
_HEADER_OF = {alias.lower(): key for key, aliases in COLUMNS.items() for alias in aliases}
# Field labels used in reasons: (中文, English).
_LABELS = {
    "name": ("姓名", "name"),
    "mobile": ("手机", "mobile"),
    "email": ("邮箱", "email"),
    "employee_no": ("工号", "employee number"),
    "department": ("部门", "department"),
}
MAX_ROWS = 50_000


class ImportFileError(ValidationError):
    """The file as a whole cannot be read (format, encoding, missing 姓名 column)."""

    def __init__(self, reason_zh: str, reason_en: str, value: object = None) -> None:
        super().__init__("file", reason_zh, reason_en, value)


# --- parsing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceRow:
    """One data row: its line (row number in the sheet, 1 = header) and its values by field."""

    line: int
    values: Mapping[str, str]

    def get(self, key: str) -> str:
        return self.values.get(key, "")


@dataclass(frozen=True)
class ImportTable:
    rows: tuple[SourceRow, ...]
    columns: tuple[str, ...]  # the fields found in the header, in file order
    encoding: str = ""


def _header_key(text: str) -> str | None:
    cleaned = re.sub(r"[\s*＊:：()（）]", "", text.replace("\ufeff", "")).lower()
    return _HEADER_OF.get(cleaned)


def _cell_text(value: Any) -> str:
    """A cell as text; Excel numbers that are whole (phones, 工号) lose their ``.0``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value).replace("\u3000", " ").strip()


def parse_rows(records: Iterable[Sequence[Any]], encoding: str = "") -> ImportTable:
    """Rows of cells (first non-empty row = header) → an :class:`ImportTable`."""
    iterator = iter(records)
    header: list[str | None] | None = None
    header_line = 0
    for line, record in enumerate(iterator, start=1):
        cells = [_cell_text(c) for c in record]
        if any(cells):
            header = [_header_key(c) if c else None for c in cells]
            header_line = line
            break
    if header is None:
        raise ImportFileError("文件是空的", "the file is empty")
    if "name" not in header:
        raise ImportFileError(
            "找不到“姓名”列：第一行应是表头（姓名、手机、邮箱、工号、部门）",
            "no 姓名 (name) column: the first row must be the header "
            "(姓名, 手机, 邮箱, 工号, 部门)",
        )
    seen: set[str] = set()
    for key in header:
        if key is not None:
            if key in seen:
                label = _LABELS[key]
                raise ImportFileError(
                    f"表头中“{label[0]}”列出现了两次",
                    f"the header has the {label[1]} column twice",
                )
            seen.add(key)
    rows: list[SourceRow] = []
    line = header_line
    for record in iterator:
        line += 1
        cells = [_cell_text(c) for c in record]
        if not any(cells):
            continue
        values = {
            key: cells[i] for i, key in enumerate(header) if key is not None and i < len(cells)
        }
        rows.append(SourceRow(line, values))
        if len(rows) > MAX_ROWS:
            raise ImportFileError(
                f"文件超过{MAX_ROWS}行，请拆分后再导入",
                f"the file has more than {MAX_ROWS} rows; split it",
            )
    columns = tuple(k for k in header if k is not None)
    return ImportTable(tuple(rows), columns, encoding)


def _decode(data: bytes) -> tuple[str, str]:
    """UTF-8 (BOM or not) first; GB18030 (a superset of GBK, what Chinese Excel writes) next."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gbk"
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            "无法识别文件编码，请另存为 UTF-8 或 GBK 编码的 CSV",
            "unknown text encoding: save the CSV as UTF-8 or GBK",
        ) from exc


def parse_csv_bytes(data: bytes) -> ImportTable:
    text, encoding = _decode(data)
    first = text.split("\n", 1)[0]
    delimiter = max(",\t;，", key=first.count) if first else ","
    if delimiter == "，":  # a full-width comma cannot be a csv delimiter for Excel; fall back
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return parse_rows(reader, encoding)
    except csv.Error as exc:
        raise ImportFileError(f"CSV 格式错误：{exc}", f"malformed CSV: {exc}") from exc


def parse_xlsx(path: Path) -> ImportTable:
    """The first sheet of an XLSX workbook (read-only mode: big files stream)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or foreign file
        raise ImportFileError(
            f"无法读取 Excel 文件：{exc}", f"cannot read the Excel file: {exc}"
        ) from exc
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise ImportFileError("Excel 文件中没有工作表", "the workbook has no sheet")
        return parse_rows(sheet.iter_rows(values_only=True), "xlsx")
    finally:
        workbook.close()


def parse_file(path: str | Path) -> ImportTable:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return parse_xlsx(path)
    if suffix in {".csv", ".txt", ".tsv"}:
        return parse_csv_bytes(path.read_bytes())
    raise ImportFileError(
        f"不支持的文件类型“{suffix or path.name}”，请使用 CSV 或 XLSX",
        f"unsupported file type {suffix or path.name!r}: use CSV or XLSX",
    )


# --- planning -----------------------------------------------------------------------------------


class Action(enum.Enum):
    NEW = "new"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    INVALID = "invalid"


@dataclass(frozen=True)
class Reason:
    field: str
    zh: str
    en: str


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class PreviewRow:
    line: int
    name: str
    mobile: str | None
    email: str | None
    employee_no: str | None
    department_id: str | None
    department_text: str  # as written in the file
    action: Action
    original: Mapping[str, str] = field(default_factory=dict)  # the cells as in the file
    employee_id: str | None = None  # the existing employee an update applies to
    changes: tuple[FieldChange, ...] = ()
    reasons: tuple[Reason, ...] = ()

    @property
    def applicable(self) -> bool:
        return self.action in (Action.NEW, Action.UPDATE)


@dataclass(frozen=True)
class ImportPreview:
    rows: tuple[PreviewRow, ...]

    def count(self, action: Action) -> int:
        return sum(1 for r in self.rows if r.action is action)

    @property
    def applicable(self) -> tuple[PreviewRow, ...]:
        return tuple(r for r in self.rows if r.applicable)


def _reason_from(exc: ValidationError, field: str) -> Reason:
    # ValidationError's messages start with "<field>："; keep only the reason itself.
    zh = exc.message_zh.split("：", 1)[-1]
    en = exc.message_en.split(": ", 1)[-1]
    return Reason(field, zh, en)


def resolve_department(tree: DepartmentTree, text: str) -> tuple[str | None, Reason | None]:
    """A 部门 cell → department id. Accepts an id, a path from the root ("总部/财务部") or
    from below it ("财务部/税务组"), or a name that is unique in the tree."""
    value = text.strip()
    if not value:
        return None, None
    if value in tree:
        return value, None
    parts = [p.strip() for p in re.split(r"[/／\\>]", value) if p.strip()]
    unknown = Reason(
        "department",
        f"部门“{value}”不存在",
        f"department {value!r} does not exist",
    )
    if not parts:
        return None, unknown

    def walk(start: str | None, names: list[str]) -> str | None:
        current = start
        for name in names:
            found = tree.find_child(current, name)
            if found is None:
                return None
            current = found.department_id
        return current

    root = tree.root
    candidates: list[str] = []
    top = walk(None, parts)  # from the top, first part = the root's name
    if top is not None:
        candidates.append(top)
    if root is not None:
        below = walk(root.department_id, parts)  # root left out: "财务部/税务组"
        if below is not None and below not in candidates:
            candidates.append(below)
    if not candidates and len(parts) == 1:
        candidates = [d.department_id for d in tree.departments.values() if d.name == parts[0]]
    if len(candidates) == 1:
        return candidates[0], None
    if len(candidates) > 1:
        paths = "、".join(sorted(tree.path(c) for c in candidates))
        return None, Reason(
            "department",
            f"部门“{value}”有多个同名部门（{paths}），请写完整路径",
            f"department {value!r} is ambiguous ({paths}); write the full path",
        )
    return None, unknown


@dataclass
class _Draft:
    source: SourceRow
    name: str = ""
    mobile: str | None = None
    email: str | None = None
    employee_no: str | None = None
    department_id: str | None = None
    reasons: list[Reason] = field(default_factory=list)


def _clean_row(source: SourceRow, tree: DepartmentTree) -> _Draft:
    draft = _Draft(source)
    checks: list[tuple[str, Callable[[str], Any]]] = [
        ("name", normalize_name),
        ("mobile", normalize_mobile),
        ("email", normalize_email),
        ("employee_no", normalize_employee_no),
    ]
    for key, check in checks:
        try:
            setattr(draft, key, check(source.get(key)))
        except ValidationError as exc:
            draft.reasons.append(_reason_from(exc, key))
    department_id, reason = resolve_department(tree, source.get("department"))
    draft.department_id = department_id
    if reason is not None:
        draft.reasons.append(reason)
    return draft


def plan_import(
    table: ImportTable, tree: DepartmentTree, existing: Sequence[EmployeeInfo]
) -> ImportPreview:
    """Decide, per row, what applying would do. Pure: no database, no network."""
    drafts = [_clean_row(row, tree) for row in table.rows]

    # Duplicates inside the file: every row sharing a 手机/邮箱/工号 with another is refused,
    # since the file does not say which of them is right.
    for key in ("employee_no", "mobile", "email"):
        lines_of: dict[str, list[int]] = {}
        for index, draft in enumerate(drafts):
            value = getattr(draft, key)
            if value is not None:
                lines_of.setdefault(value.lower() if key == "email" else value, []).append(index)
        zh_label, en_label = _LABELS[key]
        for value, indexes in lines_of.items():
            if len(indexes) < 2:
                continue
            for index in indexes:
                others = [str(drafts[i].source.line) for i in indexes if i != index]
                drafts[index].reasons.append(
                    Reason(
                        key,
                        f"{zh_label}“{value}”与第{'、'.join(others)}行重复",
                        f"{en_label} {value!r} repeats on line(s) {', '.join(others)}",
                    )
                )

    by_key: dict[str, dict[str, EmployeeInfo]] = {"employee_no": {}, "mobile": {}, "email": {}}
    for e in existing:
        if e.employee_no:
            by_key["employee_no"][e.employee_no] = e
        if e.phone:
            by_key["mobile"][e.phone] = e
        if e.email:
            by_key["email"][e.email.lower()] = e

    rows: list[PreviewRow] = []
    for draft in drafts:
        matches: dict[str, EmployeeInfo] = {}
        matched_by: dict[str, str] = {}
        for key in ("employee_no", "mobile", "email"):
            value = getattr(draft, key)
            if value is None:
                continue
            hit = by_key[key].get(value.lower() if key == "email" else value)
            if hit is not None:
                matches[hit.employee_id] = hit
                matched_by.setdefault(hit.employee_id, key)
        if len(matches) > 1:
            who = "、".join(f"{m.name}（{_LABELS[matched_by[i]][0]}）" for i, m in matches.items())
            who_en = ", ".join(
                f"{m.name} ({_LABELS[matched_by[i]][1]})" for i, m in matches.items()
            )
            draft.reasons.append(
                Reason(
                    "mobile",
                    f"手机、邮箱、工号分别属于不同的现有员工：{who}",
                    f"mobile, email and employee number belong to different employees: {who_en}",
                )
            )
        if (
            not matches
            and draft.mobile is None
            and draft.email is None
            and draft.employee_no is None
            and not any(r.field in ("mobile", "email", "employee_no") for r in draft.reasons)
        ):
            draft.reasons.append(
                Reason(
                    "mobile",
                    "手机、邮箱、工号至少填写一项",
                    "give at least one of mobile, email or employee number",
                )
            )
        base = PreviewRow(
            line=draft.source.line,
            name=draft.name,
            mobile=draft.mobile,
            email=draft.email,
            employee_no=draft.employee_no,
            department_id=draft.department_id,
            department_text=draft.source.get("department"),
            action=Action.INVALID,
            original=dict(draft.source.values),
        )
        if draft.reasons:
            rows.append(replace(base, reasons=tuple(draft.reasons)))
            continue
        if not matches:
            rows.append(replace(base, action=Action.NEW))
            continue
        current = next(iter(matches.values()))
        changes = [
            FieldChange(key, old, new)
            for key, old, new in (
                ("name", current.name, draft.name),
                ("mobile", current.phone, draft.mobile),
                ("email", current.email, draft.email),
                ("employee_no", current.employee_no, draft.employee_no),
                ("department", current.department_id, draft.department_id),
            )
            # A blank cell keeps what the employee has (Alipay cannot clear a field anyway).
            if new is not None and new != old
        ]
        rows.append(
            replace(
                base,
                action=Action.UPDATE if changes else Action.UNCHANGED,
                employee_id=current.employee_id,
                changes=tuple(changes),
            )
        )
    return ImportPreview(tuple(rows))


# --- applying -----------------------------------------------------------------------------------


class Outcome(enum.Enum):
    APPLIED = "applied"
    FAILED = "failed"
    SKIPPED = "skipped"  # invalid or unchanged: never sent
    NOT_ATTEMPTED = "not_attempted"  # the import stopped before this row
    UNKNOWN = "unknown"  # sent, but Alipay's answer did not mention it


@dataclass(frozen=True)
class RowResult:
    row: PreviewRow
    outcome: Outcome
    employee_id: str | None = None
    reason_zh: str = ""
    reason_en: str = ""


@dataclass(frozen=True)
class ImportReport:
    results: tuple[RowResult, ...]
    stopped: bool = False  # Alipay became unreachable: later rows were not sent

    def count(self, outcome: Outcome) -> int:
        return sum(1 for r in self.results if r.outcome is outcome)

    @property
    def problems(self) -> tuple[RowResult, ...]:
        """Rows the clerk has to look at: invalid, failed, unknown or not sent."""
        return tuple(
            r
            for r in self.results
            if r.outcome in (Outcome.FAILED, Outcome.NOT_ATTEMPTED, Outcome.UNKNOWN)
            or r.row.action is Action.INVALID
        )


def _key(
    name: str | None, mobile: str | None, email: str | None, no: str | None
) -> tuple[Any, ...]:
    return (name or None, mobile or None, (email or "").lower() or None, no or None)


def _join(reasons: Iterable[Reason]) -> tuple[str, str]:
    items = list(reasons)
    return "；".join(r.zh for r in items), "; ".join(r.en for r in items)


def _error_text(exc: BaseException) -> tuple[str, str]:
    if isinstance(exc, WorkstationError | AlipayGatewayError):
        return exc.message_zh, exc.message_en
    return f"意外错误：{exc}", f"unexpected error: {type(exc).__name__}: {exc}"


def apply_import(
    service: OrgService,
    preview: ImportPreview,
    *,
    chunk_size: int = MAX_BATCH,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportReport:
    """Send the preview's valid rows: new ones in chunks via ``batchcreate``, updates one by
    one. Business failures are recorded per row and the import goes on; when Alipay becomes
    unreachable (or ``cancelled()``), it stops and the remaining rows are reported as not sent.
    Blocking: run it on a worker thread."""
    if not 1 <= chunk_size <= MAX_BATCH:
        raise ValueError(f"chunk_size must be 1..{MAX_BATCH}")
    results: dict[int, RowResult] = {}
    for row in preview.rows:
        if not row.applicable:
            zh, en = _join(row.reasons)
            if row.action is Action.UNCHANGED:
                zh, en = "与现有员工一致，无需修改", "same as the existing employee"
            results[row.line] = RowResult(row, Outcome.SKIPPED, row.employee_id, zh, en)
    new_rows = [r for r in preview.rows if r.action is Action.NEW]
    update_rows = [r for r in preview.rows if r.action is Action.UPDATE]
    total = len(new_rows) + len(update_rows)
    done = 0
    stopped = False

    def report(step: int) -> None:
        nonlocal done
        done += step
        if progress is not None:
            progress(done, total)

    def stop_here(rows: Iterable[PreviewRow], zh: str, en: str) -> None:
        for row in rows:
            results.setdefault(row.line, RowResult(row, Outcome.NOT_ATTEMPTED, None, zh, en))

    if progress is not None:
        progress(0, total)
    chunks = [new_rows[i : i + chunk_size] for i in range(0, len(new_rows), chunk_size)]
    for chunk in chunks:
        if cancelled is not None and cancelled():
            stopped = True
            break
        batch = [
            NewEmployee(
                name=r.name,
                mobile=r.mobile,
                email=r.email,
                department_ids=(r.department_id,) if r.department_id else (),
                employee_no=r.employee_no,
            )
            for r in chunk
        ]
        try:
            outcome = service.batch_create(batch)
        except AlipayUnavailable as exc:
            stopped = True
            zh, en = _error_text(exc)
            if exc.maybe_processed:
                for row in chunk:
                    results[row.line] = RowResult(
                        row,
                        Outcome.UNKNOWN,
                        None,
                        f"{zh}（请同步组织架构后核对）",
                        f"{en} (sync the org chart and check)",
                    )
            else:
                stop_here(chunk, zh, en)
            break
        except (AlipayError, WorkstationError) as exc:
            zh, en = _error_text(exc)
            for row in chunk:
                results[row.line] = RowResult(row, Outcome.FAILED, None, zh, en)
            report(len(chunk))
            continue
        pending = {_key(r.name, r.mobile, r.email, r.employee_no): r for r in chunk}
        for success in outcome.result.success:
            matched = pending.pop(
                _key(success.name, success.mobile, success.email, success.employee_no), None
            )
            if matched is not None:
                late = success.employee_id in outcome.uncached
                results[matched.line] = RowResult(
                    matched,
                    Outcome.APPLIED,
                    success.employee_id,
                    "已添加，下次同步后显示" if late else "",
                    "added; shown after the next sync" if late else "",
                )
        for failure in outcome.result.failed:
            matched = pending.pop(
                _key(failure.name, failure.mobile, failure.email, failure.employee_no), None
            )
            if matched is not None:
                reason = failure.reason or "未说明原因"
                results[matched.line] = RowResult(
                    matched,
                    Outcome.FAILED,
                    None,
                    f"支付宝拒绝：{reason}",
                    f"Alipay refused: {failure.reason or 'no reason given'}",
                )
        for row in pending.values():
            results[row.line] = RowResult(
                row,
                Outcome.UNKNOWN,
                None,
                "支付宝的答复中没有这一行，请同步组织架构后核对",
                "Alipay's answer did not mention this row: sync the org chart and check",
            )
        report(len(chunk))
    if stopped:
        stop_here(new_rows, "导入已中止，本行未发送", "the import stopped before this row was sent")
        stop_here(
            update_rows, "导入已中止，本行未发送", "the import stopped before this row was sent"
        )
    else:
        for index, row in enumerate(update_rows):
            if cancelled is not None and cancelled():
                stopped = True
                stop_here(
                    update_rows[index:], "导入已取消，本行未发送", "cancelled before this row"
                )
                break
            assert row.employee_id is not None
            try:
                service.modify_employee(row.employee_id, _merged(service, row))
            except AlipayUnavailable as exc:
                zh, en = _error_text(exc)
                results[row.line] = RowResult(
                    row, Outcome.UNKNOWN if exc.maybe_processed else Outcome.FAILED, None, zh, en
                )
                stopped = True
                stop_here(update_rows[index + 1 :], "导入已中止，本行未发送", "the import stopped")
                break
            except (AlipayError, WorkstationError) as exc:
                zh, en = _error_text(exc)
                results[row.line] = RowResult(row, Outcome.FAILED, row.employee_id, zh, en)
            else:
                results[row.line] = RowResult(row, Outcome.APPLIED, row.employee_id)
            report(1)
    ordered = tuple(results[r.line] for r in preview.rows)
    return ImportReport(ordered, stopped)


def _merged(service: OrgService, row: PreviewRow) -> EmployeeInput:
    """The row's changes on top of what the employee has now: a blank cell keeps a value."""
    assert row.employee_id is not None
    current = load_employee(service.database, row.employee_id)
    if current is None:
        raise ValidationError(
            "employee_id",
            f"员工 {row.employee_id} 已不存在，请重新预览",
            f"employee {row.employee_id} no longer exists: preview again",
        )
    changed = {c.field: c.new for c in row.changes}
    department = changed.get("department")
    return EmployeeInput(
        name=changed.get("name") or current.name,
        mobile=changed.get("mobile") or current.phone,
        email=changed.get("email") or current.email,
        employee_no=changed.get("employee_no") or current.employee_no,
        department_ids=(department,) if department else (),
    )


# --- the failure report -------------------------------------------------------------------------

_OUTCOME_LABELS = {
    Outcome.APPLIED: ("成功", "applied"),
    Outcome.FAILED: ("失败", "failed"),
    Outcome.SKIPPED: ("未发送", "skipped"),
    Outcome.NOT_ATTEMPTED: ("未发送", "not sent"),
    Outcome.UNKNOWN: ("结果未知", "unknown"),
}


def write_failure_report(report: ImportReport, path: str | Path) -> int:
    """The rows that need attention as a CSV the clerk can fix and import again (the same
    headers as the import), with the reason in both languages. UTF-8 with BOM so Excel opens it.
    Returns the number of rows written."""
    problems = report.problems
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["行号", "姓名", "手机", "邮箱", "工号", "部门", "结果", "原因", "Reason"])
    for result in problems:
        row = result.row
        label = _OUTCOME_LABELS[result.outcome]
        if row.action is Action.INVALID:
            label = ("有误", "invalid")
        cells = row.original
        writer.writerow(
            [
                row.line,
                cells.get("name", row.name),
                cells.get("mobile", row.mobile or ""),
                cells.get("email", row.email or ""),
                cells.get("employee_no", row.employee_no or ""),
                cells.get("department", row.department_text),
                f"{label[0]} / {label[1]}",
                result.reason_zh,
                result.reason_en,
            ]
        )
    Path(path).write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))
    return len(problems)
