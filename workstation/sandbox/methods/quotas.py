"""Quotas (余额/点券/次卡, alipay-api.md A.5).

Units, as published (and easy to get wrong):
- ``quota.create`` ``issue_quota_target_list[].issue_quota``: **yuan** string (``"500.00"``);
  a ``COUNT`` quota takes a whole number of uses. The legacy top-level ``quota_value``: **fen**.
- ``quota.modify`` ``amount``: **fen**, a positive whole number (max 10 000 000 = 100 000 元).
- ``quota.query`` ``quota_total``/``quota_available``/``quota_used``/``quota_locked``: **fen**
  strings.

``outer_source_id`` makes create and modify idempotent: a repeat returns the first answer and
changes nothing. Actions: ``ADD``, ``DEDUCT`` (alias ``REDUCE``), ``UPDATE_BALANCE`` (set
the available amount), ``DISABLE``/``ENABLE`` (aliases ``FREEZE``/``UNFREEZE``).
Owner types: ``ENTERPRISE_PAY_UID`` (employee id; the only kind the spending simulator draws
on), ``EMPLOYEE`` (Alipay user_id), ``PHONE`` (mobile), ``ENTERPRISE``.
"""

from __future__ import annotations

import json
import sqlite3

from workstation.sandbox import ids
from workstation.sandbox.errors import GatewayError
from workstation.sandbox.methods._base import (
    Biz,
    Context,
    boolean,
    invalid,
    method,
    obj_list,
    opt,
    page,
    parse_yuan,
    req,
    require_enterprise,
    str_list,
    timestamp,
    total_pages,
)
from workstation.sandbox.methods.institutions import DEFAULT_END
from workstation.sandbox.store import fmt_ts, next_ids

MAX_ISSUE_FEN = 10_000_000  # 100 000 元 per employee per issue: the published limit
MAX_MODIFY_FEN = 10_000_000
MAX_COUNT = 10_000
QUOTA_TYPES = {"CAP", "COUPON", "COUNT"}
EXPENSE_TYPES = {"MEAL", "DEFAULT", "TRAVEL", "TAXI", "OVERTIME"}
ACTIONS = {
    "ADD": "ADD",
    "DEDUCT": "DEDUCT",
    "REDUCE": "DEDUCT",
    "UPDATE_BALANCE": "UPDATE_BALANCE",
    "DISABLE": "DISABLE",
    "FREEZE": "DISABLE",
    "ENABLE": "ENABLE",
    "UNFREEZE": "ENABLE",
}


def _idempotent(ctx: Context, scope: str, outer: str | None) -> Biz | None:
    if outer is None:
        return None
    row = ctx.conn.execute(
        "SELECT response FROM idempotency WHERE scope = ? AND outer_source_id = ?", (scope, outer)
    ).fetchone()
    if row is None:
        return None
    response: Biz = json.loads(row[0])
    return response


def _remember(ctx: Context, scope: str, outer: str | None, response: Biz) -> None:
    if outer is not None:
        ctx.conn.execute(
            "INSERT INTO idempotency (scope, outer_source_id, response) VALUES (?, ?, ?)",
            (scope, outer, json.dumps(response, ensure_ascii=False)),
        )


def _owner_exists(ctx: Context, owner_type: str, owner_id: str | None) -> str | None:
    """None if the owner exists, else the reason (sub_code) it does not."""
    if owner_type == "ENTERPRISE":
        return None if owner_id in (None, ctx.enterprise_id) else "ENTERPRISE_NOT_EXIST"
    column = {"ENTERPRISE_PAY_UID": "employee_id", "EMPLOYEE": "user_id", "PHONE": "mobile"}.get(
        owner_type
    )
    if column is None:
        return "isv.invalid-parameter"
    if owner_id is None:
        return "isv.invalid-parameter"
    row = ctx.conn.execute(f"SELECT 1 FROM employees WHERE {column} = ?", (owner_id,)).fetchone()
    return None if row is not None else "EMPLOYEE_NOT_EXIST"


