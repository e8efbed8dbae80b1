"""Live spending: new bills, refunds and activations, as the simulator (or a test) makes them.

A new bill is routed like a real payment: the employee's effective institutions (scope) are
matched to the merchant's kind (meal → ``expense_type MEAL``; night taxi → ``OVERTIME``;
travel, hotel and daytime taxi → ``TRAVEL``; business dinners → ``ENTERTAIN``; purchases →
an institution named …采购…), then the rule whose ``ALARM_CLOCK_TIME`` covers the hour, then
the employee's unfrozen, effective ``ENTERPRISE_PAY_UID`` quotas on that institution. The
enterprise pays what the quotas cover (``peer_pay_amount``); the rest is personal.
"""

from __future__ import annotations

import json
import random
import sqlite3
from dataclasses import dataclass

from workstation.sandbox import catalog, ids
from workstation.sandbox.errors import GatewayError
from workstation.sandbox.methods._base import Context
from workstation.sandbox.methods.bills import bill_by_pay_no
from workstation.sandbox.methods.institutions import member_institutions
from workstation.sandbox.methods.org import activate_employee
from workstation.sandbox.store import next_ids

__all__ = ["NewBill", "activate_pending", "create_bill", "refund_bill"]


@dataclass(frozen=True)
class NewBill:
    pay_no: str
    employee_id: str
    amount_fen: int
    peer_fen: int
    related_pay_no: str | None = None


def _merchant_index(merchant: str | int | None, kind: str | None, rng: random.Random) -> int:
    if isinstance(merchant, int):
        if not 0 <= merchant < len(catalog.MERCHANTS):
            raise ValueError(f"no merchant #{merchant}")
        return merchant
    if isinstance(merchant, str):
        for i, m in enumerate(catalog.MERCHANTS):
            if m.name == merchant or catalog.merchant_id(i) == merchant:
                return i
        raise ValueError(f"unknown merchant: {merchant}")
    if kind is None:
        kinds = list(catalog.KINDS)
        kind = rng.choices(kinds, weights=[catalog.KINDS[k].weight for k in kinds])[0]
    choices = [i for i, m in enumerate(catalog.MERCHANTS) if m.kind == kind]
    if not choices:
        raise ValueError(f"unknown kind: {kind}")
    return rng.choice(choices)


def _hours(rule_value: str) -> set[int]:
    out: set[int] = set()
    for part in rule_value.split(","):
        start, end = part.split("-")
        h1, h2 = int(start[:2]), int(end[:2])
        if h2 < h1 or (h2 == h1 and end < start):  # overnight window, e.g. 21:00-06:00
            out.update(range(h1, 24))
            out.update(range(0, h2 + 1))
        else:
            out.update(range(h1, h2 + 1))
    return out


def _route(ctx: Context, employee_id: str, kind: str, hour: int) -> tuple[str, str] | None:
    insts = member_institutions(ctx.conn, employee_id)
    night = hour >= 21 or hour < 6

    def wanted(row: sqlite3.Row) -> bool:
        scene, expense = row["scene_type"], row["expense_type"]
        if kind == "meal":
            return bool(expense == "MEAL")
        if kind == "taxi":
            return bool(scene == "OVERTIME" if night else scene == "TRAVEL")
        if kind in ("travel", "hotel"):
            return bool(scene == "TRAVEL")
        if kind == "entertain":
            return bool(scene == "ENTERTAIN")
        return "采购" in row["institution_name"]

    now = ctx.ts
    for inst in insts:
        if (
            not wanted(inst)
            or not inst["effective_start_date"] <= now <= inst["effective_end_date"]
        ):
            continue
        for std in ctx.conn.execute(
            "SELECT standard_id, conditions FROM standards WHERE institution_id = ? "
            "ORDER BY standard_id",
            (inst["institution_id"],),
        ):
            conds = json.loads(std[1])
            windows = [c["rule_value"] for c in conds if c["rule_factor"] == "ALARM_CLOCK_TIME"]
            try:
                if windows and not any(hour in _hours(w) for w in windows):
                    continue
            except (ValueError, IndexError):
                pass  # a malformed window cannot exclude anything
            return inst["institution_id"], std[0]
    return None


