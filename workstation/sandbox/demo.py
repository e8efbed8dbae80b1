"""Deterministic demo company: enterprise, department tree, employees, institutions with rules
and members, quotas, and bills over the 90 days before an anchor time.

Everything comes from one ``random.Random(seed)`` and the anchor (the moment of the first
start, stored in ``meta``), so the same seed and anchor give byte-identical data. Bills are
generated day by day and inserted with ``executemany`` in chunks; a million bills take a few
seconds of Python and a few of SQLite.
"""

from __future__ import annotations

import json
import random
import sqlite3
from bisect import bisect_right
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import accumulate

from workstation.sandbox import catalog, ids
from workstation.sandbox.store import fmt_ts, next_ids

__all__ = ["ROUTES", "DemoSummary", "generate"]

DAYS = 90

# kind → candidate (institution key, standard index, hours) in order of preference: a night
# taxi goes to the overtime institution, a daytime one to travel if the employee has it.
ROUTES: dict[str, tuple[tuple[str, int, frozenset[int]], ...]] = {
    "meal": (("meal", 0, frozenset(range(10, 16))), ("meal", 1, frozenset(range(16, 24)))),
    "taxi": (
        ("taxi", 0, frozenset((21, 22, 23, 0, 1, 2, 3, 4, 5))),
        ("travel", 1, frozenset(range(24))),
    ),
    "travel": (("travel", 1, frozenset(range(24))),),
    "hotel": (("travel", 0, frozenset(range(24))),),
    "purchase": (("purchase", 0, frozenset(range(24))),),
    "entertain": (("entertain", 0, frozenset(range(24))),),
}

