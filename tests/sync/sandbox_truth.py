"""Ground truth for sync tests, read straight from the sandbox's own store (not through the
gateway), rendered by the sandbox's own answer builders, and compared with the cache."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from workstation.bills.models import Bill
from workstation.db.engine import Database
from workstation.institutions.models import ExpenseInstitution, ExpenseRule, InstitutionMember
from workstation.money import to_fen
from workstation.org.models import Department, Employee
from workstation.quotas.models import Quota
from workstation.sandbox.methods.bills import (
    BILL_SELECT,
    _summary_vouchers,
    consume_info,
    own_voucher,
    summary_id,
)
from workstation.sandbox.server import SandboxServer
from workstation.sandbox.store import beijing_now
from workstation.vouchers.models import Voucher

TS = "%Y-%m-%d %H:%M:%S"


def _conn(server: SandboxServer) -> sqlite3.Connection:
    conn = sqlite3.connect(server.db_path)
    conn.row_factory = sqlite3.Row
    return conn


def _fen(text: str) -> int:
    return to_fen(Decimal(text))


def sandbox_bills(server: SandboxServer) -> dict[str, dict[str, Any]]:
    conn = _conn(server)
    try:
        ent = conn.execute("SELECT * FROM enterprise").fetchone()
        institution_of = dict(conn.execute("SELECT standard_id, institution_id FROM standards"))
        result = {}
        for row in conn.execute(BILL_SELECT):
            info = consume_info(row, ent)
            refunded = info["refund_status"] in {"REFUND_FULL", "REFUND_PART"}
            result[info["pay_no"]] = {
                "employee_id": info["employee_id"],
                "consume_type": info["consume_type"],
                "related_pay_no": info.get("related_pay_no"),
                "total_amount": _fen(info["consume_amount"]),
                "enterprise_pay_amount": _fen(info["peer_pay_amount"]),
                "personal_pay_amount": _fen(info["consume_amount"]) - _fen(info["peer_pay_amount"]),
                "discount_amount": _fen(info["benefit_amount"]),
                "refund_amount": _fen(info["refund_amount"]),
                "trade_time": dt.datetime.strptime(info["gmt_receive_pay"], TS),
                "merchant_name": info["merchant_name"],
                "status": "refunded" if refunded else "paid",
                "summary_id": info.get("summary_apply_id"),
                "institution_id": institution_of.get(info.get("expense_rule_group_id")),
            }
        return result
    finally:
        conn.close()


def cache_bills(db: Database) -> dict[str, dict[str, Any]]:
    with db.read_session() as s:
        return {
            b.pay_no: {
                "employee_id": b.employee_id,
                "consume_type": b.consume_type,
                "related_pay_no": b.related_pay_no,
                "total_amount": to_fen(b.total_amount),
                "enterprise_pay_amount": to_fen(b.enterprise_pay_amount),
                "personal_pay_amount": to_fen(b.personal_pay_amount),
                "discount_amount": to_fen(b.discount_amount),
                "refund_amount": to_fen(b.refund_amount),
                "trade_time": b.trade_time,
                "merchant_name": b.merchant_name,
                "status": b.status.value,
                "summary_id": b.summary_id,
                "institution_id": b.institution_id,
            }
            for b in s.scalars(select(Bill))
        }


def sandbox_org(server: SandboxServer) -> tuple[dict[str, Any], dict[str, Any]]:
    conn = _conn(server)
    try:
        departments = {
            r["department_id"]: {
                "name": r["department_name"],
                "parent_id": None
                if r["parent_department_id"] == "-1"
                else r["parent_department_id"],
            }
            for r in conn.execute("SELECT * FROM departments")
        }
        memberships: dict[str, set[str]] = {}
        for r in conn.execute("SELECT employee_id, department_id FROM employee_departments"):
            memberships.setdefault(r["employee_id"], set()).add(r["department_id"])
        employees = {
            r["employee_id"]: {
                "name": r["employee_name"],
                "phone": r["mobile"],
                "email": r["email"],
                "status": "active" if r["activate"] == "ACTIVATED" else "pending",
                "departments": memberships.get(r["employee_id"], set()),
            }
            for r in conn.execute("SELECT * FROM employees")
        }
        return departments, employees
    finally:
        conn.close()


def cache_org(db: Database) -> tuple[dict[str, Any], dict[str, Any]]:
    with db.read_session() as s:
        departments = {
            d.department_id: {"name": d.name, "parent_id": d.parent_id}
            for d in s.scalars(select(Department).where(Department.deleted.is_(False)))
        }
        employees = {
            e.employee_id: {
                "name": e.name,
                "phone": e.phone,
                "email": e.email,
                "status": e.status.value,
                "department": e.department_id,
            }
            for e in s.scalars(select(Employee).where(Employee.deleted.is_(False)))
        }
    return departments, employees


def assert_org_mirrored(server: SandboxServer, db: Database) -> None:
    sb_depts, sb_emps = sandbox_org(server)
    c_depts, c_emps = cache_org(db)
    assert c_depts == sb_depts
    assert set(c_emps) == set(sb_emps)
    for eid, truth in sb_emps.items():
        mine = c_emps[eid]
        assert {k: mine[k] for k in ("name", "phone", "email", "status")} == {
            k: truth[k] for k in ("name", "phone", "email", "status")
        }, eid
        if truth["departments"]:
            assert mine["department"] in truth["departments"], eid


def assert_institutions_mirrored(server: SandboxServer, db: Database) -> None:
    conn = _conn(server)
    try:
        institutions = {
            r["institution_id"]: r["institution_name"]
            for r in conn.execute("SELECT * FROM institutions")
        }
        rules = {
            r["standard_id"]: r["institution_id"] for r in conn.execute("SELECT * FROM standards")
        }
        scope = {
            (r["institution_id"], r["owner_id"])
            for r in conn.execute(
                "SELECT s.institution_id, s.owner_id FROM institution_scope s "
                "JOIN institutions i ON i.institution_id = s.institution_id "
                "WHERE i.adapter_type != 'EMPLOYEE_ALL'"
            )
        }
    finally:
        conn.close()
    with db.read_session() as s:
        c_inst = {
            i.institution_id: i.name
            for i in s.scalars(
                select(ExpenseInstitution).where(ExpenseInstitution.deleted.is_(False))
            )
        }
        c_rules = {r.rule_id: r.institution_id for r in s.scalars(select(ExpenseRule))}
        c_scope = {
            (m.institution_id, m.employee_id or m.department_id)
            for m in s.scalars(select(InstitutionMember))
        }
    assert c_inst == institutions
    assert c_rules == rules
    assert c_scope == scope


def assert_quotas_mirrored(server: SandboxServer, db: Database) -> None:
    conn = _conn(server)
    try:
        truth = {
            r["quota_id"]: (
                r["owner_id"],
                r["target_id"],
                r["total_fen"],
                r["total_fen"] - r["used_fen"] - r["locked_fen"],
            )
            for r in conn.execute("SELECT * FROM quotas")
        }
    finally:
        conn.close()
    with db.read_session() as s:
        mine = {
            q.quota_id: (
                q.employee_id,
                q.institution_id,
                to_fen(q.total_amount),
                to_fen(q.available_amount),
            )
            for q in s.scalars(select(Quota).where(Quota.deleted.is_(False)))
        }
    assert mine == truth


def assert_bills_mirrored(server: SandboxServer, db: Database) -> None:
    truth = sandbox_bills(server)
    mine = cache_bills(db)
    assert set(mine) == set(truth)
    diffs = [(k, mine[k], truth[k]) for k in truth if mine[k] != truth[k]]
    assert diffs == [], diffs[:3]


def sandbox_vouchers(server: SandboxServer) -> dict[str, dict[str, Any]]:
    """Every voucher Alipay (the sandbox) would hand out now, by voucher id."""
    conn = _conn(server)
    try:
        ent = conn.execute("SELECT * FROM enterprise").fetchone()
        now = beijing_now()
        result: dict[str, dict[str, Any]] = {}
        summaries: set[str] = set()
        for row in conn.execute(BILL_SELECT + "WHERE b.kind = 0 AND b.voucher > 0"):
            if row["voucher"] == 1 and row["refund_fen"] < row["amount_fen"]:
                v = own_voucher(row, ent)
                result[v["voucher_id"]] = {
                    "bill_id": consume_info(row, ent)["pay_no"],
                    "content": json.loads(v["voucher_content"]),
                }
            elif row["voucher"] == 2:
                summaries.add(summary_id(row["created"], row["employee_id"]))
        for sid in summaries:
            for v in _summary_vouchers(conn, ent, sid, now, None):
                result[v["voucher_id"]] = {
                    "bill_id": None,
                    "content": json.loads(v["voucher_content"]),
                }
        return result
    finally:
        conn.close()


def assert_vouchers_mirrored(server: SandboxServer, db: Database) -> None:
    truth = sandbox_vouchers(server)
    with db.read_session() as s:
        mine = {
            v.voucher_id: {"bill_id": v.bill_id, "content": v.content}
            for v in s.scalars(select(Voucher))
        }
        links = dict(
            s.execute(
                select(Bill.voucher_id, Bill.pay_no).where(Bill.voucher_id.is_not(None))
            ).all()
        )
    assert set(mine) == set(truth)
    assert [k for k in truth if mine[k] != truth[k]] == []
    own = {k: v["bill_id"] for k, v in truth.items() if v["bill_id"]}
    assert links == own  # each bill points at its own e-invoice
