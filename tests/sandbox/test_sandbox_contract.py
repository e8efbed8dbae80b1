"""Contract: the sandbox speaks only what ../shared/alipay-api.md documents.

Every method name must appear in the research notes, and every top-level field a method may
answer (its declared ``response_fields``, which the gateway enforces at runtime) must be
listed for that method in Appendix A or in Appendix B's "response fields (top level)" column.
Nested objects are checked against the Appendix A model of the same name. Deliberate
extensions are listed below, each with its reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from workstation.sandbox import METHODS, SandboxServer
from workstation.sandbox.methods.bills import summary_id
from workstation.sandbox.testing import running_sandbox

DOC = Path(__file__).resolve().parents[2].parent / "shared" / "alipay-api.md"

# Fields the sandbox adds on purpose, per method (top level) or per model (nested).
TOP_LEVEL_EXTENSIONS: dict[str, set[str]] = {}
NESTED_EXTENSIONS: dict[str, set[str]] = {
    # The batchquery window column: lets an incremental sync see when a bill last changed.
    "EcConsumeInfo": {"gmt_modified"},
}

_HEADING = re.compile(r"^#### `([a-z0-9.]+)`")
_TOP_FIELD = re.compile(r"^  - `([a-z][a-z0-9_]*)`:")
_MODEL = re.compile(r"^( *)- `([A-Z][A-Za-z0-9]*)`:\s*$")
_FIELD = re.compile(r"^( *)- `([a-z][a-z0-9_]*)`:")
_ROW = re.compile(r"^\| `([a-z0-9.]+)` \|.*\| ([^|]*) \|\s*$")


class Doc:
    def __init__(self, text: str) -> None:
        self.text = text
        self.fields: dict[str, set[str]] = {}
        self.models: dict[str, set[str]] = {}
        self._parse_appendix_a(text.splitlines())
        self._parse_appendix_b(text.splitlines())

    def _parse_appendix_a(self, lines: list[str]) -> None:
        method: str | None = None
        in_response = False
        model: tuple[int, str] | None = None
        for line in lines:
            heading = _HEADING.match(line)
            if heading or line.startswith(("### ", "## ")):
                method = heading.group(1) if heading else None
                in_response = False
                model = None
                continue
            if method is None:
                continue
            if line.startswith("Response (inside"):
                in_response = True
                self.fields.setdefault(method, set())
                continue
            if not in_response:
                continue
            m = _MODEL.match(line)
            if m:
                model = (len(m.group(1)), m.group(2))
                self.models.setdefault(model[1], set())
                continue
            f = _FIELD.match(line)
            if f is None:
                continue
            indent = len(f.group(1))
            if model is not None and indent == model[0] + 2:
                self.models[model[1]].add(f.group(2))
            elif _TOP_FIELD.match(line):
                model = None
                self.fields[method].add(f.group(2))

    def _parse_appendix_b(self, lines: list[str]) -> None:
        for line in lines:
            row = _ROW.match(line)
            if row is None:
                continue
            cell = row.group(2).strip()
            if cell in ("—", "n/a", ""):
                self.fields.setdefault(row.group(1), set())
                continue
            names = {
                n.strip() for n in cell.split(",") if n.strip() and not n.strip().endswith("...")
            }
            self.fields.setdefault(row.group(1), set()).update(names)


@pytest.fixture(scope="module")
def doc() -> Doc:
    if not DOC.exists():
        pytest.skip(f"research notes not found at {DOC} (shared docs are outside the repo)")
    return Doc(DOC.read_text(encoding="utf-8"))


@pytest.mark.parametrize("method", sorted(METHODS))
def test_method_is_documented(doc: Doc, method: str) -> None:
    assert f"`{method}`" in doc.text, f"{method} is not in alipay-api.md"


@pytest.mark.parametrize("method", sorted(METHODS))
def test_response_fields_are_documented(doc: Doc, method: str) -> None:
    assert method in doc.fields, f"no response field list for {method} in Appendix A or B"
    allowed = doc.fields[method] | TOP_LEVEL_EXTENSIONS.get(method, set())
    extra = METHODS[method].response_fields - allowed
    assert not extra, f"{method} answers undocumented fields {sorted(extra)}"


def test_parser_sees_known_entries(doc: Doc) -> None:
    # Guards the parser itself: if the document's layout changes, fail loudly here.
    assert doc.fields["alipay.commerce.ec.employee.add"] >= {"employee_id", "sign_url"}
    assert doc.fields["alipay.commerce.ec.consume.detail.batchquery"] == {
        "consume_info_list",
        "page_num",
        "page_size",
    }
    assert "pay_no" in doc.models["EcConsumeInfo"]
    assert "activate" in doc.models["EmployeeInfoDTO"]


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    with running_sandbox(tmp_path_factory.mktemp("contract"), employees=20, bills=500) as sb:
        yield sb


def _nested_samples(sandbox: SandboxServer) -> list[tuple[str, str, dict[str, Any]]]:
    """(method, model, one emitted object) for every nested model the sandbox fills."""
    eid = sandbox.config["enterprise_id"]

    def call(method: str, **biz: Any) -> dict[str, Any]:
        resp = sandbox.call(method, {"enterprise_id": eid, **biz})
        assert resp["code"] == "10000", resp
        return resp

    p = "alipay.commerce.ec."
    out: list[tuple[str, str, dict[str, Any]]] = []
    with sandbox.store.tx() as conn:
        own = conn.execute(
            "SELECT id, created FROM bills WHERE voucher = 1 AND kind = 0 "
            "AND refund_fen = 0 LIMIT 1"
        ).fetchone()
        summary = conn.execute(
            "SELECT created, employee_id FROM bills WHERE voucher = 2 LIMIT 1"
        ).fetchone()
        employee = conn.execute(
            "SELECT employee_id FROM employees WHERE activate = 'ACTIVATED' LIMIT 1"
        ).fetchone()[0]
        dept = conn.execute("SELECT department_id FROM departments LIMIT 1").fetchone()[0]
        inst = conn.execute("SELECT institution_id FROM institutions LIMIT 1").fetchone()[0]
        window = conn.execute("SELECT MAX(modified) FROM bills").fetchone()[0]
    from workstation.sandbox import ids

    refund = sandbox.refund_bill(ids.pay_no(own[0], own[1]), amount_fen=1)
    assert refund is not None
    detail = call(p + "consume.detail.query", pay_no=ids.pay_no(own[0], own[1]))
    out.append((p + "consume.detail.query", "EcConsumeInfo", detail["consume_info"]))
    out.append((p + "consume.detail.query", "EcConsumeInfo", detail["related_refund_list"][0]))
    out.append((p + "consume.detail.query", "EcVoucherInfo", detail["related_voucher_list"][0]))
    batch = call(
        p + "consume.detail.batchquery",
        start_date=window[:10] + " 00:00:00",
        end_date=window,
        page_size="1000",
    )
    out.extend(
        (p + "consume.detail.batchquery", "EcConsumeInfo", i) for i in batch["consume_info_list"]
    )
    vouchers = call(p + "voucher.summary.query", summary_id=summary_id(summary[0], summary[1]))
    out.append((p + "voucher.summary.query", "EcVoucherInfo", vouchers["voucher_info_list"][0]))
    out.append(
        (
            p + "employee.info.query",
            "EmployeeInfoDTO",
            call(p + "employee.info.query", employee_id=employee)["employee_info"],
        )
    )
    out.append(
        (
            p + "enterprise.info.query",
            "EnterpriseInfoDTO",
            call(p + "enterprise.info.query")["enterprise_info"],
        )
    )
    out.append(
        (
            p + "department.info.query",
            "DepartmentInfoDTO",
            call(p + "department.info.query", department_id=dept)["department_info"],
        )
    )
    i = "alipay.ebpp.invoice.institution."
    detailinfo = call(i + "detailinfo.query", institution_id=inst)
    out.append((i + "detailinfo.query", "StandardInfo", detailinfo["standard_info_detail_list"][0]))
    out.append((i + "detailinfo.query", "IssueRuleInfo", detailinfo["issue_rule_info_list"][0]))
    cond = detailinfo["standard_info_detail_list"][0]["standard_condition_info_list"][0]
    out.append((i + "detailinfo.query", "StandardConditionInfo", cond))
    page = call(i + "pageinfo.query")["institution_basic_info_list"][0]
    out.append((i + "pageinfo.query", "InstitutionBasicInfo", page))
    quota = call("alipay.ebpp.invoice.expensecontrol.quota.query")["expense_quota_info_list"][0]
    out.append(("alipay.ebpp.invoice.expensecontrol.quota.query", "ExpenseQuotaInfo", quota))
    return out


def test_nested_fields_are_documented(doc: Doc, sandbox: SandboxServer) -> None:
    for method, model, sample in _nested_samples(sandbox):
        assert model in doc.models, f"model {model} ({method}) not in Appendix A"
        allowed = doc.models[model] | NESTED_EXTENSIONS.get(model, set())
        extra = set(sample) - allowed
        assert not extra, f"{method} {model} has undocumented fields {sorted(extra)}"