@method(
    "alipay.ebpp.invoice.expensecontrol.quota.create",
    "issue_batch_id",
    "issue_quota_check_failed_list",
    "quota_id",
)
def quota_create(ctx: Context, biz: Biz) -> Biz:
    require_enterprise(ctx, biz)
    outer = opt(biz, "outer_source_id")
    done = _idempotent(ctx, "quota.create", outer)
    if done is not None:
        return done
    target_type = opt(biz, "target_type") or "INSTITUTION"
    target_id = req(biz, "target_id")
    if target_type == "INSTITUTION":
        if (
            ctx.conn.execute(
                "SELECT 1 FROM institutions WHERE institution_id = ?", (target_id,)
            ).fetchone()
            is None
        ):
            raise GatewayError("INSTITUTION_NOT_EXIST", target_id)
    elif target_type == "EXPENSE_TYPE":
        if target_id not in EXPENSE_TYPES:
            raise invalid(f"target_id 不支持 {target_id}")
    else:
        raise invalid(f"target_type 不支持 {target_type}")
    quota_type = opt(biz, "quota_type") or "CAP"
    if quota_type not in QUOTA_TYPES:
        raise invalid(f"quota_type 不支持 {quota_type}")
    start = timestamp(biz, "effective_start_date") or ctx.now
    end = timestamp(biz, "effective_end_date")
    if end is not None and end < start:
        raise invalid("effective_end_date 不能早于 effective_start_date")
    share_mode = opt(biz, "share_mode") or "0"
    if share_mode not in ("0", "1"):
        raise invalid("share_mode 只能是 0 或 1")

    targets: list[tuple[str, str | None, object, Biz]] = []  # (type, id, amount, echo)
    items = obj_list(biz, "issue_quota_target_list", limit=1000)
    if items:
        for item in items:
            owner_type = opt(item, "owner_type") or "ENTERPRISE_PAY_UID"
            owner_id = opt(item, "owner_id") or opt(item, "owner_open_id")
            targets.append((owner_type, owner_id, item.get("issue_quota"), item))
    elif opt(biz, "owner_id") is not None:
        # Legacy single-owner form; quota_value is in fen.
        value = opt(biz, "quota_value")
        amount: object = None
        if value is not None and value.isdigit():
            fen = int(value)
            amount = f"{fen // 100}.{fen % 100:02d}"
        elif value is not None:
            amount = f"invalid:{value}"
        targets.append((opt(biz, "owner_type") or "ENTERPRISE_PAY_UID", opt(biz, "owner_id"),
                        amount, {"owner_id": opt(biz, "owner_id")}))  # fmt: skip
    else:
        raise invalid("缺少必选参数 issue_quota_target_list")

    failed: list[Biz] = []
    first_error: tuple[str, str] | None = None
    planned: list[tuple[str, str, int]] = []
    for owner_type, owner_id, raw_amount, item in targets:
        problem: tuple[str, str] | None = None
        reason = _owner_exists(ctx, owner_type, owner_id)
        if reason is not None:
            detail = f"owner_type={owner_type} owner_id={owner_id}"
            problem = (reason, detail if reason != "EMPLOYEE_NOT_EXIST" else str(owner_id))
        fen = 0
        if problem is None:
            try:
                fen = _issue_amount(raw_amount, quota_type)
            except GatewayError as exc:
                problem = (exc.sub_code, exc.sub_msg)
        if problem is not None:
            first_error = first_error or problem
            failed.append(
                {
                    k: v
                    for k, v in {
                        "owner_id": owner_id,
                        "owner_type": owner_type,
                        "issue_quota": raw_amount if isinstance(raw_amount, str) else None,
                        "user_name": opt(item, "user_name"),
                        "result": False,
                        "message": problem[1],
                    }.items()
                    if v is not None
                }
            )
            continue
        planned.append((owner_type, owner_id or ctx.enterprise_id, fen))
    if first_error is not None:
        # Nothing is created when any target fails; the list tells the caller which ones.
        code, detail = first_error
        raise GatewayError(code, detail, extra={"issue_quota_check_failed_list": failed})

    batch = ids.issue_batch_id(next_ids(ctx.conn, "issue_batch"))
    first = next_ids(ctx.conn, "quota", len(planned))
    ctx.conn.executemany(
        "INSERT INTO quotas (quota_id, issue_batch_id, owner_type, owner_id, target_type, "
        "target_id, quota_type, currency, total_fen, share_mode, effective_start_date, "
        "effective_end_date, gmt_create, gmt_modified) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 'CNY', ?, ?, ?, ?, ?, ?)",
        [
            (
                ids.quota_id(first + n), batch, owner_type, owner_id, target_type, target_id,
                quota_type, fen, share_mode, fmt_ts(start), fmt_ts(end) if end else DEFAULT_END,
                ctx.ts, ctx.ts,
            )
            for n, (owner_type, owner_id, fen) in enumerate(planned)
        ],
    )  # fmt: skip
    response = {"quota_id": ids.quota_id(first), "issue_batch_id": batch}
    _remember(ctx, "quota.create", outer, response)
    return response


