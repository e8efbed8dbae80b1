"""Enterprise, departments and employees (alipay-api.md A.1–A.3).

Sandbox conventions worth knowing:
- Sign links point at the sandbox itself: opening an employee's ``sign_url`` (GET) activates
  that employee, as if they had signed in the Alipay app. ``enterprise.unsign`` flips the
  enterprise to ``sign_status=UNSIGNED`` immediately (the real one waits for the admin).
- ``employee.idlist.query`` with ``department_id`` absent or ``"-1"`` lists the whole
  enterprise (an extension: the real method wants a department).
- ``activate`` is ``ACTIVATED``/``UNACTIVATED``; ``user_id``/``open_id`` appear once active.
"""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import timedelta
from typing import Any
from urllib.parse import quote

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
    req,
    require_enterprise,
    str_list,
    total_pages,
)
from workstation.sandbox.store import fmt_ts, next_ids

MAX_DEPTH = 20
_MOBILE = re.compile(r"^1\d{10}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_LABEL = re.compile(r"^[A-Za-z0-9\u4e00-\u9fff]+$")


# --- enterprise ---------------------------------------------------------------------------


@method("alipay.commerce.ec.enterprise.registerinvite.create", "pc_invite_url", "expire_time")
def registerinvite_create(ctx: Context, biz: Biz) -> Biz:
    out_biz_no = req(biz, "out_biz_no")
    row = ctx.conn.execute(
        "SELECT pc_invite_url, expire_time FROM register_invites WHERE out_biz_no = ?",
        (out_biz_no,),
    ).fetchone()
    if row is None:
        url = (
            f"{ctx.base_url}/h5/enterprise-register?invite={ids.digits('invite:' + out_biz_no, 16)}"
        )
        expire = fmt_ts(ctx.now + timedelta(days=30))
        ctx.conn.execute(
            "INSERT INTO register_invites (out_biz_no, pc_invite_url, expire_time) "
            "VALUES (?, ?, ?)",
            (out_biz_no, url, expire),
        )
        return {"pc_invite_url": url, "expire_time": expire}
    return {"pc_invite_url": row["pc_invite_url"], "expire_time": row["expire_time"]}


def _enterprise_info(row: sqlite3.Row) -> Biz:
    keys = (
        "enterprise_id", "enterprise_name", "enterprise_alias", "enterprise_code",
        "enterprise_email", "account_id", "out_biz_no", "status", "sign_status", "activate",
        "auth_status", "auth_level", "auth_time", "gmt_create", "gmt_modified",
    )  # fmt: skip
    info = {k: row[k] for k in keys if row[k] is not None}
    info["enterprise_alias_audit_status"] = "PASSED"
    return info


@method("alipay.commerce.ec.enterprise.info.query", "enterprise_info")
def enterprise_info_query(ctx: Context, biz: Biz) -> Biz:
    if opt(biz, "enterprise_id") is None and opt(biz, "account_id") is None:
        out_biz_no = opt(biz, "out_biz_no")
        if out_biz_no is None:
            raise invalid("enterprise_id 和 out_biz_no 不能同时为空")
        row = ctx.conn.execute(
            "SELECT * FROM enterprise WHERE out_biz_no = ? AND status != 'CANCELLED'",
            (out_biz_no,),
        ).fetchone()
        if row is None:
            raise GatewayError("ENTERPRISE_NOT_EXIST", out_biz_no)
    else:
        row = require_enterprise(ctx, biz)
    return {"enterprise_info": _enterprise_info(row)}


@method("alipay.commerce.ec.enterprise.info.modify")
def enterprise_info_modify(ctx: Context, biz: Biz) -> Biz:
    row = require_enterprise(ctx, biz)
    name = opt(biz, "enterprise_name")
    alias = opt(biz, "enterprise_alias")
    if name is not None and len(name) > 100:
        raise invalid("enterprise_name 过长")
    ctx.conn.execute(
        "UPDATE enterprise SET enterprise_name = COALESCE(?, enterprise_name), "
        "enterprise_alias = COALESCE(?, enterprise_alias), gmt_modified = ? "
        "WHERE enterprise_id = ?",
        (name, alias, ctx.ts, row["enterprise_id"]),
    )
    _emit_enterprise(ctx, row["enterprise_id"], "ENTERPRISE_INFO_MODIFY")
    return {}


@method("alipay.commerce.ec.enterprise.unsign", "account_id", "enterprise_id", "unsign_url")
def enterprise_unsign(ctx: Context, biz: Biz) -> Biz:
    row = require_enterprise(ctx, biz)
    eid = row["enterprise_id"]
    ctx.conn.execute(
        "UPDATE enterprise SET sign_status = 'UNSIGNED', activate = 'UNACTIVATED', "
        "gmt_modified = ? WHERE enterprise_id = ?",
        (ctx.ts, eid),
    )
    _emit_enterprise(ctx, eid, "ENTERPRISE_UNSIGN")
    return {
        "account_id": row["account_id"],
        "enterprise_id": eid,
        "unsign_url": f"{ctx.base_url}/h5/enterprise-unsign?enterprise_id={eid}",
    }


@method("alipay.commerce.ec.enterprise.delete", "enterprise_id")
def enterprise_delete(ctx: Context, biz: Biz) -> Biz:
    row = require_enterprise(ctx, biz)
    eid = row["enterprise_id"]
    ctx.conn.execute(
        "UPDATE enterprise SET status = 'CANCELLED', sign_status = 'UNSIGNED', "
        "activate = 'UNACTIVATED', gmt_modified = ? WHERE enterprise_id = ?",
        (ctx.ts, eid),
    )
    _emit_enterprise(ctx, eid, "ENTERPRISE_DELETE")
    return {"enterprise_id": eid}


def _emit_enterprise(ctx: Context, eid: str, change: str) -> None:
    row = ctx.conn.execute("SELECT * FROM enterprise WHERE enterprise_id = ?", (eid,)).fetchone()
    ctx.emit(
        "alipay.commerce.ec.enterprise.change.notify",
        {
            "enterprise_id": eid,
            "out_biz_no": row["out_biz_no"],
            "change_type": change,
            "status": row["status"],
            "sign_status": row["sign_status"],
            "gmt_modified": row["gmt_modified"],
        },
    )


# --- departments --------------------------------------------------------------------------


def _dept(ctx: Context, dept_id: str, code: str = "DEPARTMENT_NOT_EXIST") -> sqlite3.Row:
    row = ctx.conn.execute(
        "SELECT * FROM departments WHERE department_id = ?", (dept_id,)
    ).fetchone()
    if row is None:
        raise GatewayError(code, dept_id)
    return row  # type: ignore[no-any-return]


def root_department_id(conn: sqlite3.Connection) -> str:
    row = conn.execute(
        "SELECT department_id FROM departments WHERE parent_department_id = '-1' "
        "ORDER BY department_id LIMIT 1"
    ).fetchone()
    return str(row[0])


def _depth(ctx: Context, dept_id: str) -> int:
    """1 for the root, 2 for its children, …"""
    depth = 0
    current = dept_id
    while current != "-1" and depth <= MAX_DEPTH + 1:
        row = ctx.conn.execute(
            "SELECT parent_department_id FROM departments WHERE department_id = ?", (current,)
        ).fetchone()
        if row is None:
            break
        depth += 1
        current = row[0]
    return depth


def _descendants(ctx: Context, dept_id: str) -> tuple[set[str], int]:
    """All departments below ``dept_id`` and the height of its subtree (1 = no children)."""
    seen: set[str] = set()
    frontier = [dept_id]
    height = 0
    while frontier:
        height += 1
        marks = ",".join("?" * len(frontier))
        children = [
            r[0]
            for r in ctx.conn.execute(
                f"SELECT department_id FROM departments WHERE parent_department_id IN ({marks})",
                frontier,
            )
        ]
        frontier = [c for c in children if c not in seen]
        seen.update(frontier)
    return seen, height


def _check_sibling_name(ctx: Context, parent: str, name: str, exclude: str | None) -> None:
    row = ctx.conn.execute(
        "SELECT department_id FROM departments WHERE parent_department_id = ? "
        "AND department_name = ? AND department_id != ?",
        (parent, name, exclude or ""),
    ).fetchone()
    if row is not None:
        raise GatewayError("DEPARTMENT_NAME_DUPLICATE", name)


def _check_code(ctx: Context, code: str | None, exclude: str | None) -> None:
    if code is None:
        return
    row = ctx.conn.execute(
        "SELECT department_id FROM departments WHERE department_code = ? AND department_id != ?",
        (code, exclude or ""),
    ).fetchone()
    if row is not None:
        raise GatewayError("DEPARTMENT_CODE_DUPLICATE", code)


def _emit_department(ctx: Context, dept_id: str, change: str) -> None:
    ctx.emit(
        "alipay.commerce.ec.department.change.notify",
        {
            "enterprise_id": ctx.enterprise_id,
            "department_id": dept_id,
            "change_type": change,
            "gmt_modified": ctx.ts,
        },
    )


@method("alipay.commerce.ec.department.create", "department_id")
def department_create(ctx: Context, biz: Biz) -> Biz:
    require_enterprise(ctx, biz)
    name = req(biz, "department_name")
    if len(name) > 64:
        raise invalid("department_name 最长64个字符")
    parent_id = opt(biz, "parent_department_id") or root_department_id(ctx.conn)
    if parent_id == "-1":
        raise invalid("企业只能有一个根部门，parent_department_id 不能为 -1")
    _dept(ctx, parent_id, "PARENT_DEPARTMENT_NOT_EXIST")
    if _depth(ctx, parent_id) + 1 > MAX_DEPTH:
        raise GatewayError("DEPARTMENT_DEPTH_EXCEED", f"上级部门 {parent_id} 已在第20级")
    code = opt(biz, "department_code")
    _check_sibling_name(ctx, parent_id, name, None)
    _check_code(ctx, code, None)
    dept_id = ids.department_id(next_ids(ctx.conn, "department"))
    ctx.conn.execute(
        "INSERT INTO departments (department_id, parent_department_id, department_name, "
        "department_code, gmt_create, gmt_modified) VALUES (?, ?, ?, ?, ?, ?)",
        (dept_id, parent_id, name, code, ctx.ts, ctx.ts),
    )
    _emit_department(ctx, dept_id, "DEPARTMENT_CREATE")
    return {"department_id": dept_id}


@method("alipay.commerce.ec.department.info.modify")
def department_info_modify(ctx: Context, biz: Biz) -> Biz:
    require_enterprise(ctx, biz)
    dept = _dept(ctx, req(biz, "department_id"))
    dept_id = dept["department_id"]
    name = opt(biz, "department_name") or dept["department_name"]
    code = opt(biz, "department_code")
    parent_id = opt(biz, "parent_department_id") or dept["parent_department_id"]
    if parent_id != dept["parent_department_id"]:
        if dept["parent_department_id"] == "-1" or parent_id == "-1":
            raise GatewayError("ROOT_DEPARTMENT_IMMUTABLE", dept_id)
        _dept(ctx, parent_id, "PARENT_DEPARTMENT_NOT_EXIST")
        below, height = _descendants(ctx, dept_id)
        if parent_id == dept_id or parent_id in below:
            raise GatewayError("DEPARTMENT_CYCLE", f"{dept_id} → {parent_id}")
        if _depth(ctx, parent_id) + height > MAX_DEPTH:
            raise GatewayError(
                "DEPARTMENT_DEPTH_EXCEED", f"移动后层级为 {_depth(ctx, parent_id) + height}"
            )
    if len(name) > 64:
        raise invalid("department_name 最长64个字符")
    if parent_id != "-1":
        _check_sibling_name(ctx, parent_id, name, dept_id)
    _check_code(ctx, code, dept_id)
    ctx.conn.execute(
        "UPDATE departments SET department_name = ?, parent_department_id = ?, "
        "department_code = COALESCE(?, department_code), gmt_modified = ? WHERE department_id = ?",
        (name, parent_id, code, ctx.ts, dept_id),
    )
    _emit_department(ctx, dept_id, "DEPARTMENT_MODIFY")
    return {}


@method("alipay.commerce.ec.department.delete")
def department_delete(ctx: Context, biz: Biz) -> Biz:
    require_enterprise(ctx, biz)
    dept = _dept(ctx, req(biz, "department_id"))
    dept_id = dept["department_id"]
    if dept["parent_department_id"] == "-1":
        raise GatewayError("ROOT_DEPARTMENT_IMMUTABLE", dept_id)
    if ctx.conn.execute(
        "SELECT 1 FROM departments WHERE parent_department_id = ? LIMIT 1", (dept_id,)
    ).fetchone():
        raise GatewayError("DEPARTMENT_HAS_CHILDREN", dept_id)
    if ctx.conn.execute(
        "SELECT 1 FROM employee_departments WHERE department_id = ? LIMIT 1", (dept_id,)
    ).fetchone():
        raise GatewayError("DEPARTMENT_HAS_EMPLOYEES", dept_id)
    ctx.conn.execute("DELETE FROM departments WHERE department_id = ?", (dept_id,))
    ctx.conn.execute("DELETE FROM institution_scope WHERE owner_id = ?", (dept_id,))
    _emit_department(ctx, dept_id, "DEPARTMENT_DELETE")
    return {}


@method("alipay.commerce.ec.department.info.query", "department_info")
def department_info_query(ctx: Context, biz: Biz) -> Biz:
    require_enterprise(ctx, biz)
    dept = _dept(ctx, req(biz, "department_id"))
    info = {
        k: dept[k]
        for k in (
            "department_id",
            "department_name",
            "department_code",
            "parent_department_id",
            "dept_charge_employee_id",
            "gmt_create",
            "gmt_modified",
        )
        if dept[k] is not None
    }
    return {"department_info": info}


@method("alipay.commerce.ec.department.sublist.query", "department_id_list")
def department_sublist_query(ctx: Context, biz: Biz) -> Biz:
    require_enterprise(ctx, biz)
    dept_id = req(biz, "department_id")
    if dept_id != "-1":
        _dept(ctx, dept_id)
    rows = ctx.conn.execute(
        "SELECT department_id FROM departments WHERE parent_department_id = ? "
        "ORDER BY department_id",
        (dept_id,),
    )
    return {"department_id_list": [r[0] for r in rows]}


# --- employees ----------------------------------------------------------------------------


def employee_row(ctx: Context, employee_id: str) -> sqlite3.Row:
    row = ctx.conn.execute(
        "SELECT * FROM employees WHERE employee_id = ?", (employee_id,)
    ).fetchone()
    if row is None:
        raise GatewayError("EMPLOYEE_NOT_EXIST", employee_id)
    return row  # type: ignore[no-any-return]


def _sign_url(ctx: Context, token: str) -> str:
    return f"{ctx.base_url}/h5/employee-sign?token={token}"


def _mini_app_sign_url(ctx: Context, token: str) -> str:
    page_path = quote(f"pages/sign/index?token={token}", safe="")
    return f"alipays://platformapi/startapp?appId={ctx.app_id}&page={page_path}"


def _emit_employee(ctx: Context, employee_id: str, change: str) -> None:
    ctx.emit(
        "alipay.commerce.ec.employee.change.notify",
        {
            "enterprise_id": ctx.enterprise_id,
            "employee_id": employee_id,
            "change_type": change,
            "gmt_modified": ctx.ts,
        },
    )


def _clean_employee_fields(ctx: Context, item: Biz, exclude: str | None) -> Biz:
    """Validate the writable employee fields of ``item``; returns the ones present."""
    out: Biz = {}
    name = opt(item, "employee_name")
    if name is not None:
        if len(name) > 64:
            raise invalid("employee_name 最长64个字符")
        out["employee_name"] = name
    mobile = opt(item, "employee_mobile")
    if mobile is not None:
        if not _MOBILE.match(mobile):
            raise invalid(f"employee_mobile 格式不正确: {mobile}")
        out["mobile"] = mobile
    email = opt(item, "employee_email")
    if email is not None:
        if not _EMAIL.match(email):
            raise invalid(f"employee_email 格式不正确: {email}")
        out["email"] = email
    for src, dst in (
        ("employee_no", "employee_no"),
        ("employee_cert_type", "cert_type"),
        ("employee_cert_no", "cert_no"),
        ("profiles", "profiles"),
    ):
        value = opt(item, src)
        if value is not None:
            out[dst] = value
    for column, label in (("mobile", "手机号"), ("email", "邮箱"), ("employee_no", "工号")):
        if column in out:
            clash = ctx.conn.execute(
                f"SELECT employee_id FROM employees WHERE {column} = ? AND employee_id != ?",
                (out[column], exclude or ""),
            ).fetchone()
            if clash is not None:
                raise GatewayError(
                    "EMPLOYEE_ALREADY_EXIST", f"{label} {out[column]} 已被员工 {clash[0]} 使用"
                )
    labels = str_list(item, "label_names", limit=10)
    if labels is not None:
        for label in labels:
            if not _LABEL.match(label):
                raise invalid(f"label_names 只能包含字母、数字或中文: {label}")
        out["label_names"] = json.dumps(labels, ensure_ascii=False)
    roles = str_list(item, "role_list", limit=1)
    if roles is not None:
        for role in roles:
            if role not in ("USER", "ADMIN"):
                raise invalid(f"role_list 不支持 {role}")
        out["role_list"] = json.dumps(roles or ["USER"])
    depts = str_list(item, "department_ids", limit=20)
    if depts is not None:
        for dept_id in depts:
            _dept(ctx, dept_id)
        out["department_ids"] = list(dict.fromkeys(depts))
    return out


def _insert_employee(ctx: Context, fields: Biz, *, activated: bool) -> tuple[str, str, str]:
    number = next_ids(ctx.conn, "employee")
    eid = ids.employee_id(number)
    token = ids.digits(f"sign:{eid}:{ctx.ts}", 16)
    share_code = ids.digits(f"share:{eid}", 8)
    ctx.conn.execute(
        "INSERT INTO employees (employee_id, employee_name, employee_no, mobile, email, cert_type, "
        "cert_no, activate, user_id, open_id, label_names, role_list, profiles, sign_token, "
        "share_code, gmt_create, gmt_modified) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            eid,
            fields["employee_name"],
            fields.get("employee_no"),
            fields.get("mobile"),
            fields.get("email"),
            fields.get("cert_type"),
            fields.get("cert_no"),
            "ACTIVATED" if activated else "UNACTIVATED",
            ids.user_id_for(eid),
            ids.open_id_for(eid),
            fields.get("label_names", "[]"),
            fields.get("role_list", '["USER"]'),
            fields.get("profiles"),
            token,
            share_code,
            ctx.ts,
            ctx.ts,
        ),
    )
    depts = fields.get("department_ids") or [root_department_id(ctx.conn)]
    ctx.conn.executemany(
        "INSERT INTO employee_departments (employee_id, department_id) VALUES (?, ?)",
        [(eid, d) for d in depts],
    )
    _emit_employee(ctx, eid, "EMPLOYEE_ACTIVATED" if activated else "EMPLOYEE_ADD")
    return eid, token, share_code