BILL_INSERT = (
    "INSERT INTO bills (id, kind, employee_id, merchant, amount_fen, peer_fen, benefit_fen, "
    "refund_fen, peer_refund_fen, related_id, institution_id, standard_id, voucher, created, "
    "modified, memo) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


@dataclass(frozen=True)
class DemoSummary:
    departments: int
    employees: int
    institutions: int
    quotas: int
    bills: int  # rows, including refund bills


def generate(
    conn: sqlite3.Connection,
    *,
    seed: int,
    employees: int,
    bills: int,
    anchor: datetime,
    enterprise_id: str,
) -> DemoSummary:
    """Fill an empty store. Runs inside the caller's transaction."""
    rng = random.Random(seed)
    anchor = anchor.replace(microsecond=0)
    name, alias, domain = catalog.ENTERPRISES[seed % len(catalog.ENTERPRISES)]
    _enterprise(
        conn,
        seed=seed,
        enterprise_id=enterprise_id,
        name=name,
        alias=alias,
        domain=domain,
        anchor=anchor,
    )
    dept_ids = _departments(conn, name, anchor)
    emps = _employees(conn, rng, count=employees, domain=domain, dept_ids=dept_ids, anchor=anchor)
    members, inst_rows = _institutions(conn, rng, emps, anchor)
    n_bills, used = _bills(
        conn, rng, total=bills, emps=emps, members=members, insts=inst_rows, anchor=anchor
    )
    n_quotas = _quotas(conn, emps=emps, members=members, insts=inst_rows, used=used, anchor=anchor)
    return DemoSummary(len(dept_ids), len(emps), len(inst_rows), n_quotas, n_bills)


def _enterprise(
    conn: sqlite3.Connection,
    *,
    seed: int,
    enterprise_id: str,
    name: str,
    alias: str,
    domain: str,
    anchor: datetime,
) -> None:
    created = fmt_ts(anchor - timedelta(days=400, hours=3))
    conn.execute(
        "INSERT INTO enterprise (enterprise_id, enterprise_name, enterprise_alias, "
        "enterprise_code, enterprise_email, account_id, out_biz_no, status, sign_status, "
        "activate, auth_status, auth_level, auth_time, gmt_create, gmt_modified) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 'NORMAL', 'SIGNED', 'ACTIVATED', 'AUTHED', 'L2', ?, ?, ?)",
        (
            enterprise_id,
            name,
            alias,
            "91330106MA" + ids.digits(f"uscc:{seed}", 8),
            f"finance@{domain}",
            "2088" + ids.digits(f"account:{seed}", 12),
            f"demo-register-{seed}",
            fmt_ts(anchor - timedelta(days=399)),
            created,
            created,
        ),
    )


def _departments(
    conn: sqlite3.Connection, enterprise_name: str, anchor: datetime
) -> dict[str, str]:
    first = next_ids(conn, "department", len(catalog.DEPARTMENTS))
    dept_ids = {
        key: ids.department_id(first + i) for i, (key, *_r) in enumerate(catalog.DEPARTMENTS)
    }
    rows = []
    for i, (key, name, parent, _weight) in enumerate(catalog.DEPARTMENTS):
        created = fmt_ts(anchor - timedelta(days=390, minutes=-i))
        rows.append(
            (
                dept_ids[key],
                dept_ids[parent] if parent else "-1",
                name or enterprise_name,
                f"D{i:03d}",
                created,
                created,
            )
        )
    conn.executemany(
        "INSERT INTO departments (department_id, parent_department_id, department_name, "
        "department_code, gmt_create, gmt_modified) VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )
    return dept_ids


@dataclass
class _Emp:
    index: int
    employee_id: str
    dept_keys: tuple[str, ...]
    active: bool


def _employees(
    conn: sqlite3.Connection,
    rng: random.Random,
    *,
    count: int,
    domain: str,
    dept_ids: dict[str, str],
    anchor: datetime,
) -> list[_Emp]:
    placeable = [(k, w) for k, _n, _p, w in catalog.DEPARTMENTS if w > 0]
    keys = [k for k, _w in placeable]
    cum = list(accumulate(w for _k, w in placeable))
    first = next_ids(conn, "employee", count)
    mobiles: set[str] = set()
    emails: set[str] = set()
    emps: list[_Emp] = []
    rows = []
    links: list[tuple[str, str]] = []
    n_surnames = len(catalog.SURNAMES)
    for i in range(count):
        eid = ids.employee_id(first + i)
        dept = keys[bisect_right(cum, rng.random() * cum[-1])]
        depts = [dept]
        if rng.random() < 0.06:
            other = keys[bisect_right(cum, rng.random() * cum[-1])]
            if other != dept:
                depts.append(other)
        surname, s_py = catalog.SURNAMES[int(n_surnames * rng.random() ** 2)]
        given = [rng.choice(catalog.GIVEN_NAMES) for _ in range(1 if rng.random() < 0.35 else 2)]
        full_name = surname + "".join(c for c, _p in given)
        local = "".join(p for _c, p in given) + "." + s_py
        email = f"{local}@{domain}"
        n = 2
        while email in emails:
            email = f"{local}{n}@{domain}"
            n += 1
        emails.add(email)
        mobile = rng.choice(catalog.MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        while mobile in mobiles:
            mobile = rng.choice(catalog.MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        mobiles.add(mobile)
        active = rng.random() < 0.9
        if active:
            created_dt = anchor - timedelta(days=rng.randint(95, 700), seconds=rng.randrange(86400))
            modified_dt = created_dt + timedelta(
                days=rng.randint(0, 3), seconds=rng.randrange(3600)
            )
        else:
            created_dt = anchor - timedelta(seconds=rng.randrange(1, 14 * 86400))
            modified_dt = created_dt
        labels = ["差旅员工"] if dept in ("north", "east", "south", "west", "bj", "sh") else []
        roles = ["ADMIN"] if dept == "fin" and i < count // 10 else ["USER"]
        rows.append(
            (
                eid,
                full_name,
                f"E{first + i:05d}",
                mobile,
                email,
                "ACTIVATED" if active else "UNACTIVATED",
                ids.user_id_for(eid),
                ids.open_id_for(eid),
                json.dumps(labels, ensure_ascii=False),
                json.dumps(roles),
                f"{rng.getrandbits(64):016x}",
                f"{rng.randrange(10**7, 10**8)}",
                fmt_ts(created_dt),
                fmt_ts(modified_dt),
            )
        )
        links.extend((eid, dept_ids[d]) for d in depts)
        emps.append(_Emp(i, eid, tuple(depts), active))
    conn.executemany(
        "INSERT INTO employees (employee_id, employee_name, employee_no, mobile, email, activate, "
        "user_id, open_id, label_names, role_list, sign_token, share_code, gmt_create, "
        "gmt_modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.executemany(
        "INSERT INTO employee_departments (employee_id, department_id) VALUES (?, ?)", links
    )
    return emps


@dataclass(frozen=True)
class _Inst:
    key: str
    institution_id: str
    standard_ids: tuple[str, ...]
    monthly_fen: int
    issue_batch_id: str


def _subtree(key: str) -> set[str]:
    out = {key}
    changed = True
    while changed:
        changed = False
        for k, _n, parent, _w in catalog.DEPARTMENTS:
            if parent in out and k not in out:
                out.add(k)
                changed = True
    return out


def _institutions(
    conn: sqlite3.Connection, rng: random.Random, emps: list[_Emp], anchor: datetime
) -> tuple[dict[str, set[int]], dict[str, _Inst]]:
    start = (anchor - timedelta(days=200)).replace(hour=0, minute=0, second=0)
    end = start.replace(year=start.year + 5, month=12, day=31, hour=23, minute=59, second=59)
    created = fmt_ts(start + timedelta(hours=10))
    merchants_of: dict[str, list[str]] = {}
    for i, m in enumerate(catalog.MERCHANTS):
        if m.scene_code != "METRO":
            merchants_of.setdefault(m.kind, []).append(catalog.merchant_id(i))
    members: dict[str, set[int]] = {}
    insts: dict[str, _Inst] = {}
    for demo in catalog.INSTITUTIONS:
        inst_id = ids.institution_id(next_ids(conn, "institution"))
        if demo.departments == ("*",):
            chosen = {e.index for e in emps if rng.random() < 0.85}
        else:
            allowed: set[str] = set()
            for key in demo.departments:
                allowed |= _subtree(key)
            chosen = {e.index for e in emps if allowed.intersection(e.dept_keys)}
        members[demo.key] = chosen
        std_ids = []
        std_info = []
        for j, (std_name, conditions, _lo, _hi) in enumerate(demo.standards):
            sid = ids.standard_id(next_ids(conn, "standard"))
            std_ids.append(sid)
            conds = []
            for factor, raw_value in conditions:
                value = (
                    ",".join(merchants_of[raw_value[1:]])
                    if raw_value.startswith("@")
                    else raw_value
                )
                conds.append(
                    {
                        "rule_factor": factor,
                        "rule_value": value,
                        "rule_id": ids.rule_id(next_ids(conn, "rule")),
                        "rule_name": _RULE_NAMES.get(factor, factor),
                    }
                )
            std_info.append({"standard_id": sid, "outer_source_id": f"demo-{demo.key}-std-{j}"})
            conn.execute(
                "INSERT INTO standards (standard_id, institution_id, outer_source_id, "
                "standard_name, standard_desc, consume_mode, conditions, gmt_create, gmt_modified) "
                "VALUES (?, ?, ?, ?, ?, 'DEFAULT', ?, ?, ?)",
                (
                    sid,
                    inst_id,
                    f"demo-{demo.key}-std-{j}",
                    std_name,
                    f"{demo.name}·{std_name}",
                    json.dumps(conds, ensure_ascii=False),
                    created,
                    created,
                ),
            )
        rule_id = ids.issue_rule_id(next_ids(conn, "issue_rule"))
        issue_rule = {
            "issue_rule_id": rule_id,
            "issue_rule_name": "每月1日自动发放",
            "issue_type": "MONTHLY",
            "issue_amount_value": f"{demo.monthly_fen // 100}.{demo.monthly_fen % 100:02d}",
            "invalid_mode": 0,
            "quota_type": "CAP",
            "share_mode": 0,
            "target_type": "INSTITUTION",
            "target_id": inst_id,
            "effective_period": "MONTH",
            "issue_start_date": fmt_ts(start),
            "issue_end_date": fmt_ts(end),
            "outer_source_id": f"demo-{demo.key}-issue",
        }
        conn.execute(
            "INSERT INTO issue_rules (issue_rule_id, institution_id, data) VALUES (?, ?, ?)",
            (rule_id, inst_id, json.dumps(issue_rule, ensure_ascii=False)),
        )
        create_response = {
            "institution_id": inst_id,
            "standard_id_info_list": std_info,
            "issue_rule_id_info_list": [
                {"issue_rule_id": rule_id, "outer_source_id": f"demo-{demo.key}-issue"}
            ],
        }
        conn.execute(
            "INSERT INTO institutions (institution_id, outer_source_id, institution_name, "
            "institution_desc, expense_type, scene_type, consult_mode, currency, effective, "
            "effective_start_date, effective_end_date, adapter_type, owner_type, "
            "multi_employee_share_mode, create_response, gmt_create, gmt_modified) "
            "VALUES (?, ?, ?, ?, ?, ?, '0', 'CNY', '1', ?, ?, 'EMPLOYEE_SELECT', "
            "'ENTERPRISE_PAY_UID', '0', ?, ?, ?)",
            (
                inst_id,
                f"demo-{demo.key}",
                demo.name,
                demo.desc,
                demo.expense_type,
                demo.scene_type,
                fmt_ts(start),
                fmt_ts(end),
                json.dumps(create_response, ensure_ascii=False),
                created,
                created,
            ),
        )
        conn.executemany(
            "INSERT INTO institution_scope (institution_id, owner_id) VALUES (?, ?)",
            [(inst_id, emps[i].employee_id) for i in sorted(chosen)],
        )
        batch = ids.issue_batch_id(next_ids(conn, "issue_batch"))
        insts[demo.key] = _Inst(demo.key, inst_id, tuple(std_ids), demo.monthly_fen, batch)
    return members, insts


_RULE_NAMES = {
    "QUOTA_DAY": "单日限额",
    "QUOTA_MONTH": "单月限额",
    "QUOTA_TOTAL": "总限额",
    "ALARM_CLOCK_TIME": "可用时段",
    "MCC": "商户类别",
    "MERCHANT": "指定商户",
    "MEAL_MERCHANT": "指定餐饮商户",
    "SHOP": "指定门店",
}


def _bills(
    conn: sqlite3.Connection,
    rng: random.Random,
    *,
    total: int,
    emps: list[_Emp],
    members: dict[str, set[int]],
    insts: dict[str, _Inst],
    anchor: datetime,
) -> tuple[int, dict[tuple[int, str], int]]:
    """Insert ``total`` consume bills (plus ~2 % refund bills). Returns rows and quota use."""
    rnd = rng.random
    active = [e for e in emps if e.active]
    if not active or total <= 0:
        return 0, {}
    pool: list[int] = []
    for e in active:
        pool.extend([e.index] * rng.randint(1, 3))
    kinds = list(catalog.KINDS)
    kind_cum = list(accumulate(catalog.KINDS[k].weight for k in kinds))
    hours_of = {k: [h for h, w in catalog.KINDS[k].hours for _ in range(w)] for k in kinds}
    merchants_of: dict[str, list[int]] = {k: [] for k in kinds}
    for i, m in enumerate(catalog.MERCHANTS):
        merchants_of[m.kind].append(i)
    # Per employee and kind: the routes they can use (member institutions only).
    route_of: list[dict[str, list[tuple[frozenset[int], str, str, str]]]] = []
    for e in emps:
        table: dict[str, list[tuple[frozenset[int], str, str, str]]] = {}
        for kind, options in ROUTES.items():
            table[kind] = [
                (hours, key, insts[key].institution_id, insts[key].standard_ids[std])
                for key, std, hours in options
                if e.index in members[key]
            ]
        route_of.append(table)

    today = anchor.replace(hour=0, minute=0, second=0)
    elapsed_today = (anchor - today).seconds
    month_start = fmt_ts(today.replace(day=1))
    days = [today - timedelta(days=DAYS - 1 - d) for d in range(DAYS)]
    weights = [0.3 if d.weekday() >= 5 else 1.0 for d in days]
    weights[-1] *= elapsed_today / 86400
    cum_w = list(accumulate(weights))
    counts = [
        round(total * cum_w[i] / cum_w[-1]) - (round(total * cum_w[i - 1] / cum_w[-1]) if i else 0)
        for i in range(DAYS)
    ]
    available: dict[tuple[int, str], int] = {}
    used: dict[tuple[int, str], int] = {}
    next_id = 1
    rows_written = 0
    memos = catalog.MEMOS
    for day, count in zip(days, counts, strict=True):
        if count <= 0:
            continue
        is_today = day == today
        prefix = fmt_ts(day)[:10]
        # Pass 1: draw the bills of the day in any order.
        drafts = []
        for _ in range(count):
            emp = pool[int(rnd() * len(pool))]
            kind = kinds[bisect_right(kind_cum, rnd() * kind_cum[-1])]
            hours = hours_of[kind]
            hour = hours[int(rnd() * len(hours))]
            sec = hour * 3600 + int(rnd() * 3600)
            if is_today and sec >= elapsed_today:
                sec = int(rnd() * elapsed_today)
                hour = sec // 3600
            mlist = merchants_of[kind]
            m_idx = mlist[int(rnd() * len(mlist))]
            m = catalog.MERCHANTS[m_idx]
            u = rnd()
            if kind in ("purchase", "travel", "entertain"):
                u *= u  # most purchases are small, a few are large
            amount = m.lo_fen + int(u * ((m.hi_fen - m.lo_fen) // m.step_fen + 1)) * m.step_fen
            benefit = 0
            if rnd() < 0.12 and amount > 2000:
                benefit = (1 + int(rnd() * min(amount // 4, 1500) // 10)) * 10
            route = None
            for hset, r_key, r_inst, r_std in route_of[emp][kind]:
                if hour in hset:
                    route = (r_key, r_inst, r_std)
                    break
            r = rnd()
            share = 100 if r < 0.9 else 40 + int(rnd() * 50)  # 10 % combined payments
            if route is not None and rnd() < 0.05:
                route = None  # the employee chose to pay personally
            memo = memos[int(rnd() * len(memos))] if rnd() < 0.1 else None
            drafts.append((sec, emp, m_idx, amount, benefit, route, share, memo))
        drafts.sort(key=lambda d: d[0])
        # Pass 2: chronological, so quota balances of the current month run forward.
        rows: list[tuple[object, ...]] = []
        for sec, emp, m_idx, amount, benefit, route, share, memo in drafts:
            created = f"{prefix} {sec // 3600:02d}:{sec // 60 % 60:02d}:{sec % 60:02d}"
            peer = 0
            inst_id: str | None = None
            std_id: str | None = None
            if route is not None:
                key, inst_id, std_id = route[0], route[1], route[2]
                peer = amount if share == 100 else amount * share // 100
                if created >= month_start:
                    slot = (emp, key)
                    left = available.get(slot, insts[key].monthly_fen)
                    peer = min(peer, left)
                    available[slot] = left - peer
                    used[slot] = used.get(slot, 0) + peer
                if peer == 0:
                    inst_id = std_id = None
            m = catalog.MERCHANTS[m_idx]
            # Summary-invoicing merchants bill the enterprise monthly; most others issue one.
            voucher = 2 if peer and m.summary else (1 if rnd() < 0.65 else 0)
            bill_id = next_id
            next_id += 1
            refund_row = None
            modified = created
            refund = peer_refund = 0
            if rnd() < 0.02:
                delay = 300 + int(rnd() * 3 * 86400)
                refund_dt = day + timedelta(seconds=sec + delay)
                if refund_dt < anchor:
                    refund = (
                        amount
                        if (rnd() < 0.7 or amount <= 200)
                        else 100 + int(rnd() * (amount - 200))
                    )
                    peer_refund = peer if refund == amount else peer * refund // amount
                    modified = fmt_ts(refund_dt)
                    if refund == amount:
                        voucher = 0
                    if route is not None and peer_refund and modified >= month_start:
                        slot = (emp, route[0])
                        if slot in used:
                            used[slot] -= peer_refund
                    refund_row = (
                        next_id, 1, emps[emp].employee_id, m_idx, refund, peer_refund, 0, 0, 0,
                        bill_id, inst_id, std_id, 0, modified, modified, None,
                    )  # fmt: skip
                    next_id += 1
            rows.append(
                (
                    bill_id, 0, emps[emp].employee_id, m_idx, amount, peer, benefit, refund,
                    peer_refund, None, inst_id, std_id, voucher, created, modified, memo,
                )
            )  # fmt: skip
            if refund_row is not None:
                rows.append(refund_row)
        conn.executemany(BILL_INSERT, rows)
        rows_written += len(rows)
    conn.execute(
        "INSERT INTO seq (kind, next) VALUES ('bill', ?) "
        "ON CONFLICT (kind) DO UPDATE SET next = excluded.next",
        (next_id,),
    )
    return rows_written, used


def _quotas(
    conn: sqlite3.Connection,
    *,
    emps: list[_Emp],
    members: dict[str, set[int]],
    insts: dict[str, _Inst],
    used: dict[tuple[int, str], int],
    anchor: datetime,
) -> int:
    month_start = anchor.replace(day=1, hour=0, minute=0, second=0)
    next_month = (month_start + timedelta(days=32)).replace(day=1)
    start, end = fmt_ts(month_start), fmt_ts(next_month - timedelta(seconds=1))
    created = fmt_ts(month_start + timedelta(minutes=5))
    rows = []
    slots = [(key, i) for key in insts for i in sorted(members[key])]
    first = next_ids(conn, "quota", len(slots))
    for n, (key, i) in enumerate(slots):
        inst = insts[key]
        rows.append(
            (
                ids.quota_id(first + n),
                inst.issue_batch_id,
                "ENTERPRISE_PAY_UID",
                emps[i].employee_id,
                "INSTITUTION",
                inst.institution_id,
                "CAP",
                "CNY",
                inst.monthly_fen,
                max(0, used.get((i, key), 0)),
                start,
                end,
                created,
                created,
            )
        )
    conn.executemany(
        "INSERT INTO quotas (quota_id, issue_batch_id, owner_type, owner_id, target_type, "
        "target_id, quota_type, currency, total_fen, used_fen, effective_start_date, "
        "effective_end_date, gmt_create, gmt_modified) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return len(rows)