def _issue_amount(raw: object, quota_type: str) -> int:
    if quota_type == "COUNT":
        text = str(raw).strip() if isinstance(raw, str | int) and not isinstance(raw, bool) else ""
        if not text.isdigit() or not 0 < int(text) <= MAX_COUNT:
            raise GatewayError(
                "AMOUNT_INVALID", f"issue_quota={raw!r}（次卡为1到{MAX_COUNT}的整数）"
            )
        return int(text)
    if raw is None or raw == "":
        raise GatewayError("AMOUNT_INVALID", "issue_quota 不能为空")
    fen = parse_yuan(raw, "issue_quota")
    if fen <= 0:
        raise GatewayError("AMOUNT_INVALID", f"issue_quota={raw!r}（必须大于0）")
    if fen > MAX_ISSUE_FEN:
        raise GatewayError("AMOUNT_INVALID", f"issue_quota={raw!r}（单次最多100000.00元）")
    return fen


def _quota(ctx: Context, quota_id: str) -> sqlite3.Row:
    row = ctx.conn.execute("SELECT * FROM quotas WHERE quota_id = ?", (quota_id,)).fetchone()
    if row is None:
        raise GatewayError("QUOTA_NOT_EXIST", quota_id)
    return row  # type: ignore[no-any-return]


@method("alipay.ebpp.invoice.expensecontrol.quota.modify", "success")
def quota_modify(ctx: Context, biz: Biz) -> Biz:
    require_enterprise(ctx, biz)
    quota = _quota(ctx, req(biz, "quota_id"))
    outer = opt(biz, "outer_source_id")
    done = _idempotent(ctx, f"quota.modify:{quota['quota_id']}", outer)
    if done is not None:
        return done
    raw_action = req(biz, "action").upper()
    action = ACTIONS.get(raw_action)
    if action is None:
        raise GatewayError("QUOTA_ACTION_INVALID", raw_action)
    total, used, locked = quota["total_fen"], quota["used_fen"], quota["locked_fen"]
    available = total - used - locked
    if action in ("ADD", "DEDUCT", "UPDATE_BALANCE"):
        text = opt(biz, "amount")
        if text is None or not text.isdigit():
            raise GatewayError("AMOUNT_INVALID", f"amount={text!r}（单位为分，必须是整数）")
        amount = int(text)
        if (amount <= 0 and action != "UPDATE_BALANCE") or amount > MAX_MODIFY_FEN:
            raise GatewayError("AMOUNT_INVALID", f"amount={text}（1到{MAX_MODIFY_FEN}分）")
        if action == "ADD":
            total += amount
        elif action == "DEDUCT":
            if amount > available and not boolean(biz, "allow_negative"):
                raise GatewayError(
                    "QUOTA_BALANCE_NOT_ENOUGH", f"可用 {available} 分，扣减 {amount} 分"
                )
            total -= amount
        else:
            total = used + locked + amount
        ctx.conn.execute(
            "UPDATE quotas SET total_fen = ?, gmt_modified = ? WHERE quota_id = ?",
            (total, ctx.ts, quota["quota_id"]),
        )
    else:
        ctx.conn.execute(
            "UPDATE quotas SET freeze = ?, gmt_modified = ? WHERE quota_id = ?",
            (1 if action == "DISABLE" else 0, ctx.ts, quota["quota_id"]),
        )
    response: Biz = {"success": True}
    _remember(ctx, f"quota.modify:{quota['quota_id']}", outer, response)
    return response