def _require_identity(fields: Biz, item: Biz) -> None:
    if "employee_name" not in fields:
        raise invalid("缺少必选参数 employee_name")
    if not any(k in fields for k in ("mobile", "email", "employee_no", "cert_no")) and not opt(
        item, "identity"
    ):
        raise invalid("手机号、邮箱、工号、证件号至少填写一项")


@method("alipay.commerce.ec.employee.add", "employee_id", "iot_unique_id", "share_code", "sign_url")
def employee_add(ctx: Context, biz: Biz) -> Biz:
    require_enterprise(ctx, biz)
    fields = _clean_employee_fields(ctx, biz, None)
    _require_identity(fields, biz)
    activated = opt(biz, "free_sign_token") is not None  # a valid token signs on the spot
    eid, token, share_code = _insert_employee(ctx, fields, activated=activated)
    out: Biz = {"employee_id": eid, "sign_url": _sign_url(ctx, token)}
    if boolean(biz, "create_share_code"):
        out["share_code"] = share_code
    return out


@method(
    "alipay.commerce.ec.employee.batchcreate",
    "employee_add_fail_list",
    "employee_add_success_list",
    "sign_url",
)
def employee_batchcreate(ctx: Context, biz: Biz) -> Biz:
    require_enterprise(ctx, biz)
    items = obj_list(biz, "employee_list", limit=10**6)
    if not items:
        raise invalid("缺少必选参数 employee_list")
    if len(items) > 100:
        raise GatewayError("EMPLOYEE_BATCH_LIMIT_EXCEED", f"本次 {len(items)} 人")
    echo_keys = ("employee_name", "employee_mobile", "employee_email", "employee_no",
                 "employee_cert_type", "employee_cert_no", "profiles")  # fmt: skip
    success: list[Biz] = []
    failed: list[Biz] = []
    for item in items:
        echo = {k: item[k] for k in echo_keys if isinstance(item.get(k), str) and item[k]}
        try:
            fields = _clean_employee_fields(ctx, item, None)
            _require_identity(fields, item)
        except GatewayError as exc:
            failed.append({**echo, "fail_reason": exc.sub_msg})
            continue
        eid, _token, _share = _insert_employee(ctx, fields, activated=False)
        success.append({**echo, "employee_id": eid})
    out: Biz = {}
    if success:
        out["employee_add_success_list"] = success
    if failed:
        out["employee_add_fail_list"] = failed
    return out


