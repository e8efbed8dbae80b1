"""Bulk import: parsing (CSV in UTF-8/BOM/GBK, XLSX), the preview, chunked apply, the report."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from org.org_fixtures import OrgSandbox
from sqlalchemy import func, select

from workstation.alipay.errors import AlipayError
from workstation.alipay.gateway import AlipayGateway, GatewayConfig
from workstation.errors import ValidationError
from workstation.org.importer import (
    Action,
    ImportFileError,
    ImportPreview,
    ImportTable,
    Outcome,
    apply_import,
    parse_csv_bytes,
    parse_file,
    parse_rows,
    plan_import,
    resolve_department,
    write_failure_report,
)
from workstation.org.models import Employee, EmployeeStatus
from workstation.org.service import (
    DepartmentInfo,
    DepartmentTree,
    EmployeeInfo,
    OrgService,
    load_employees,
    load_tree,
)

HEADER = ["姓名", "手机", "邮箱", "工号", "部门"]

TREE = DepartmentTree.build(
    [
        DepartmentInfo("1", "总部", None, None, 1),
        DepartmentInfo("2", "财务部", None, "1", 2),
        DepartmentInfo("3", "税务组", None, "2", 3),
        DepartmentInfo("4", "研发部", None, "1", 2),
        DepartmentInfo("5", "税务组", None, "4", 3),  # same name elsewhere
    ]
)
EXISTING = [
    EmployeeInfo(
        "E1", "张三", "A001", "13800000001", "zhang@example.com", "2", EmployeeStatus.ACTIVE
    ),
    EmployeeInfo("E2", "李四", "A002", "13800000002", None, "4", EmployeeStatus.PENDING),
    EmployeeInfo("E3", "王五", None, "13800000003", None, "4", EmployeeStatus.ACTIVE),
    EmployeeInfo("E4", "赵六", "A004", None, "zhao@example.com", "2", EmployeeStatus.ACTIVE),
]


def _csv(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(r, c, value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text that merely looks like a formula
    book.save(path)
    return path


# --- parsing ------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_in_every_excel_encoding(encoding: str) -> None:
    data = _csv([HEADER, ["张三", "13800000001", "z@example.com", "A001", "总部/财务部"]], encoding)
    table = parse_csv_bytes(data)
    assert table.columns == ("name", "mobile", "email", "employee_no", "department")
    assert len(table.rows) == 1
    row = table.rows[0]
    assert row.line == 2
    assert row.values == {
        "name": "张三",
        "mobile": "13800000001",
        "email": "z@example.com",
        "employee_no": "A001",
        "department": "总部/财务部",
    }


def test_xlsx_with_numbers_for_phones(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path / "staff.xlsx",
        [
            [None],  # a blank first row before the header
            ["工号", "姓名", "手机号码", "备注"],
            [1001, "王五", 13900000003, "unused column"],
            [None, None, None, None],
            [1002.0, "赵六", 13900000004.0, None],
        ],
    )
    table = parse_file(path)
    assert table.columns == ("employee_no", "name", "mobile")
    assert [(r.line, dict(r.values)) for r in table.rows] == [
        (3, {"employee_no": "1001", "name": "王五", "mobile": "13900000003"}),
        (5, {"employee_no": "1002", "name": "赵六", "mobile": "13900000004"}),
    ]


def test_files_that_cannot_be_imported(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError) as caught:
        parse_csv_bytes(_csv([["手机", "邮箱"], ["13800000001", "a@b.cn"]]))
    assert caught.value.field == "file"
    assert "姓名" in caught.value.message_zh
    with pytest.raises(ImportFileError):
        parse_csv_bytes(b"")
    with pytest.raises(ImportFileError):
        parse_csv_bytes(_csv([["姓名", "手机", "手机号"]]))  # two phone columns
    (tmp_path / "staff.pdf").write_bytes(b"%PDF")
    with pytest.raises(ImportFileError):
        parse_file(tmp_path / "staff.pdf")
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    with pytest.raises(ImportFileError):
        parse_file(tmp_path / "broken.xlsx")


# Text a clerk might type: Chinese, Latin, digits, punctuation, commas and quotes included
# (the CSV writer must quote them), but no line breaks or control characters.
cell_text = st.text(
    st.characters(
        codec="gbk",
        categories=("L", "N", "P", "Zs", "S"),
        exclude_characters="\u3000\x85\xa0",
    ),
    max_size=12,
).map(str.strip)
rows_strategy = st.lists(st.lists(cell_text, min_size=5, max_size=5), max_size=8)


@settings(max_examples=60, deadline=None)
@given(rows=rows_strategy, encoding=st.sampled_from(["utf-8", "utf-8-sig", "gbk"]))
def test_csv_round_trip(rows: list[list[str]], encoding: str) -> None:
    table = parse_csv_bytes(_csv([HEADER, *rows], encoding))
    expected = [dict(zip(table.columns, r, strict=True)) for r in rows if any(r)]
    assert [dict(r.values) for r in table.rows] == expected
    lines = [i + 2 for i, r in enumerate(rows) if any(r)]
    assert [r.line for r in table.rows] == lines


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=rows_strategy)
def test_xlsx_round_trip(tmp_path: Path, rows: list[list[str]]) -> None:
    path = _xlsx(tmp_path / "round.xlsx", [HEADER, *rows])
    table = parse_file(path)
    assert [dict(r.values) for r in table.rows] == [
        dict(zip(table.columns, r, strict=True)) for r in rows if any(r)
    ]


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=300))
def test_any_bytes_parse_or_fail_cleanly(data: bytes) -> None:
    try:
        table = parse_csv_bytes(data)
    except ImportFileError as exc:
        assert exc.message_zh and exc.message_en
    else:
        assert "name" in table.columns


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(st.lists(cell_text, min_size=5, max_size=5), max_size=10))
def test_planning_never_crashes_and_explains_every_invalid_row(rows: list[list[str]]) -> None:
    preview = plan_import(parse_rows([HEADER, *rows]), TREE, EXISTING)
    assert len(preview.rows) == sum(1 for r in rows if any(r))
    for row in preview.rows:
        if row.action is Action.INVALID:
            assert row.reasons and all(r.zh and r.en for r in row.reasons)
        else:
            assert not row.reasons and row.name


# --- planning -----------------------------------------------------------------------------------


def test_departments_resolve_by_path_name_or_id() -> None:
    assert resolve_department(TREE, "总部/财务部/税务组") == ("3", None)
    assert resolve_department(TREE, "财务部/税务组") == ("3", None)
    assert resolve_department(TREE, "财务部") == ("2", None)
    assert resolve_department(TREE, "4") == ("4", None)
    assert resolve_department(TREE, "") == (None, None)
    found, reason = resolve_department(TREE, "税务组")
    assert found is None and reason is not None and "多个" in reason.zh
    found, reason = resolve_department(TREE, "总部/市场部")
    assert found is None and reason is not None and "不存在" in reason.zh


def test_preview_sorts_rows_into_actions() -> None:
    rows = [
        ["新人甲", "13900000001", "", "", "财务部"],  # new
        ["张三", "13800000001", "zhang@example.com", "A001", "财务部"],  # unchanged
        ["李四", "13800000002", "li@example.com", "A002", "总部/财务部/税务组"],  # update
        ["", "13900000002", "", "", ""],  # no name
        ["坏手机", "12345", "", "", ""],  # bad phone
        ["重复一", "13900000009", "", "", ""],  # duplicate phone in the file
        ["重复二", "13900000009", "", "", ""],
        ["无部门", "13900000003", "", "", "市场部"],  # unknown department
        ["冲突", "13800000003", "", "A004", ""],  # phone of 王五, 工号 of 赵六
        ["无身份", "", "", "", ""],
    ]
    preview = plan_import(parse_rows([HEADER, *rows]), TREE, EXISTING)
    actions = [r.action for r in preview.rows]
    assert actions == [
        Action.NEW,
        Action.UNCHANGED,
        Action.UPDATE,
        *[Action.INVALID] * 7,
    ]
    update = preview.rows[2]
    assert update.employee_id == "E2"
    assert {(c.field, c.old, c.new) for c in update.changes} == {
        ("email", None, "li@example.com"),
        ("department", "4", "3"),
    }
    reasons = {r.line: [x.field for x in r.reasons] for r in preview.rows if r.reasons}
    assert reasons[5] == ["name"]
    assert reasons[6] == ["mobile"]
    assert reasons[7] == reasons[8] == ["mobile"]
    assert "第8行" in preview.rows[5].reasons[0].zh
    assert reasons[9] == ["department"]
    assert reasons[10] == ["mobile"]
    assert "王五" in preview.rows[8].reasons[0].zh and "赵六" in preview.rows[8].reasons[0].zh
    assert reasons[11] == ["mobile"]
    assert preview.count(Action.INVALID) == 7
    assert len(preview.applicable) == 2


# --- applying against the sandbox ---------------------------------------------------------------


def _plan(env: OrgSandbox, rows: list[list[str]]) -> tuple[ImportTable, ImportPreview]:
    table = parse_rows([HEADER, *rows])
    tree = load_tree(env.database, env.enterprise_id)
    return table, plan_import(table, tree, load_employees(env.database, env.enterprise_id))


def _at_alipay(env: OrgSandbox, mobile: str) -> bool:
    try:
        env.gateway.call(
            "alipay.commerce.ec.employee.info.query",
            {"enterprise_id": env.enterprise_id, "mobile": mobile},
        )
    except AlipayError:
        return False
    return True


def test_bad_rows_are_reported_and_not_applied(
    env: OrgSandbox, service: OrgService, tmp_path: Path
) -> None:
    with env.database.read_session() as session:
        someone = session.scalars(
            select(Employee).where(Employee.phone.is_not(None)).order_by(Employee.id)
        ).first()
    assert someone is not None
    # Taken at Alipay after the last sync: only Alipay can refuse this row.
    env.gateway.add_employee("别处添加", mobile="13700000005")
    rows = [
        ["导入一", "13700000001", "", "", "财务部"],
        ["导入二", "13700000002", "", "", "财务部/税务组"],
        ["坏手机", "1370000000", "", "", ""],
        ["无部门", "13700000003", "", "", "不存在的部门"],
        ["导入三", "13700000004", "im3@example.com", "", ""],
        ["被占用", "13700000005", "", "", ""],
        [someone.name, someone.phone, "", "", "人力资源部"],  # an update
    ]
    _, preview = _plan(env, rows)
    steps: list[tuple[int, int]] = []
    report = apply_import(
        service, preview, chunk_size=2, progress=lambda done, total: steps.append((done, total))
    )
    outcome = {r.row.line: r.outcome for r in report.results}
    assert outcome == {
        2: Outcome.APPLIED,
        3: Outcome.APPLIED,
        4: Outcome.SKIPPED,
        5: Outcome.SKIPPED,
        6: Outcome.APPLIED,
        7: Outcome.FAILED,
        8: Outcome.APPLIED,
    }
    failed = next(r for r in report.results if r.row.line == 7)
    assert "支付宝" in failed.reason_zh and "13700000005" in failed.reason_zh
    assert steps[0] == (0, 5) and steps[-1] == (5, 5)

    for mobile in ("13700000001", "13700000002", "13700000004"):
        assert _at_alipay(env, mobile)
    for mobile in ("1370000000", "13700000003"):
        assert not _at_alipay(env, mobile)
    with env.database.read_session() as session:
        cached = dict(
            session.execute(
                select(Employee.phone, Employee.department_id).where(
                    Employee.phone.like("1370000%"), Employee.deleted.is_(False)
                )
            ).all()
        )
    assert cached == {
        "13700000001": env.department_id("财务部"),
        "13700000002": env.department_id("税务组"),
        "13700000004": cached["13700000004"],
    }
    assert env.gateway.query_employee(someone.employee_id).department_ids == (
        env.department_id("人力资源部"),
    )

    path = tmp_path / "failed.csv"
    assert write_failure_report(report, path) == 3
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    again = parse_file(path)
    assert [r.get("name") for r in again.rows] == ["坏手机", "无部门", "被占用"]
    assert again.rows[0].get("mobile") == "1370000000"  # the original text, to fix and retry
    text = path.read_text(encoding="utf-8-sig")
    assert "Alipay refused" in text and "does not exist" in text


def test_large_imports_go_in_chunks_of_at_most_one_hundred(
    env: OrgSandbox, service: OrgService
) -> None:
    rows = [[f"批量{i:03d}", f"136{i:08d}", "", f"B{i:04d}", "技术研发中心"] for i in range(230)]
    _, preview = _plan(env, rows)
    assert len(preview.applicable) == 230
    report = apply_import(service, preview)  # the sandbox refuses any call with > 100 rows
    assert report.count(Outcome.APPLIED) == 230
    assert not report.stopped
    with env.database.read_session() as session:
        count = session.execute(
            select(func.count()).where(Employee.employee_no.like("B%"), Employee.deleted.is_(False))
        ).scalar_one()
    assert count == 230
    assert env.gateway.list_employee_ids(env.department_id("技术研发中心"), 1, 1).total_count >= 230


def test_batch_create_refuses_more_than_one_hundred(service: OrgService) -> None:
    from workstation.alipay.types import NewEmployee

    with pytest.raises(ValidationError):
        service.batch_create([NewEmployee(name=f"x{i}", mobile=f"135{i:08d}") for i in range(101)])


BATCH = "alipay.commerce.ec.employee.batchcreate"


def _five_new(env: OrgSandbox) -> ImportPreview:
    rows = [[f"分批{i}", f"1340000000{i}", "", "", "行政部"] for i in range(1, 6)]
    _, preview = _plan(env, rows)
    assert len(preview.applicable) == 5
    return preview


def _cached_mobiles(env: OrgSandbox) -> set[str]:
    with env.database.read_session() as session:
        return set(
            session.scalars(
                select(Employee.phone).where(
                    Employee.phone.like("134000000%"), Employee.deleted.is_(False)
                )
            )
        )


def test_a_chunk_refused_by_alipay_does_not_undo_the_others(
    env: OrgSandbox, service: OrgService
) -> None:
    preview = _five_new(env)

    def after(done: int, total: int) -> None:
        if done == 2:  # the first chunk went through: Alipay refuses the second one whole
            env.sandbox.faults.update(business_error_next=1, methods=[BATCH])

    report = apply_import(service, preview, chunk_size=2, progress=after)
    assert [r.outcome for r in report.results] == [
        Outcome.APPLIED,
        Outcome.APPLIED,
        Outcome.FAILED,
        Outcome.FAILED,
        Outcome.APPLIED,
    ]
    assert "SANDBOX_INJECTED_ERROR" in report.results[2].reason_zh
    assert not report.stopped
    applied = {"13400000001", "13400000002", "13400000005"}
    assert _cached_mobiles(env) == applied
    sent = {f"1340000000{i}" for i in range(1, 6)}
    assert {m for m in sent if _at_alipay(env, m)} == applied


def test_losing_alipay_mid_import_stops_and_keeps_earlier_chunks(env: OrgSandbox) -> None:
    preview = _five_new(env)
    # A client that gives up after half a second, so a slow answer looks like a lost one.
    config = GatewayConfig.from_mapping(env.sandbox.config, timeout=0.5, backoff_base=0.01)
    with AlipayGateway(config) as impatient:
        service = OrgService(env.database, impatient, env.enterprise_id)

        def after(done: int, total: int) -> None:
            if done == 2:  # the next batch is processed, but its answer comes too late
                env.sandbox.faults.update(
                    timeout_next=1, timeout_mode="sleep", timeout_seconds=1.5, methods=[BATCH]
                )

        report = apply_import(service, preview, chunk_size=2, progress=after)
    assert report.stopped
    assert [r.outcome for r in report.results] == [
        Outcome.APPLIED,
        Outcome.APPLIED,
        Outcome.UNKNOWN,
        Outcome.UNKNOWN,
        Outcome.NOT_ATTEMPTED,
    ]
    assert "核对" in report.results[2].reason_zh  # the clerk is told to sync and check
    assert _cached_mobiles(env) == {"13400000001", "13400000002"}
    assert not _at_alipay(env, "13400000005")  # never sent after the import stopped