def _quotas(ctx: Context, employee_id: str, institution_id: str) -> list[sqlite3.Row]:
    return ctx.conn.execute(
        "SELECT * FROM quotas WHERE owner_type = 'ENTERPRISE_PAY_UID' AND owner_id = ? "
        "AND target_type = 'INSTITUTION' AND target_id = ? AND freeze = 0 "
        "AND quota_type = 'CAP' AND effective_start_date <= ? AND effective_end_date >= ? "
        "ORDER BY quota_id",
        (employee_id, institution_id, ctx.ts, ctx.ts),
    ).fetchall()


def create_bill(
    ctx: Context,
    rng: random.Random,
    *,
    employee_id: str | None = None,
    amount_fen: int | None = None,
    merchant: str | int | None = None,
    kind: str | None = None,
    memo: str | None = None,
    personal: bool = False,
) -> NewBill:
    """Insert one consume bill at ``ctx.now`` and emit ``consume.change.notify``."""
    if employee_id is None:
        row = ctx.conn.execute(
            "SELECT employee_id FROM employees WHERE activate = 'ACTIVATED' "
            "ORDER BY employee_id LIMIT 1 OFFSET ?",
            (rng.randrange(max(1, _active_count(ctx))),),
        ).fetchone()
        if row is None:
            raise GatewayError("EMPLOYEE_NOT_EXIST", "没有已激活的员工")
        employee_id = str(row[0])
    else:
        found = ctx.conn.execute(
            "SELECT activate FROM employees WHERE employee_id = ?", (employee_id,)
        ).fetchone()
        if found is None:
            raise GatewayError("EMPLOYEE_NOT_EXIST", employee_id)
        if found[0] != "ACTIVATED":  # only signed employees can pay with Enterprise Code
            raise ValueError(f"employee {employee_id} has not activated; activate them first")
    m_idx = _merchant_index(merchant, kind, rng)
    m = catalog.MERCHANTS[m_idx]
    if amount_fen is None:
        steps = (m.hi_fen - m.lo_fen) // m.step_fen + 1
        amount_fen = m.lo_fen + rng.randrange(steps) * m.step_fen
    if amount_fen <= 0:
        raise ValueError("amount must be positive")
    benefit = 0
    if rng.random() < 0.12 and amount_fen > 2000:
        benefit = rng.randint(1, min(amount_fen // 4, 1500) // 10) * 10
    inst_id = std_id = None
    peer = 0
    route = None if personal else _route(ctx, employee_id, m.kind, ctx.now.hour)
    if route is not None:
        inst_id, std_id = route
        left = amount_fen
        for quota in _quotas(ctx, employee_id, inst_id):
            available = quota["total_fen"] - quota["used_fen"] - quota["locked_fen"]
            take = min(left, max(available, 0))
            if take:
                ctx.conn.execute(
                    "UPDATE quotas SET used_fen = used_fen + ?, gmt_modified = ? "
                    "WHERE quota_id = ?",
                    (take, ctx.ts, quota["quota_id"]),
                )
                peer += take
                left -= take
            if not left:
                break
        if peer == 0:
            inst_id = std_id = None
    voucher = 2 if (peer and m.summary) else (1 if rng.random() < 0.65 else 0)
    bill_id = next_ids(ctx.conn, "bill")
    ctx.conn.execute(
        "INSERT INTO bills (id, kind, employee_id, merchant, amount_fen, peer_fen, benefit_fen, "
        "institution_id, standard_id, voucher, created, modified, memo) "
        "VALUES (?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (bill_id, employee_id, m_idx, amount_fen, peer, benefit, inst_id, std_id, voucher,
         ctx.ts, ctx.ts, memo),
    )  # fmt: skip
    pay_no = ids.pay_no(bill_id, ctx.ts)
    _emit(ctx, pay_no, employee_id, "CONSUME", "CREATE")
    return NewBill(pay_no, employee_id, amount_fen, peer)


def _active_count(ctx: Context) -> int:
    return int(
        ctx.conn.execute("SELECT COUNT(*) FROM employees WHERE activate = 'ACTIVATED'").fetchone()[
            0
        ]
    )


def _emit(ctx: Context, pay_no: str, employee_id: str, consume_type: str, change: str) -> None:
    ctx.emit(
        "alipay.commerce.ec.consume.change.notify",
        {
            "pay_no": pay_no,
            "enterprise_id": ctx.enterprise_id,
            "employee_id": employee_id,
            "consume_type": consume_type,
            "change_type": change,
            "gmt_modified": ctx.ts,
        },
    )


def refund_bill(
    ctx: Context, rng: random.Random, *, pay_no: str | None = None, amount_fen: int | None = None
) -> NewBill | None:
    """Refund (part of) a consume bill at ``ctx.now``: a REFUND bill plus an updated original.

    Without ``pay_no`` a recent bill that still has something to refund is picked; None if
    there is none. ``amount_fen`` defaults to the whole remainder (or a part, at random).
    """
    if pay_no is None:
        recent = ctx.conn.execute(
            "SELECT id, created FROM bills WHERE kind = 0 AND refund_fen < amount_fen "
            "ORDER BY modified DESC, id DESC LIMIT 200"
        ).fetchall()
        if not recent:
            return None
        pick = rng.choice(recent)
        pay_no = ids.pay_no(pick[0], pick[1])
    row = bill_by_pay_no(ctx.conn, pay_no)
    if row is None or row["kind"] != 0:
        raise GatewayError("BILL_NOT_EXIST", pay_no)
    remaining = row["amount_fen"] - row["refund_fen"]
    if remaining <= 0:
        raise GatewayError("AMOUNT_INVALID", f"{pay_no} 已全额退款")
    if amount_fen is None:
        amount_fen = (
            remaining
            if (rng.random() < 0.7 or remaining < 200)
            else rng.randint(100, remaining - 100)
        )
    if not 0 < amount_fen <= remaining:
        raise GatewayError("AMOUNT_INVALID", f"退款 {amount_fen} 分，可退 {remaining} 分")
    new_refund = row["refund_fen"] + amount_fen
    peer = row["peer_fen"]
    # The enterprise share is refunded in proportion; a full refund returns all of it.
    new_peer_refund = (
        peer if new_refund == row["amount_fen"] else peer * new_refund // row["amount_fen"]
    )
    peer_part = new_peer_refund - row["peer_refund_fen"]
    voucher = 0 if new_refund == row["amount_fen"] and row["voucher"] == 1 else row["voucher"]
    ctx.conn.execute(
        "UPDATE bills SET refund_fen = ?, peer_refund_fen = ?, voucher = ?, modified = ? "
        "WHERE id = ?",
        (new_refund, new_peer_refund, voucher, ctx.ts, row["id"]),
    )
    refund_id = next_ids(ctx.conn, "bill")
    ctx.conn.execute(
        "INSERT INTO bills (id, kind, employee_id, merchant, amount_fen, peer_fen, benefit_fen, "
        "related_id, institution_id, standard_id, voucher, created, modified) "
        "VALUES (?, 1, ?, ?, ?, ?, 0, ?, ?, ?, 0, ?, ?)",
        (refund_id, row["employee_id"], row["merchant"], amount_fen, peer_part, row["id"],
         row["institution_id"], row["standard_id"], ctx.ts, ctx.ts),
    )  # fmt: skip
    if peer_part and row["institution_id"] is not None:
        quota = ctx.conn.execute(
            "SELECT quota_id FROM quotas WHERE owner_type = 'ENTERPRISE_PAY_UID' AND owner_id = ? "
            "AND target_type = 'INSTITUTION' AND target_id = ? AND used_fen >= ? "
            "ORDER BY quota_id LIMIT 1",
            (row["employee_id"], row["institution_id"], peer_part),
        ).fetchone()
        if quota is not None:
            ctx.conn.execute(
                "UPDATE quotas SET used_fen = used_fen - ?, gmt_modified = ? WHERE quota_id = ?",
                (peer_part, ctx.ts, quota[0]),
            )
    refund_no = ids.pay_no(refund_id, ctx.ts)
    _emit(ctx, refund_no, row["employee_id"], "REFUND", "CREATE")
    _emit(ctx, pay_no, row["employee_id"], "CONSUME", "REFUND")
    return NewBill(refund_no, row["employee_id"], amount_fen, peer_part, related_pay_no=pay_no)


def activate_pending(ctx: Context, rng: random.Random) -> str | None:
    """Activate one not-yet-signed employee (as if they signed in the app); None if none."""
    rows = ctx.conn.execute(
        "SELECT employee_id FROM employees WHERE activate != 'ACTIVATED' ORDER BY employee_id"
    ).fetchall()
    if not rows:
        return None
    employee_id = str(rng.choice(rows)[0])
    activate_employee(ctx, employee_id)
    return employee_id