@method("alipay.commerce.ec.employee.delete")
def employee_delete(ctx: Context, biz: Biz) -> Biz:
    require_enterprise(ctx, biz)
    eid = employee_row(ctx, req(biz, "employee_id"))["employee_id"]
    ctx.conn.execute("DELETE FROM employees WHERE employee_id = ?", (eid,))
    ctx.conn.execute("DELETE FROM employee_departments WHERE employee_id = ?", (eid,))
    ctx.conn.execute("DELETE FROM institution_scope WHERE owner_id = ?", (eid,))
    _emit_employee(ctx, eid, "EMPLOYEE_DELETE")
    return {}


@method("alipay.commerce.ec.employee.info.modify", "employee_id")
def employee_info_modify(ctx: Context, biz: Biz) -> Biz:
    require_enterprise(ctx, biz)
    eid = employee_row(ctx, req(biz, "employee_id"))["employee_id"]
    fields = _clean_employee_fields(ctx, biz, eid)
    depts = fields.pop("department_ids", None)
    if fields:
        sets = ", ".join(f"{k} = ?" for k in fields)
        ctx.conn.execute(
            f"UPDATE employees SET {sets}, gmt_modified = ? WHERE employee_id = ?",
            [*fields.values(), ctx.ts, eid],
        )
    if depts is not None:
        ctx.conn.execute("DELETE FROM employee_departments WHERE employee_id = ?", (eid,))
        ctx.conn.executemany(
            "INSERT INTO employee_departments (employee_id, department_id) VALUES (?, ?)",
            [(eid, d) for d in (depts or [root_department_id(ctx.conn)])],
        )
        ctx.conn.execute(
            "UPDATE employees SET gmt_modified = ? WHERE employee_id = ?", (ctx.ts, eid)
        )
    _emit_employee(ctx, eid, "EMPLOYEE_MODIFY")
    return {"employee_id": eid}


