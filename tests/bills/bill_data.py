"""Seeded test bills across a 3-level department tree, with a Python ground truth."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from workstation.bills.models import Bill, BillStatus
from workstation.bills.query import BillFilter, BillRow, BillSort, BillTotals
from workstation.db.engine import Database
from workstation.org.models import Department, Employee
from workstation.sync.upsert import upsert

T0 = dt.datetime(2026, 1, 1)
MERCHANTS = [
    "滴滴出行",
    "美团外卖",
    "Starbucks Coffee",
    "全季酒店",
    "McDonald's",
    "100%_Shop",
    None,
]
CATEGORIES = ["TAXI", "MEAL", "HOTEL", None]


@dataclass
class Dataset:
    rows: list[BillRow]
    parents: dict[str, str]  # department_id -> parent_id

    def subtree(self, root: str) -> set[str]:
        out = {root}
        changed = True
        while changed:
            changed = False
            for dep, parent in self.parents.items():
                if parent in out and dep not in out:
                    out.add(dep)
                    changed = True
        return out

    def select(self, f: BillFilter) -> list[BillRow]:
        deps = None
        if f.department_id is not None:
            deps = self.subtree(f.department_id) if f.include_sub_departments else {f.department_id}
        out = []
        for r in self.rows:
            if f.date_from is not None and (r.trade_time is None or r.trade_time < f.date_from):
                continue
            if f.date_to is not None and (r.trade_time is None or r.trade_time >= f.date_to):
                continue
            if deps is not None and r.department_id not in deps:
                continue
            if f.employee_id is not None and r.employee_id != f.employee_id:
                continue
            if f.institution_id is not None and r.institution_id != f.institution_id:
                continue
            if f.status is not None and r.status != f.status:
                continue
            if f.amount_min is not None and r.total_amount < f.amount_min:
                continue
            if f.amount_max is not None and r.total_amount > f.amount_max:
                continue
            if f.merchant_text and (
                r.merchant_name is None or f.merchant_text.lower() not in r.merchant_name.lower()
            ):
                continue
            out.append(r)
        return out

    def sorted(self, f: BillFilter, sort: BillSort) -> list[BillRow]:
        def key(r: BillRow) -> tuple[Any, ...]:
            v = getattr(r, sort.column)
            if isinstance(v, BillStatus):
                v = v.value
            # SQL sorts NULL below every value (SQLite).
            return (v is not None, v if v is not None else 0, r.id)

        return sorted(self.select(f), key=key, reverse=sort.descending)

    def totals(self, f: BillFilter) -> BillTotals:
        rows = self.select(f)
        zero = Decimal("0.00")
        return BillTotals(
            len(rows),
            sum((r.total_amount for r in rows), zero),
            sum((r.enterprise_pay_amount for r in rows), zero),
            sum((r.personal_pay_amount for r in rows), zero),
            sum((r.refund_amount for r in rows), zero),
        )


def populate(db: Database, bills: int, seed: int = 7) -> Dataset:
    rng = random.Random(seed)
    parents: dict[str, str] = {}
    dep_names: dict[str, str] = {}
    with db.session() as s:
        for a in range(3):
            root = f"D{a}"
            parents[root] = "-1"
            for b in range(3):
                mid = f"{root}.{b}"
                parents[mid] = root
                for c in range(3):
                    parents[f"{mid}.{c}"] = mid
        for dep_id, parent in parents.items():
            dep_names[dep_id] = f"部门{dep_id}"
            s.add(
                Department(
                    department_id=dep_id,
                    enterprise_id="E1",
                    name=dep_names[dep_id],
                    parent_id=parent,
                    depth=dep_id.count(".") + 1,
                )
            )
        employees: dict[str, tuple[str, str]] = {}
        deps = list(parents)
        for i in range(60):
            emp = f"U{i:03d}"
            employees[emp] = (f"员工{rng.randrange(1000):03d}", rng.choice(deps))
            s.add(
                Employee(
                    employee_id=emp,
                    enterprise_id="E1",
                    name=employees[emp][0],
                    department_id=employees[emp][1],
                )
            )
    db_rows: list[dict[str, Any]] = []
    truth: list[BillRow] = []
    emp_ids = [*employees, "U_GONE"]  # a bill whose employee is not in t_employee
    for i in range(bills):
        emp = rng.choice(emp_ids)
        dep: str | None = employees[emp][1] if emp in employees else rng.choice([*deps, None])
        total = rng.choice([rng.randrange(0, 100_000), rng.randrange(0, 100) * 100])
        personal = rng.randrange(0, total + 1) if rng.random() < 0.3 else 0
        status = rng.choice(list(BillStatus))
        refund = rng.randrange(0, total + 1) if status is BillStatus.REFUNDED else 0
        # Seconds granularity with few distinct values, so ties exercise the id tie-breaker.
        when = T0 + dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 90, 7))
        merchant = rng.choice(MERCHANTS)
        category = rng.choice(CATEGORIES)
        institution = f"I{rng.randrange(4)}"
        pay_no = f"P{i:06d}"
        db_rows.append(
            {
                "pay_no": pay_no,
                "enterprise_id": "E1",
                "employee_id": emp,
                "department_id": dep,
                "institution_id": institution,
                "consume_type": "CONSUME",
                "total_amount": total,
                "enterprise_pay_amount": total - personal,
                "personal_pay_amount": personal,
                "discount_amount": 0,
                "refund_amount": refund,
                "trade_time": when,
                "merchant_name": merchant,
                "category": category,
                "status": status.value,
                "synced_at": T0,
            }
        )
        truth.append(
            BillRow(
                id=i + 1,
                pay_no=pay_no,
                trade_time=when,
                employee_id=emp,
                employee_name=employees[emp][0] if emp in employees else None,
                department_id=dep,
                department_name=dep_names.get(dep) if dep else None,
                institution_id=institution,
                merchant_name=merchant,
                category=category,
                total_amount=Decimal(total) / 100,
                enterprise_pay_amount=Decimal(total - personal) / 100,
                personal_pay_amount=Decimal(personal) / 100,
                refund_amount=Decimal(refund) / 100,
                status=status,
            )
        )
    with db.session() as s:
        upsert(s.connection(), Bill, db_rows, ["pay_no"])
    return Dataset(truth, parents)