def quota_info(row: sqlite3.Row) -> Biz:
    total, used, locked = row["total_fen"], row["used_fen"], row["locked_fen"]
    return {
        "quota_id": row["quota_id"],
        "quota_type": row["quota_type"],
        "currency": row["currency"],
        "enterprise_id": None,  # filled by the caller
        "owner_id": row["owner_id"],
        "owner_type": row["owner_type"],
        "target_id": row["target_id"],
        "target_type": row["target_type"],
        "quota_total": str(total),
        "quota_used": str(used),
        "quota_locked": str(locked),
        "quota_available": str(total - used - locked),
        "freeze": bool(row["freeze"]),
        "effective_start_date": row["effective_start_date"],
        "effective_end_date": row["effective_end_date"],
    }


@method(
    "alipay.ebpp.invoice.expensecontrol.quota.query",
    "expense_quota_info_list",
    "page_num",
    "page_size",
    "total_page_count",
)
def quota_query(ctx: Context, biz: Biz) -> Biz:
    ent = require_enterprise(ctx, biz)
    num, size = page(biz, default_size=20, max_size=1000)
    where: list[str] = []
    args: list[object] = []
    for key in ("owner_id", "owner_type", "target_id", "target_type", "quota_type"):
        value = opt(biz, key)
        if value is not None:
            where.append(f"{key} = ?")
            args.append(value)
    quota_ids = str_list(biz, "quota_id_list")
    if quota_ids:
        where.append(f"quota_id IN ({','.join('?' * len(quota_ids))})")
        args.extend(quota_ids)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    total = ctx.conn.execute(f"SELECT COUNT(*) FROM quotas {clause}", args).fetchone()[0]
    rows = ctx.conn.execute(
        f"SELECT * FROM quotas {clause} ORDER BY quota_id LIMIT ? OFFSET ?",
        [*args, size, (num - 1) * size],
    )
    items = []
    for row in rows:
        info = quota_info(row)
        info["enterprise_id"] = ent["enterprise_id"]
        items.append(info)
    return {
        "expense_quota_info_list": items,
        "page_num": num,
        "page_size": size,
        "total_page_count": total_pages(total, size),
    }


@method("alipay.ebpp.invoice.expensecontrol.quota.delete")
def quota_delete(ctx: Context, biz: Biz) -> Biz:
    require_enterprise(ctx, biz)
    quota_id = opt(biz, "quota_id")
    batch = opt(biz, "issue_batch_id")
    if quota_id is not None:
        _quota(ctx, quota_id)
        ctx.conn.execute("DELETE FROM quotas WHERE quota_id = ?", (quota_id,))
    elif batch is not None:
        if not ctx.conn.execute("DELETE FROM quotas WHERE issue_batch_id = ?", (batch,)).rowcount:
            raise GatewayError("QUOTA_NOT_EXIST", f"issue_batch_id={batch}")
    else:
        raise invalid("quota_id 和 issue_batch_id 不能同时为空")
    return {}