def employee_info(ctx: Context, row: sqlite3.Row) -> Biz:
    depts = ctx.conn.execute(
        "SELECT d.department_id, d.department_name FROM employee_departments ed "
        "JOIN departments d ON d.department_id = ed.department_id "
        "WHERE ed.employee_id = ? ORDER BY d.department_id",
        (row["employee_id"],),
    ).fetchall()
    info: dict[str, Any] = {
        "employee_id": row["employee_id"],
        "employee_name": row["employee_name"],
        "employee_no": row["employee_no"],
        "mobile": row["mobile"],
        "email": row["email"],
        "employee_cert_type": row["cert_type"],
        "employee_cert_no": row["cert_no"],
        "activate": row["activate"],
        "department_list": [{"department_id": d[0], "department_name": d[1]} for d in depts],
        "role_list": json.loads(row["role_list"]),
        "label_names": json.loads(row["label_names"]),
        "profiles": row["profiles"],
        "gmt_create": row["gmt_create"],
        "gmt_modified": row["gmt_modified"],
    }
    if row["activate"] == "ACTIVATED":
        info["user_id"] = row["user_id"]
        info["open_id"] = row["open_id"]
    return {k: v for k, v in info.items() if v is not None}


@method("alipay.commerce.ec.employee.info.query", "employee_info")
def employee_info_query(ctx: Context, biz: Biz) -> Biz:
    require_enterprise(ctx, biz)
    lookups = (
        ("employee_id", "employee_id = ?"),
        ("mobile", "mobile = ?"),
        ("user_id", "user_id = ? AND activate = 'ACTIVATED'"),
        ("open_id", "open_id = ? AND activate = 'ACTIVATED'"),
        ("employee_email", "email = ?"),
        ("alipay_logon_id", "(mobile = ?1 OR email = ?1)"),
        ("employee_cert_no", "cert_no = ?"),
    )
    for key, where in lookups:
        value = opt(biz, key)
        if value is not None:
            row = ctx.conn.execute(
                f"SELECT * FROM employees WHERE {where} LIMIT 1", (value,)
            ).fetchone()
            if row is None:
                raise GatewayError("EMPLOYEE_NOT_EXIST", value)
            return {"employee_info": employee_info(ctx, row)}
    raise invalid("employee_id、mobile、user_id 等查询条件至少填写一项")


