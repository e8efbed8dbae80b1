"""Expense institutions (费控制度), their usage rules (使用规则), issue rules and member scope
(alipay-api.md A.4).

Scope model: ``adapter_type`` ``EMPLOYEE_ALL`` (everyone, no list), ``EMPLOYEE_SELECT`` with
``owner_type`` ``ENTERPRISE_PAY_UID`` (employee ids) or ``EMPLOYEE_DEPARTMENT`` with
``owner_type`` ``DEPARTMENT`` (department ids). Every id added must exist, else
``MEMBER_NOT_EXIST`` naming it. ``effective`` is ``"1"``/``"0"``. Deleting an institution
also deletes its rules, scope and the quotas that target it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from datetime import datetime

from workstation.sandbox import ids
from workstation.sandbox.errors import GatewayError
from workstation.sandbox.methods._base import (
    Biz,
    Context,
    integer,
    invalid,
    method,
    obj,
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
from workstation.sandbox.store import fmt_ts, next_ids

RULE_FACTORS = {
    "QUOTA_DAY": "单日限额",
    "QUOTA_MONTH": "单月限额",
    "QUOTA_TOTAL": "总限额",
    "MERCHANT": "指定商户",
    "MEAL_MERCHANT": "指定餐饮商户",
    "MCC": "商户类别",
    "SHOP": "指定门店",
    "ALARM_CLOCK_TIME": "可用时段",
    "EFFECTIVE_DATE": "有效期",
}
ADAPTER_OWNER = {
    "EMPLOYEE_ALL": None,
    "EMPLOYEE_SELECT": "ENTERPRISE_PAY_UID",
    "EMPLOYEE_DEPARTMENT": "DEPARTMENT",
}
CONSUME_MODES = {"DEFAULT", "COUPON_ONLY", "COUPON_AND_CAP", "COUNT"}
MAX_RULE_FEN = 100_000_000  # 1 000 000 元: far above any per-rule limit a company sets
_TIME_RANGE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$")
_ID_LIST = re.compile(r"^[A-Za-z0-9_\-]+(,[A-Za-z0-9_\-]+)*$")
_MCC_LIST = re.compile(r"^\d{4}(,\d{4})*$")
DEFAULT_END = "2099-12-31 23:59:59"


# --- rules ---------------------------------------------------------------------------------


def _validity(value: str) -> bool:
    """``start~end`` datetimes, start before end."""
    start, sep, end = value.partition("~")
    if not sep:
        return False
    try:
        begin = dt.datetime.strptime(start.strip(), "%Y-%m-%d %H:%M:%S")
        finish = dt.datetime.strptime(end.strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return False
    return begin < finish


def _conditions(ctx: Context, items: list[Biz]) -> list[Biz]:
    out: list[Biz] = []
    for item in items:
        factor = req(item, "rule_factor")
        value = req(item, "rule_value")
        if factor not in RULE_FACTORS:
            raise GatewayError("RULE_FACTOR_INVALID", factor)
        if factor.startswith("QUOTA_"):
            try:
                fen = parse_yuan(value, "rule_value")
            except GatewayError:
                raise GatewayError("RULE_VALUE_INVALID", f"{factor}={value}") from None
            if not 0 < fen <= MAX_RULE_FEN:
                raise GatewayError("RULE_VALUE_INVALID", f"{factor}={value}")
        elif factor == "ALARM_CLOCK_TIME":
            if not all(_TIME_RANGE.match(part) for part in value.split(",")):
                raise GatewayError("RULE_VALUE_INVALID", f"{factor}={value}，格式 HH:mm-HH:mm")
        elif factor == "EFFECTIVE_DATE":
            if not _validity(value):
                raise GatewayError(
                    "RULE_VALUE_INVALID",
                    f"{factor}={value}，格式 yyyy-MM-dd HH:mm:ss~yyyy-MM-dd HH:mm:ss",
                )
        elif factor == "MCC":
            if not _MCC_LIST.match(value):
                raise GatewayError("RULE_VALUE_INVALID", f"{factor}={value}")
        elif not _ID_LIST.match(value):
            raise GatewayError("RULE_VALUE_INVALID", f"{factor}={value}")
        cond: Biz = {
            "rule_factor": factor,
            "rule_value": value,
            "rule_id": opt(item, "rule_id") or ids.rule_id(next_ids(ctx.conn, "rule")),
            "rule_name": opt(item, "rule_name") or RULE_FACTORS[factor],
        }
        operator = opt(item, "rule_operator")
        if operator is not None:
            cond["rule_operator"] = operator
        out.append(cond)
    return out


def _standard_fields(ctx: Context, item: Biz, *, creating: bool) -> Biz:
    """The writable columns of a usage rule present in ``item`` (validated)."""
    fields: Biz = {}
    name = opt(item, "standard_name")
    if name is not None:
        if len(name) > 64:
            raise invalid("standard_name 最长64个字符")
        fields["standard_name"] = name
    elif creating:
        raise invalid("缺少必选参数 standard_name")
    for key in ("standard_desc", "payment_policy", "expense_type_sub_category", "open_rule_id"):
        value = opt(item, key)
        if value is not None:
            fields[key] = value
    mode = opt(item, "consume_mode")
    if mode is not None:
        if mode not in CONSUME_MODES:
            raise invalid(f"consume_mode 不支持 {mode}")
        fields["consume_mode"] = mode
    if item.get("personal_qrcode_mode") is not None:
        fields["personal_qrcode_mode"] = integer(item, "personal_qrcode_mode", 0, 0, 1)
    conds = obj_list(item, "standard_condition_info_list") or obj_list(
        item, "expense_ctrl_rule_info_list"
    )
    if conds:
        fields["conditions"] = json.dumps(_conditions(ctx, conds), ensure_ascii=False)
    elif creating:
        fields["conditions"] = "[]"
    share = obj(item, "asset_share_source_info")
    if share is not None:
        fields["asset_share_source_info"] = json.dumps(share, ensure_ascii=False)
    return fields


def _insert_standard(ctx: Context, inst_id: str, item: Biz) -> Biz:
    fields = _standard_fields(ctx, item, creating=True)
    outer = opt(item, "outer_source_id")
    if outer is not None:
        clash = ctx.conn.execute(
            "SELECT standard_id FROM standards WHERE institution_id = ? AND outer_source_id = ?",
            (inst_id, outer),
        ).fetchone()
        if clash is not None:
            raise invalid(f"使用规则 outer_source_id 重复: {outer}")
    sid = ids.standard_id(next_ids(ctx.conn, "standard"))
    fields.update(
        standard_id=sid,
        institution_id=inst_id,
        outer_source_id=outer,
        gmt_create=ctx.ts,
        gmt_modified=ctx.ts,
    )
    ctx.conn.execute(
        f"INSERT INTO standards ({', '.join(fields)}) VALUES ({', '.join('?' * len(fields))})",
        list(fields.values()),
    )
    info: Biz = {"standard_id": sid}
    if outer is not None:
        info["outer_source_id"] = outer
    return info


def standard_info(row: sqlite3.Row) -> Biz:
    info: Biz = {
        "standard_id": row["standard_id"],
        "standard_name": row["standard_name"],
        "standard_desc": row["standard_desc"],
        "consume_mode": row["consume_mode"],
        "payment_policy": row["payment_policy"],
        "expense_type_sub_category": row["expense_type_sub_category"],
        "open_rule_id": row["open_rule_id"],
        "outer_source_id": row["outer_source_id"],
        "personal_qrcode_mode": row["personal_qrcode_mode"],
        "standard_condition_info_list": json.loads(row["conditions"]),
    }
    if row["asset_share_source_info"]:
        info["asset_share_source_info"] = json.loads(row["asset_share_source_info"])
    return {k: v for k, v in info.items() if v is not None}


def _standard(ctx: Context, inst_id: str, standard_id: str) -> sqlite3.Row:
    row = ctx.conn.execute(
        "SELECT * FROM standards WHERE standard_id = ? AND institution_id = ?",
        (standard_id, inst_id),
    ).fetchone()
    if row is None:
        raise GatewayError("STANDARD_NOT_EXIST", standard_id)
    return row  # type: ignore[no-any-return]


def _update_standard(ctx: Context, inst_id: str, item: Biz) -> None:
    sid = _standard(ctx, inst_id, req(item, "standard_id"))["standard_id"]
    fields = _standard_fields(ctx, item, creating=False)
    if fields:
        sets = ", ".join(f"{k} = ?" for k in fields)
        ctx.conn.execute(
            f"UPDATE standards SET {sets}, gmt_modified = ? WHERE standard_id = ?",
            [*fields.values(), ctx.ts, sid],
        )


# --- issue rules ------------------------------------------------------------------------

_ISSUE_KEYS = (
    "effective_period", "invalid_mode_value", "issue_end_date", "issue_rule_name",
    "issue_start_date", "issue_type", "outer_source_id", "quota_type", "target_id", "target_type",
)  # fmt: skip


def _issue_rule_fields(item: Biz) -> Biz:
    data: Biz = {k: opt(item, k) for k in _ISSUE_KEYS if opt(item, k) is not None}
    if item.get("invalid_mode") is not None:
        data["invalid_mode"] = integer(item, "invalid_mode", 0, 0, 3)
    if item.get("share_mode") is not None:
        data["share_mode"] = integer(item, "share_mode", 0, 0, 1)
    amount = opt(item, "issue_amount_value")
    if amount is not None:
        fen = parse_yuan(amount, "issue_amount_value")
        if fen <= 0:
            raise GatewayError("AMOUNT_INVALID", f"issue_amount_value={amount}")
        data["issue_amount_value"] = f"{fen // 100}.{fen % 100:02d}"
    for key in ("issue_start_date", "issue_end_date"):
        timestamp(data, key)  # validates the format
    return data


def _insert_issue_rule(ctx: Context, inst_id: str, item: Biz) -> Biz:
    data = _issue_rule_fields(item)
    data.setdefault("target_type", "INSTITUTION")
    data.setdefault("target_id", inst_id)
    rid = ids.issue_rule_id(next_ids(ctx.conn, "issue_rule"))
    data["issue_rule_id"] = rid
    ctx.conn.execute(
        "INSERT INTO issue_rules (issue_rule_id, institution_id, data) VALUES (?, ?, ?)",
        (rid, inst_id, json.dumps(data, ensure_ascii=False)),
    )
    info: Biz = {"issue_rule_id": rid}
    if "outer_source_id" in data:
        info["outer_source_id"] = data["outer_source_id"]
    return info


# --- scope ----------------------------------------------------------------------------------


def _check_owners(ctx: Context, adapter: str, owner_ids: list[str]) -> None:
    table, column = (
        ("departments", "department_id")
        if adapter == "EMPLOYEE_DEPARTMENT"
        else ("employees", "employee_id")
    )
    for owner in owner_ids:
        if (
            ctx.conn.execute(f"SELECT 1 FROM {table} WHERE {column} = ?", (owner,)).fetchone()
            is None
        ):
            raise GatewayError("MEMBER_NOT_EXIST", owner)


def _scope_spec(adapter: str | None, owner_type: str | None) -> tuple[str, str]:
    adapter = adapter or "EMPLOYEE_SELECT"
    if adapter not in ADAPTER_OWNER:
        raise invalid(f"adapter_type 不支持 {adapter}")
    expected = ADAPTER_OWNER[adapter]
    if expected is None:
        return adapter, owner_type or "ENTERPRISE_PAY_UID"
    if owner_type is not None and owner_type != expected:
        raise invalid(f"adapter_type={adapter} 时 owner_type 应为 {expected}")
    return adapter, expected


def _add_owners(ctx: Context, inst_id: str, adapter: str, owner_ids: list[str]) -> None:
    if adapter == "EMPLOYEE_ALL" or not owner_ids:
        return
    _check_owners(ctx, adapter, owner_ids)
    ctx.conn.executemany(
        "INSERT OR IGNORE INTO institution_scope (institution_id, owner_id) VALUES (?, ?)",
        [(inst_id, o) for o in owner_ids],
    )


def _remove_owners(ctx: Context, inst_id: str, adapter: str, owner_ids: list[str]) -> None:
    if not owner_ids:
        return
    _check_owners(ctx, adapter, owner_ids)
    ctx.conn.executemany(
        "DELETE FROM institution_scope WHERE institution_id = ? AND owner_id = ?",
        [(inst_id, o) for o in owner_ids],
    )


def _change_scope(
    ctx: Context,
    inst: sqlite3.Row,
    *,
    adapter: str | None,
    owner_type: str | None,
    add: list[str],
    remove: list[str],
) -> None:
    new_adapter, new_owner = _scope_spec(adapter or inst["adapter_type"], owner_type)
    inst_id = inst["institution_id"]
    if new_adapter != inst["adapter_type"]:
        # A different kind of scope: the old member list no longer means anything.
        ctx.conn.execute("DELETE FROM institution_scope WHERE institution_id = ?", (inst_id,))
    _add_owners(ctx, inst_id, new_adapter, add)
    _remove_owners(ctx, inst_id, new_adapter, remove)
    ctx.conn.execute(
        "UPDATE institutions SET adapter_type = ?, owner_type = ?, gmt_modified = ? "
        "WHERE institution_id = ?",
        (new_adapter, new_owner, ctx.ts, inst_id),
    )


# --- institutions -------------------------------------------------------------------------


def institution_row(ctx: Context, inst_id: str) -> sqlite3.Row:
    row = ctx.conn.execute(
        "SELECT * FROM institutions WHERE institution_id = ?", (inst_id,)
    ).fetchone()
    if row is None:
        raise GatewayError("INSTITUTION_NOT_EXIST", inst_id)
    return row  # type: ignore[no-any-return]


def _dates(biz: Biz, start_default: datetime | None) -> tuple[str | None, str | None]:
    start = timestamp(biz, "effective_start_date") or start_default
    end = timestamp(biz, "effective_end_date")
    if start is not None and end is not None and end < start:
        raise invalid("effective_end_date 不能早于 effective_start_date")
    return (fmt_ts(start) if start else None, fmt_ts(end) if end else None)


@method(
    "alipay.ebpp.invoice.institution.create",
    "institution_id",
    "issue_rule_id_info_list",
    "standard_id_info_list",
)
def institution_create(ctx: Context, biz: Biz) -> Biz:
    require_enterprise(ctx, biz)
    outer = opt(biz, "outer_source_id")
    if outer is not None:
        row = ctx.conn.execute(
            "SELECT create_response FROM institutions WHERE outer_source_id = ?", (outer,)
        ).fetchone()
        if row is not None:
            return json.loads(row[0])  # type: ignore[no-any-return]
    name = req(biz, "institution_name")
    if len(name) > 64:
        raise invalid("institution_name 最长64个字符")
    scope = obj(biz, "institution_scope_info") or {}
    adapter, owner_type = _scope_spec(
        opt(scope, "adapter_type") or opt(biz, "adapter_type"),
        opt(scope, "owner_type") or opt(biz, "owner_type"),
    )
    owners = (
        str_list(scope, "owner_id_list", limit=10**5)
        or str_list(biz, "owner_id_list", limit=10**5)
        or []
    )
    start, end = _dates(biz, ctx.now)
    inst_id = ids.institution_id(next_ids(ctx.conn, "institution"))
    ctx.conn.execute(
        "INSERT INTO institutions (institution_id, outer_source_id, institution_name, "
        "institution_desc, expense_type, scene_type, consult_mode, currency, effective, "
        "effective_start_date, effective_end_date, adapter_type, owner_type, "
        "multi_employee_share_mode, gmt_create, gmt_modified) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, '1', ?, ?, ?, ?, ?, ?, ?)",
        (
            inst_id,
            outer,
            name,
            opt(biz, "institution_desc"),
            opt(biz, "expense_type") or "DEFAULT",
            opt(biz, "scene_type") or "DEFAULT",
            opt(biz, "consult_mode") or "0",
            opt(biz, "currency") or "CNY",
            start,
            end or DEFAULT_END,
            adapter,
            owner_type,
            opt(biz, "multi_employee_share_mode") or "0",
            ctx.ts,
            ctx.ts,
        ),
    )
    _add_owners(ctx, inst_id, adapter, owners)
    std_info = [_insert_standard(ctx, inst_id, s) for s in obj_list(biz, "standard_info_list")]
    rule_info = [_insert_issue_rule(ctx, inst_id, r) for r in obj_list(biz, "issue_rule_info_list")]
    out: Biz = {"institution_id": inst_id}
    if std_info:
        out["standard_id_info_list"] = std_info
    if rule_info:
        out["issue_rule_id_info_list"] = rule_info
    ctx.conn.execute(
        "UPDATE institutions SET create_response = ? WHERE institution_id = ?",
        (json.dumps(out, ensure_ascii=False), inst_id),
    )
    return out


@method(
    "alipay.ebpp.invoice.institution.modify",
    "issue_rule_id_info_list",
    "result",
    "standard_id_info_list",
)
def institution_modify(ctx: Context, biz: Biz) -> Biz:
    require_enterprise(ctx, biz)
    inst = institution_row(ctx, req(biz, "institution_id"))
    inst_id = inst["institution_id"]
    updates: Biz = {}
    name = opt(biz, "institution_name")
    if name is not None:
        if len(name) > 64:
            raise invalid("institution_name 最长64个字符")
        updates["institution_name"] = name
    for key in ("institution_desc", "consult_mode"):
        if opt(biz, key) is not None:
            updates[key] = opt(biz, key)
    effective = opt(biz, "effective")
    if effective is not None:
        if effective not in ("0", "1"):
            raise invalid("effective 只能是 0 或 1")
        updates["effective"] = effective
    start, end = _dates(biz, None)
    if start is not None:
        updates["effective_start_date"] = start
    if end is not None:
        updates["effective_end_date"] = end
    if (updates.get("effective_end_date") or inst["effective_end_date"]) < (
        updates.get("effective_start_date") or inst["effective_start_date"]
    ):
        raise invalid("effective_end_date 不能早于 effective_start_date")
    if updates:
        sets = ", ".join(f"{k} = ?" for k in updates)
        ctx.conn.execute(
            f"UPDATE institutions SET {sets}, gmt_modified = ? WHERE institution_id = ?",
            [*updates.values(), ctx.ts, inst_id],
        )
    scope = obj(biz, "modify_scope_info")
    if scope is not None:
        _change_scope(
            ctx,
            inst,
            adapter=opt(scope, "adapter_type"),
            owner_type=opt(scope, "owner_type"),
            add=str_list(scope, "add_owner_id_list", limit=10**5) or [],
            remove=str_list(scope, "delete_owner_id_list", limit=10**5) or [],
        )
    out: Biz = {"result": True}
    std = obj(biz, "modify_standard_detail_info")
    if std is not None:
        for sid in str_list(std, "delete_standard_id_list") or []:
            _standard(ctx, inst_id, sid)
            ctx.conn.execute("DELETE FROM standards WHERE standard_id = ?", (sid,))
        for item in obj_list(std, "modify_standard_list"):
            _update_standard(ctx, inst_id, item)
        added = [_insert_standard(ctx, inst_id, s) for s in obj_list(std, "add_standard_list")]
        if added:
            out["standard_id_info_list"] = added
    issue = obj(biz, "modify_issue_rule_detail_info")
    if issue is not None:
        for rid in str_list(issue, "delete_issue_rule_id_list") or []:
            if not ctx.conn.execute(
                "DELETE FROM issue_rules WHERE issue_rule_id = ? AND institution_id = ?",
                (rid, inst_id),
            ).rowcount:
                raise GatewayError("ISSUE_RULE_NOT_EXIST", rid)
        for item in obj_list(issue, "modify_issue_rule_list"):
            rid = req(item, "issue_rule_id")
            row = ctx.conn.execute(
                "SELECT data FROM issue_rules WHERE issue_rule_id = ? AND institution_id = ?",
                (rid, inst_id),
            ).fetchone()
            if row is None:
                raise GatewayError("ISSUE_RULE_NOT_EXIST", rid)
            data = {**json.loads(row[0]), **_issue_rule_fields(item)}
            ctx.conn.execute(
                "UPDATE issue_rules SET data = ? WHERE issue_rule_id = ?",
                (json.dumps(data, ensure_ascii=False), rid),
            )
        added_rules = [
            _insert_issue_rule(ctx, inst_id, r) for r in obj_list(issue, "add_issue_rule_list")
        ]
        if added_rules:
            out["issue_rule_id_info_list"] = added_rules
    return out


@method("alipay.ebpp.invoice.institution.delete", "result")
def institution_delete(ctx: Context, biz: Biz) -> Biz:
    require_enterprise(ctx, biz)
    inst_id = institution_row(ctx, req(biz, "institution_id"))["institution_id"]
    for table in ("institution_scope", "standards", "issue_rules", "institutions"):
        ctx.conn.execute(f"DELETE FROM {table} WHERE institution_id = ?", (inst_id,))
    ctx.conn.execute(
        "DELETE FROM quotas WHERE target_type = 'INSTITUTION' AND target_id = ?", (inst_id,)
    )
    return {"result": True}


_BASIC_KEYS = (
    "consult_mode", "currency", "effective", "effective_end_date", "effective_start_date",
    "institution_desc", "institution_id", "institution_name", "multi_employee_share_mode",
)  # fmt: skip


def _basic(row: sqlite3.Row) -> Biz:
    return {k: row[k] for k in _BASIC_KEYS if row[k] is not None}


SCOPE_LIST_LIMIT = 1000  # above this, detailinfo leaves owner_id_list out: page the scope


@method(
    "alipay.ebpp.invoice.institution.detailinfo.query",
    "adapter_type", "consult_mode", "currency", "effective", "effective_end_date",
    "effective_start_date", "expense_type", "institution_desc", "institution_id",
    "institution_name", "issue_rule_info_list", "multi_employee_share_mode", "outer_source_id",
    "owner_id_list", "owner_type", "scene_type", "standard_info_detail_list",
)  # fmt: skip
def institution_detailinfo_query(ctx: Context, biz: Biz) -> Biz:
    require_enterprise(ctx, biz)
    inst_id = opt(biz, "institution_id")
    if inst_id is None:
        outer = opt(biz, "outer_source_id")
        if outer is None:
            raise invalid("institution_id 和 outer_source_id 不能同时为空")
        row = ctx.conn.execute(
            "SELECT * FROM institutions WHERE outer_source_id = ?", (outer,)
        ).fetchone()
        if row is None:
            raise GatewayError("INSTITUTION_NOT_EXIST", outer)
    else:
        row = institution_row(ctx, inst_id)
    inst_id = row["institution_id"]
    out = _basic(row)
    for key in ("adapter_type", "owner_type", "expense_type", "scene_type", "outer_source_id"):
        if row[key] is not None:
            out[key] = row[key]
    if row["adapter_type"] != "EMPLOYEE_ALL":
        owners = [
            r[0]
            for r in ctx.conn.execute(
                "SELECT owner_id FROM institution_scope WHERE institution_id = ? "
                "ORDER BY owner_id LIMIT ?",
                (inst_id, SCOPE_LIST_LIMIT + 1),
            )
        ]
        if len(owners) <= SCOPE_LIST_LIMIT:
            out["owner_id_list"] = owners
    out["standard_info_detail_list"] = [
        standard_info(s)
        for s in ctx.conn.execute(
            "SELECT * FROM standards WHERE institution_id = ? ORDER BY standard_id", (inst_id,)
        )
    ]
    out["issue_rule_info_list"] = [
        json.loads(r[0])
        for r in ctx.conn.execute(
            "SELECT data FROM issue_rules WHERE institution_id = ? ORDER BY issue_rule_id",
            (inst_id,),
        )
    ]
    return out


@method(
    "alipay.ebpp.invoice.institution.pageinfo.query",
    "institution_basic_info_list",
    "page_num",
    "page_size",
    "total_page_count",
)
def institution_pageinfo_query(ctx: Context, biz: Biz) -> Biz:
    require_enterprise(ctx, biz)
    num, size = page(biz, default_size=20, max_size=100)
    total = ctx.conn.execute("SELECT COUNT(*) FROM institutions").fetchone()[0]
    rows = ctx.conn.execute(
        "SELECT * FROM institutions ORDER BY institution_id LIMIT ? OFFSET ?",
        (size, (num - 1) * size),
    )
    return {
        "institution_basic_info_list": [_basic(r) for r in rows],
        "page_num": str(num),  # a string in the published model, unlike page_size
        "page_size": size,
        "total_page_count": total_pages(total, size),
    }


@method("alipay.ebpp.invoice.institution.scope.modify", "result")
def institution_scope_modify(ctx: Context, biz: Biz) -> Biz:
    require_enterprise(ctx, biz)
    inst = institution_row(ctx, req(biz, "institution_id"))
    _change_scope(
        ctx,
        inst,
        adapter=opt(biz, "adapter_type"),
        owner_type=opt(biz, "owner_type"),
        add=str_list(biz, "add_owner_id_list", limit=10**5) or [],
        remove=str_list(biz, "remove_owner_id_list", limit=10**5) or [],
    )
    return {"result": True}


@method(
    "alipay.ebpp.invoice.institution.scopepageinfo.query",
    "adapter_type",
    "owner_id_list",
    "page_num",
    "page_size",
    "total_page_count",
)
def institution_scopepageinfo_query(ctx: Context, biz: Biz) -> Biz:
    require_enterprise(ctx, biz)
    inst = institution_row(ctx, req(biz, "institution_id"))
    num, size = page(biz, default_size=100, max_size=1000)
    total = ctx.conn.execute(
        "SELECT COUNT(*) FROM institution_scope WHERE institution_id = ?",
        (inst["institution_id"],),
    ).fetchone()[0]
    rows = ctx.conn.execute(
        "SELECT owner_id FROM institution_scope WHERE institution_id = ? "
        "ORDER BY owner_id LIMIT ? OFFSET ?",
        (inst["institution_id"], size, (num - 1) * size),
    )
    return {
        "adapter_type": inst["adapter_type"],
        "owner_id_list": [r[0] for r in rows],
        "page_num": num,
        "page_size": size,
        "total_page_count": total_pages(total, size),
    }


# --- usage rules as their own methods ------------------------------------------------------


@method("alipay.ebpp.invoice.institution.expenserule.create", "standard_id")
def expenserule_create(ctx: Context, biz: Biz) -> Biz:
    require_enterprise(ctx, biz)
    inst_id = institution_row(ctx, req(biz, "institution_id"))["institution_id"]
    outer = opt(biz, "outer_source_id")
    if outer is not None:
        row = ctx.conn.execute(
            "SELECT standard_id FROM standards WHERE institution_id = ? AND outer_source_id = ?",
            (inst_id, outer),
        ).fetchone()
        if row is not None:
            return {"standard_id": row[0]}
    return {"standard_id": _insert_standard(ctx, inst_id, biz)["standard_id"]}


@method("alipay.ebpp.invoice.institution.expenserule.modify", "result")
def expenserule_modify(ctx: Context, biz: Biz) -> Biz:
    require_enterprise(ctx, biz)
    inst_id = institution_row(ctx, req(biz, "institution_id"))["institution_id"]
    _update_standard(ctx, inst_id, biz)
    return {"result": True}


@method("alipay.ebpp.invoice.institution.expenserule.delete", "result")
def expenserule_delete(ctx: Context, biz: Biz) -> Biz:
    require_enterprise(ctx, biz)
    inst_id = institution_row(ctx, req(biz, "institution_id"))["institution_id"]
    sids = str_list(biz, "standard_id_list")
    if not sids:
        raise invalid("缺少必选参数 standard_id_list")
    for sid in sids:
        _standard(ctx, inst_id, sid)
    ctx.conn.executemany("DELETE FROM standards WHERE standard_id = ?", [(s,) for s in sids])
    return {"result": True}


def member_institutions(conn: sqlite3.Connection, employee_id: str) -> list[sqlite3.Row]:
    """Effective institutions whose scope includes the employee (directly, via one of their
    departments or an ancestor of it, or because the scope is everyone)."""
    depts: set[str] = set()
    frontier = [
        r[0]
        for r in conn.execute(
            "SELECT department_id FROM employee_departments WHERE employee_id = ?", (employee_id,)
        )
    ]
    while frontier:
        depts.update(frontier)
        marks = ",".join("?" * len(frontier))
        frontier = [
            r[0]
            for r in conn.execute(
                f"SELECT parent_department_id FROM departments WHERE department_id IN ({marks})",
                frontier,
            )
            if r[0] != "-1" and r[0] not in depts
        ]
    owners = [employee_id, *sorted(depts)]
    marks = ",".join("?" * len(owners))
    return conn.execute(
        "SELECT * FROM institutions WHERE effective = '1' AND (adapter_type = 'EMPLOYEE_ALL' "
        f"OR institution_id IN (SELECT institution_id FROM institution_scope "
        f"WHERE owner_id IN ({marks}))) ORDER BY institution_id",
        owners,
    ).fetchall()