@method(
    "alipay.commerce.ec.employee.idlist.query",
    "current_page",
    "employee_id_list",
    "total_num",
    "total_pages",
)
def employee_idlist_query(ctx: Context, biz: Biz) -> Biz:
    require_enterprise(ctx, biz)
    num, size = page(biz, default_size=20, max_size=1000)
    dept_id = opt(biz, "department_id")
    if dept_id is None or dept_id == "-1":
        total = ctx.conn.execute("SELECT COUNT(*) FROM employees").fetchone()[0]
        rows = ctx.conn.execute(
            "SELECT employee_id FROM employees ORDER BY employee_id LIMIT ? OFFSET ?",
            (size, (num - 1) * size),
        )
    else:
        _dept(ctx, dept_id)
        total = ctx.conn.execute(
            "SELECT COUNT(*) FROM employee_departments WHERE department_id = ?", (dept_id,)
        ).fetchone()[0]
        rows = ctx.conn.execute(
            "SELECT employee_id FROM employee_departments WHERE department_id = ? "
            "ORDER BY employee_id LIMIT ? OFFSET ?",
            (dept_id, size, (num - 1) * size),
        )
    return {
        "current_page": num,
        "employee_id_list": [r[0] for r in rows],
        "total_num": total,
        "total_pages": total_pages(total, size),
    }


@method(
    "alipay.commerce.ec.employee.invite.query",
    "enterprise_id",
    "mini_app_sign_url",
    "share_code",
    "sign_url",
)
def employee_invite_query(ctx: Context, biz: Biz) -> Biz:
    ent = require_enterprise(ctx, biz)
    eid = opt(biz, "employee_id")
    want_code = boolean(biz, "create_share_code")
    if eid is None:
        token = "E" + ids.digits(f"enterprise-invite:{ent['enterprise_id']}", 15)
        out: Biz = {
            "enterprise_id": ent["enterprise_id"],
            "sign_url": f"{ctx.base_url}/h5/enterprise-invite?token={token}",
            "mini_app_sign_url": _mini_app_sign_url(ctx, token),
        }
        if want_code:
            out["share_code"] = ids.digits(f"share:{token}", 8)
        return out
    row = employee_row(ctx, eid)
    out = {
        "enterprise_id": ent["enterprise_id"],
        "sign_url": _sign_url(ctx, row["sign_token"]),
        "mini_app_sign_url": _mini_app_sign_url(ctx, row["sign_token"]),
    }
    if want_code:
        out["share_code"] = row["share_code"]
    return out


def activate_employee(ctx: Context, employee_id: str) -> bool:
    """Mark an employee as signed (the sign link or the simulator). False if already active."""
    row = employee_row(ctx, employee_id)
    if row["activate"] == "ACTIVATED":
        return False
    ctx.conn.execute(
        "UPDATE employees SET activate = 'ACTIVATED', gmt_modified = ? WHERE employee_id = ?",
        (ctx.ts, employee_id),
    )
    _emit_employee(ctx, employee_id, "EMPLOYEE_ACTIVATED")
    return True
