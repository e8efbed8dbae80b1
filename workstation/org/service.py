"""Clerk actions on the org chart: departments and employees, Alipay first, then the cache.

Every write follows one path: validate the input against the cached tree (naming the field, in
中文 and English) → call Alipay → re-query what Alipay now holds → upsert it with the sync's own
row mappers in one transaction. An :class:`~workstation.alipay.errors.AlipayError` (or any
failure before the commit) leaves the cache exactly as it was. Results are frozen dataclasses, so
they can cross from the worker thread to the GUI thread.

Reads (the tree, one employee, pending invites) are module functions that need no gateway: the
org tab shows the cache even when no Alipay app is configured.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from sqlalchemy import Select, and_, func, or_, select, update
from sqlalchemy.orm import Session

from workstation.alipay.errors import AlipayGatewayError
from workstation.alipay.gateway import AlipayGateway
from workstation.alipay.types import BatchResult, NewEmployee
from workstation.alipay.types import Employee as AlipayEmployee
from workstation.db.base import utcnow
from workstation.db.engine import Database
from workstation.errors import ValidationError
from workstation.org.models import (
    MAX_DEPARTMENT_DEPTH,
    Department,
    Employee,
    EmployeeStatus,
)
from workstation.org.sync import _department_row, _employee_row
from workstation.sync.upsert import upsert

__all__ = [
    "MAX_BATCH",
    "DepartmentInfo",
    "DepartmentTree",
    "EmployeeInfo",
    "EmployeeInput",
    "EmployeeInvite",
    "OrgService",
    "employee_statement",
    "load_employee",
    "load_employees",
    "load_tree",
    "normalize_email",
    "normalize_mobile",
    "pending_employees",
    "subtree_ids",
]

MAX_BATCH = 100  # Alipay's limit for employee.batchcreate
MAX_NAME = 64
MAX_EMAIL = 128
MAX_EMPLOYEE_DEPARTMENTS = 20
_MOBILE = re.compile(r"^1\d{10}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


# --- results ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DepartmentInfo:
    department_id: str
    name: str
    code: str | None
    parent_id: str | None  # None for the root
    depth: int  # 1 for the root


@dataclass(frozen=True)
class EmployeeInfo:
    employee_id: str
    name: str
    employee_no: str | None
    phone: str | None
    email: str | None
    department_id: str | None
    status: EmployeeStatus
    invite_url: str | None = None

    @property
    def pending(self) -> bool:
        return self.status is EmployeeStatus.PENDING


@dataclass(frozen=True)
class EmployeeInvite:
    """A pending employee's sign (activation) link, to be scanned with the Alipay app."""

    employee_id: str
    name: str
    employee_no: str | None
    department_id: str | None
    sign_url: str
    share_code: str | None = None


@dataclass(frozen=True)
class EmployeeInput:
    """What a clerk typed for an employee. Blank text counts as "not given"."""

    name: str
    mobile: str | None = None
    email: str | None = None
    employee_no: str | None = None
    department_ids: tuple[str, ...] = ()


# --- the cached tree ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DepartmentTree:
    """The cached department tree, read once; answers the questions validation asks."""

    departments: dict[str, DepartmentInfo]
    children: dict[str | None, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def build(cls, departments: Iterable[DepartmentInfo]) -> DepartmentTree:
        by_id = {d.department_id: d for d in departments}
        kids: dict[str | None, list[str]] = {}
        # Alipay's ids grow with creation, so (length, id) keeps siblings in creation order.
        for d in sorted(by_id.values(), key=lambda d: (len(d.department_id), d.department_id)):
            # A department whose parent is not cached hangs at the top, so nothing is lost.
            parent = d.parent_id if d.parent_id in by_id else None
            kids.setdefault(parent, []).append(d.department_id)
        return cls(by_id, {k: tuple(v) for k, v in kids.items()})

    def __contains__(self, department_id: object) -> bool:
        return department_id in self.departments

    def __len__(self) -> int:
        return len(self.departments)

    def get(self, department_id: str | None) -> DepartmentInfo | None:
        return self.departments.get(department_id) if department_id is not None else None

    @property
    def roots(self) -> tuple[str, ...]:
        return self.children.get(None, ())

    @property
    def root(self) -> DepartmentInfo | None:
        """The enterprise's root department (parent ``-1`` at Alipay)."""
        for department_id in self.roots:
            info = self.departments[department_id]
            if info.parent_id is None:
                return info
        return None

    def child_ids(self, department_id: str | None) -> tuple[str, ...]:
        return self.children.get(department_id, ())

    def descendants(self, department_id: str) -> list[str]:
        """Every department below ``department_id`` (not itself), breadth first."""
        out: list[str] = []
        frontier = list(self.child_ids(department_id))
        seen = {department_id}
        while frontier:
            nxt: list[str] = []
            for d in frontier:
                if d not in seen:
                    seen.add(d)
                    out.append(d)
                    nxt.extend(self.child_ids(d))
            frontier = nxt
        return out

    def height(self, department_id: str) -> int:
        """Levels in the subtree rooted at ``department_id`` (1 = no children)."""
        best = 1
        frontier = [(department_id, 1)]
        seen = {department_id}
        while frontier:
            current, level = frontier.pop()
            best = max(best, level)
            for child in self.child_ids(current):
                if child not in seen:
                    seen.add(child)
                    frontier.append((child, level + 1))
        return best

    def depth(self, department_id: str) -> int:
        """1 for the root, counted along parents (not trusting the cached depth column)."""
        depth = 0
        current: str | None = department_id
        seen: set[str] = set()
        while current is not None and current in self.departments and current not in seen:
            seen.add(current)
            depth += 1
            current = self.departments[current].parent_id
        return depth

    def path(self, department_id: str) -> str:
        """``总部/财务部/税务组`` — names from the root down."""
        names: list[str] = []
        current: str | None = department_id
        seen: set[str] = set()
        while current is not None and current in self.departments and current not in seen:
            seen.add(current)
            names.append(self.departments[current].name)
            current = self.departments[current].parent_id
        return "/".join(reversed(names))

    def find_child(self, parent_id: str | None, name: str) -> DepartmentInfo | None:
        for child in self.child_ids(parent_id):
            if self.departments[child].name == name:
                return self.departments[child]
        return None


def _department_info(d: Department) -> DepartmentInfo:
    return DepartmentInfo(d.department_id, d.name, d.code, d.parent_id, d.depth)


def _employee_info(e: Employee) -> EmployeeInfo:
    return EmployeeInfo(
        employee_id=e.employee_id,
        name=e.name,
        employee_no=e.employee_no,
        phone=e.phone,
        email=e.email,
        department_id=e.department_id,
        status=e.status,
        invite_url=e.invite_url,
    )


def _scoped(stmt: Select[Department], enterprise_id: str) -> Select[Department]:
    if enterprise_id:
        stmt = stmt.where(Department.enterprise_id == enterprise_id)
    return stmt


def load_tree(database: Database, enterprise_id: str = "") -> DepartmentTree:
    """The live (not deleted) departments of the enterprise, from one query."""
    stmt = _scoped(select(Department).where(Department.deleted.is_(False)), enterprise_id)
    with database.read_session() as session:
        return DepartmentTree.build(_department_info(d) for d in session.scalars(stmt))


def subtree_ids(tree: DepartmentTree, department_id: str) -> list[str]:
    return [department_id, *tree.descendants(department_id)]


def employee_statement(
    department_id: str | None,
    search: str = "",
    *,
    enterprise_id: str = "",
    root_id: str | None = None,
    pending_only: bool = False,
) -> Select[Employee]:
    """Live employees of ``department_id`` and every department below it (a recursive CTE, so
    the tree is walked by SQL), filtered by a name/phone/email/工号 ``search``.

    ``department_id`` None — or the root's id, ``root_id`` — means the whole enterprise
    (including employees whose department is unknown to the cache)."""
    e = Employee
    stmt = select(e).where(e.deleted.is_(False))
    if enterprise_id:
        stmt = stmt.where(e.enterprise_id == enterprise_id)
    if department_id is not None and department_id != root_id:
        d = Department
        start = select(d.department_id).where(
            d.department_id == department_id, d.deleted.is_(False)
        )
        tree = start.cte("subtree", recursive=True)
        tree = tree.union_all(
            select(d.department_id).where(d.parent_id == tree.c.department_id, d.deleted.is_(False))
        )
        stmt = stmt.where(e.department_id.in_(select(tree.c.department_id)))
    text = search.strip()
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(
            or_(
                e.name.like(pattern, escape="\\"),
                e.phone.like(pattern, escape="\\"),
                e.email.like(pattern, escape="\\"),
                e.employee_no.like(pattern, escape="\\"),
            )
        )
    if pending_only:
        stmt = stmt.where(e.status == EmployeeStatus.PENDING)
    return stmt.order_by(e.name, e.id)


def load_employee(database: Database, employee_id: str) -> EmployeeInfo | None:
    with database.read_session() as session:
        row = session.scalars(
            select(Employee).where(Employee.employee_id == employee_id, Employee.deleted.is_(False))
        ).first()
        return _employee_info(row) if row is not None else None


def load_employees(database: Database, enterprise_id: str = "") -> list[EmployeeInfo]:
    """Every live employee (the importer matches file rows against them)."""
    stmt = select(Employee).where(Employee.deleted.is_(False))
    if enterprise_id:
        stmt = stmt.where(Employee.enterprise_id == enterprise_id)
    with database.read_session() as session:
        return [_employee_info(e) for e in session.scalars(stmt.order_by(Employee.id))]


def pending_employees(
    database: Database, department_id: str | None, enterprise_id: str = ""
) -> list[EmployeeInfo]:
    """Employees of a department subtree who have not yet signed (their invites to print)."""
    root = load_tree(database, enterprise_id).root
    stmt = employee_statement(
        department_id,
        enterprise_id=enterprise_id,
        root_id=root.department_id if root else None,
        pending_only=True,
    )
    with database.read_session() as session:
        return [_employee_info(e) for e in session.scalars(stmt)]


def employee_counts(database: Database, enterprise_id: str = "") -> dict[str | None, int]:
    """Live employees per (primary) department, one GROUP BY."""
    e = Employee
    stmt = select(e.department_id, func.count()).where(e.deleted.is_(False))
    if enterprise_id:
        stmt = stmt.where(e.enterprise_id == enterprise_id)
    with database.read_session() as session:
        rows = session.execute(stmt.group_by(e.department_id)).all()
    return {department_id: int(count) for department_id, count in rows}


# --- input checks (shared with the importer) ----------------------------------------------------


def _blank_to_none(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def normalize_mobile(value: str | None) -> str | None:
    """Mainland mobile as 11 digits: spaces, dashes and a +86/86 prefix are dropped.
    Raises ValidationError("mobile") for anything else."""
    text = _blank_to_none(value)
    if text is None:
        return None
    digits = re.sub(r"[\s\-()（）]", "", text)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not _MOBILE.match(digits):
        raise ValidationError(
            "mobile",
            f"手机号“{text}”格式不正确，应为以1开头的11位数字",
            f"mobile number {text!r} is not 11 digits starting with 1",
            value,
        )
    return digits


def normalize_email(value: str | None) -> str | None:
    text = _blank_to_none(value)
    if text is None:
        return None
    if len(text) > MAX_EMAIL or not _EMAIL.match(text):
        raise ValidationError(
            "email",
            f"邮箱“{text}”格式不正确",
            f"email address {text!r} is not valid",
            value,
        )
    return text


def normalize_name(value: str | None, field: str = "name") -> str:
    text = _blank_to_none(value)
    if text is None:
        raise ValidationError(field, "姓名不能为空", "the name is required", value)
    if len(text) > MAX_NAME:
        raise ValidationError(
            field,
            f"姓名最多{MAX_NAME}个字符",
            f"the name is longer than {MAX_NAME} characters",
            value,
        )
    return text


def normalize_employee_no(value: str | None) -> str | None:
    text = _blank_to_none(value)
    if text is not None and len(text) > MAX_NAME:
        raise ValidationError(
            "employee_no",
            f"工号最多{MAX_NAME}个字符",
            f"the employee number is longer than {MAX_NAME} characters",
            value,
        )
    return text


@dataclass(frozen=True)
class _CleanEmployee:
    name: str
    mobile: str | None
    email: str | None
    employee_no: str | None
    department_ids: tuple[str, ...]


def _clean_employee(data: EmployeeInput, tree: DepartmentTree) -> _CleanEmployee:
    name = normalize_name(data.name)
    mobile = normalize_mobile(data.mobile)
    email = normalize_email(data.email)
    employee_no = normalize_employee_no(data.employee_no)
    departments = tuple(dict.fromkeys(d for d in data.department_ids if d))
    if len(departments) > MAX_EMPLOYEE_DEPARTMENTS:
        raise ValidationError(
            "department_ids",
            f"一名员工最多属于{MAX_EMPLOYEE_DEPARTMENTS}个部门",
            f"an employee belongs to at most {MAX_EMPLOYEE_DEPARTMENTS} departments",
            departments,
        )
    for department_id in departments:
        if department_id not in tree:
            raise ValidationError(
                "department_ids",
                f"部门 {department_id} 不存在（请先同步组织架构）",
                f"department {department_id} does not exist (sync the org chart first)",
                department_id,
            )
    return _CleanEmployee(name, mobile, email, employee_no, departments)


_UNIQUE_FIELDS = (
    ("mobile", "phone", "手机号", "mobile number"),
    ("email", "email", "邮箱", "email address"),
    ("employee_no", "employee_no", "工号", "employee number"),
)


def _check_unique(session: Session, clean: _CleanEmployee, exclude: str | None) -> None:
    """Alipay refuses a phone, email or 工号 that another employee has; say so before calling."""
    for attr, column, zh, en in _UNIQUE_FIELDS:
        value = getattr(clean, attr)
        if value is None:
            continue
        stmt = select(Employee.employee_id, Employee.name).where(
            getattr(Employee, column) == value, Employee.deleted.is_(False)
        )
        if exclude is not None:
            stmt = stmt.where(Employee.employee_id != exclude)
        clash = session.execute(stmt.limit(1)).first()
        if clash is not None:
            raise ValidationError(
                attr,
                f"{zh} {value} 已被员工 {clash.name}（{clash.employee_id}）使用",
                f"{en} {value} is already used by employee {clash.name} ({clash.employee_id})",
                value,
            )


def _check_department_name(name: str | None, field: str = "name") -> str:
    text = _blank_to_none(name)
    if text is None:
        raise ValidationError(field, "部门名称不能为空", "the department name is required", name)
    if len(text) > MAX_NAME:
        raise ValidationError(
            field,
            f"部门名称最多{MAX_NAME}个字符",
            f"the department name is longer than {MAX_NAME} characters",
            name,
        )
    if "/" in text:
        # "/" separates levels in import files ("总部/财务部"); a name with it could not be found.
        raise ValidationError(
            field,
            "部门名称不能包含“/”",
            "a department name cannot contain '/'",
            name,
        )
    return text


def _require_department(tree: DepartmentTree, department_id: str, field: str) -> DepartmentInfo:
    info = tree.get(department_id)
    if info is None:
        raise ValidationError(
            field,
            f"部门 {department_id} 不存在（请先同步组织架构）",
            f"department {department_id} does not exist (sync the org chart first)",
            department_id,
        )
    return info


def _check_sibling(tree: DepartmentTree, parent_id: str, name: str, exclude: str | None) -> None:
    clash = tree.find_child(parent_id, name)
    if clash is not None and clash.department_id != exclude:
        raise ValidationError(
            "name",
            f"上级部门“{tree.path(parent_id)}”下已有名为“{name}”的部门",
            f"{tree.path(parent_id)!r} already has a department named {name!r}",
            name,
        )


def _check_code(session: Session, code: str | None, exclude: str | None) -> str | None:
    text = _blank_to_none(code)
    if text is None:
        return None
    if len(text) > MAX_NAME:
        raise ValidationError(
            "code",
            f"部门编码最多{MAX_NAME}个字符",
            f"the department code is longer than {MAX_NAME} characters",
            code,
        )
    stmt = select(Department.department_id, Department.name).where(
        Department.code == text, Department.deleted.is_(False)
    )
    if exclude is not None:
        stmt = stmt.where(Department.department_id != exclude)
    clash = session.execute(stmt.limit(1)).first()
    if clash is not None:
        raise ValidationError(
            "code",
            f"部门编码 {text} 已被部门“{clash.name}”使用",
            f"department code {text} is already used by {clash.name!r}",
            code,
        )
    return text


# --- the service --------------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchOutcome:
    """What one ``batchcreate`` call did: Alipay's answer plus the employees now cached."""

    result: BatchResult
    cached: tuple[EmployeeInfo, ...]
    uncached: tuple[str, ...] = ()  # created at Alipay, but the re-query failed: next sync


class OrgService:
    """Departments and employees: each method is one clerk action. Blocking — run it on a
    worker thread (the UI's TaskRunner), never on the GUI thread."""

    def __init__(self, database: Database, gateway: AlipayGateway, enterprise_id: str) -> None:
        self.database = database
        self.gateway = gateway
        self.enterprise_id = enterprise_id or gateway.config.enterprise_id or ""

    # -- reads used by validation ----------------------------------------------------------
    def tree(self) -> DepartmentTree:
        return load_tree(self.database, self.enterprise_id)

    def _live_employee(self, session: Session, employee_id: str) -> Employee:
        row = session.scalars(
            select(Employee).where(Employee.employee_id == employee_id, Employee.deleted.is_(False))
        ).first()
        if row is None:
            raise ValidationError(
                "employee_id",
                f"员工 {employee_id} 不存在或已删除",
                f"employee {employee_id} does not exist or was deleted",
                employee_id,
            )
        return row

    # -- cache writes ------------------------------------------------------------------------
    def _write_department(self, session: Session, department_id: str, depth: int) -> DepartmentInfo:
        """Re-read the department from Alipay and upsert it (the caller's transaction)."""
        answer = self.gateway.query_department(department_id)
        row = _department_row(answer, depth, self.enterprise_id, utcnow())
        upsert(session.connection(), Department, [row], ["department_id"])
        return DepartmentInfo(
            row["department_id"], row["name"], row["code"], row["parent_id"], row["depth"]
        )

    def _write_employees(
        self,
        session: Session,
        employee_ids: Sequence[str],
        invites: dict[str, str | None] | None = None,
    ) -> tuple[list[EmployeeInfo], list[str]]:
        """Re-read employees from Alipay (a few in parallel) and upsert them in one statement.
        Returns (cached, ids whose re-query failed)."""

        def fetch(eid: str) -> AlipayEmployee | AlipayGatewayError:
            try:
                return self.gateway.query_employee(eid)
            except AlipayGatewayError as exc:
                return exc

        if len(employee_ids) > 1:
            with ThreadPoolExecutor(max_workers=4, thread_name_prefix="org-requery") as pool:
                answers = list(pool.map(fetch, employee_ids))
        else:
            answers = [fetch(e) for e in employee_ids]
        now = utcnow()
        rows = []
        failed: list[str] = []
        for eid, answer in zip(employee_ids, answers, strict=True):
            if isinstance(answer, AlipayGatewayError):
                if len(employee_ids) == 1:
                    raise answer
                failed.append(eid)
                continue
            rows.append(_employee_row(answer, self.enterprise_id, now))
        upsert(session.connection(), Employee, rows, ["employee_id"])
        for eid, url in (invites or {}).items():
            if url:
                session.execute(
                    update(Employee).where(Employee.employee_id == eid).values(invite_url=url)
                )
        infos = [
            EmployeeInfo(
                employee_id=r["employee_id"],
                name=r["name"],
                employee_no=r["employee_no"],
                phone=r["phone"],
                email=r["email"],
                department_id=r["department_id"],
                status=EmployeeStatus(r["status"]),
                invite_url=(invites or {}).get(r["employee_id"]),
            )
            for r in rows
        ]
        return infos, failed

    # -- departments -------------------------------------------------------------------------
    def create_department(
        self, parent_id: str, name: str, code: str | None = None
    ) -> DepartmentInfo:
        tree = self.tree()
        parent = _require_department(tree, parent_id, "parent_id")
        clean_name = _check_department_name(name)
        _check_sibling(tree, parent.department_id, clean_name, None)
        depth = tree.depth(parent.department_id) + 1
        if depth > MAX_DEPARTMENT_DEPTH:
            raise ValidationError(
                "parent_id",
                f"上级部门已在第{depth - 1}级，部门最多{MAX_DEPARTMENT_DEPTH}级",
                f"the parent is at level {depth - 1}; departments go at most "
                f"{MAX_DEPARTMENT_DEPTH} levels deep",
                parent_id,
            )
        with self.database.read_session() as session:
            clean_code = _check_code(session, code, None)
        new_id = self.gateway.create_department(clean_name, parent.department_id, clean_code)
        with self.database.session() as session:
            return self._write_department(session, new_id, depth)

    def rename_department(
        self, department_id: str, name: str, code: str | None = None
    ) -> DepartmentInfo:
        tree = self.tree()
        info = _require_department(tree, department_id, "department_id")
        clean_name = _check_department_name(name)
        if info.parent_id is not None:
            _check_sibling(tree, info.parent_id, clean_name, department_id)
        with self.database.read_session() as session:
            clean_code = _check_code(session, code, department_id)
        if clean_name == info.name and clean_code in (None, info.code):
            raise ValidationError(
                "name", "名称和编码都没有变化", "neither the name nor the code changed", name
            )
        self.gateway.modify_department(department_id, name=clean_name, code=clean_code)
        with self.database.session() as session:
            return self._write_department(session, department_id, tree.depth(department_id))

    def move_department(self, department_id: str, new_parent_id: str) -> DepartmentInfo:
        """Hang a department (with everything below it) under another parent."""
        tree = self.tree()
        info = _require_department(tree, department_id, "department_id")
        if info.parent_id is None:
            raise ValidationError(
                "department_id",
                "根部门不能移动",
                "the root department cannot be moved",
                department_id,
            )
        parent = _require_department(tree, new_parent_id, "parent_id")
        below = set(tree.descendants(department_id))
        if new_parent_id == department_id or new_parent_id in below:
            raise ValidationError(
                "parent_id",
                f"不能把“{info.name}”移动到它自己或它的子部门“{parent.name}”下",
                f"{info.name!r} cannot move under itself or its own sub-department {parent.name!r}",
                new_parent_id,
            )
        if new_parent_id == info.parent_id:
            raise ValidationError(
                "parent_id",
                f"“{info.name}”已在“{parent.name}”下",
                f"{info.name!r} is already under {parent.name!r}",
                new_parent_id,
            )
        new_depth = tree.depth(new_parent_id) + 1
        deepest = new_depth + tree.height(department_id) - 1
        if deepest > MAX_DEPARTMENT_DEPTH:
            raise ValidationError(
                "parent_id",
                f"移动后部门层级将达到{deepest}级，超过上限{MAX_DEPARTMENT_DEPTH}级",
                f"after the move the tree would be {deepest} levels deep; the limit is "
                f"{MAX_DEPARTMENT_DEPTH}",
                new_parent_id,
            )
        _check_sibling(tree, new_parent_id, info.name, department_id)
        self.gateway.modify_department(department_id, parent_id=new_parent_id)
        shift = new_depth - tree.depth(department_id)
        with self.database.session() as session:
            moved = self._write_department(session, department_id, new_depth)
            if below and shift:
                # Only our derived depth changes below the moved department; Alipay's records of
                # the sub-departments (their parents) are untouched.
                session.execute(
                    update(Department)
                    .where(Department.department_id.in_(sorted(below)))
                    .values(depth=Department.depth + shift, update_time=utcnow())
                )
            return moved

    def delete_department(self, department_id: str) -> str:
        tree = self.tree()
        info = _require_department(tree, department_id, "department_id")
        if info.parent_id is None:
            raise ValidationError(
                "department_id",
                "根部门不能删除",
                "the root department cannot be deleted",
                department_id,
            )
        if tree.child_ids(department_id):
            raise ValidationError(
                "department_id",
                f"“{info.name}”下还有子部门，请先删除或移走子部门",
                f"{info.name!r} still has sub-departments: delete or move them first",
                department_id,
            )
        with self.database.read_session() as session:
            staff = session.execute(
                select(func.count()).where(
                    Employee.department_id == department_id, Employee.deleted.is_(False)
                )
            ).scalar_one()
        if staff:
            raise ValidationError(
                "department_id",
                f"“{info.name}”下还有{staff}名员工，请先移走或删除员工",
                f"{info.name!r} still has {staff} employee(s): move or delete them first",
                department_id,
            )
        self.gateway.delete_department(department_id)
        with self.database.session() as session:
            session.execute(
                update(Department)
                .where(Department.department_id == department_id)
                .values(deleted=True, update_time=utcnow())
            )
        return department_id

    # -- employees ---------------------------------------------------------------------------
    def add_employee(self, data: EmployeeInput) -> EmployeeInfo:
        tree = self.tree()
        clean = _clean_employee(data, tree)
        if clean.mobile is None and clean.email is None and clean.employee_no is None:
            raise ValidationError(
                "mobile",
                "手机号、邮箱、工号至少填写一项",
                "give at least one of mobile number, email or employee number",
            )
        with self.database.read_session() as session:
            _check_unique(session, clean, None)
        added = self.gateway.add_employee(
            clean.name,
            mobile=clean.mobile,
            email=clean.email,
            department_ids=clean.department_ids,
            employee_no=clean.employee_no,
        )
        with self.database.session() as session:
            infos, _ = self._write_employees(
                session, [added.employee_id], {added.employee_id: added.sign_url}
            )
        return infos[0]

    def modify_employee(self, employee_id: str, data: EmployeeInput) -> EmployeeInfo:
        """Send only what changed. Alipay cannot clear a field, so emptying one is refused."""
        tree = self.tree()
        clean = _clean_employee(data, tree)
        with self.database.read_session() as session:
            current = _employee_info(self._live_employee(session, employee_id))
            _check_unique(session, clean, employee_id)
        for attr, now_value, zh, en in (
            ("mobile", current.phone, "手机号", "mobile number"),
            ("email", current.email, "邮箱", "email address"),
            ("employee_no", current.employee_no, "工号", "employee number"),
        ):
            if now_value and getattr(clean, attr) is None:
                raise ValidationError(
                    attr,
                    f"支付宝不支持清空{zh}，如需更换请填写新的{zh}",
                    f"Alipay cannot clear the {en}; enter a new one to replace it",
                )
        name = clean.name if clean.name != current.name else None
        mobile = clean.mobile if clean.mobile != current.phone else None
        email = clean.email if clean.email != current.email else None
        employee_no = clean.employee_no if clean.employee_no != current.employee_no else None
        departments: list[str] | None = None
        if clean.department_ids and (
            len(clean.department_ids) > 1 or clean.department_ids[0] != current.department_id
        ):
            departments = list(clean.department_ids)
        if (name, mobile, email, employee_no, departments) == (None,) * 5:
            raise ValidationError("name", "没有任何修改", "nothing was changed", data.name)
        self.gateway.modify_employee(
            employee_id,
            name=name,
            mobile=mobile,
            email=email,
            employee_no=employee_no,
            department_ids=departments,
        )
        with self.database.session() as session:
            infos, _ = self._write_employees(session, [employee_id])
        return infos[0]

    def delete_employee(self, employee_id: str) -> str:
        with self.database.read_session() as session:
            self._live_employee(session, employee_id)
        self.gateway.delete_employee(employee_id)
        with self.database.session() as session:
            session.execute(
                update(Employee)
                .where(Employee.employee_id == employee_id)
                .values(deleted=True, status=EmployeeStatus.DELETED, update_time=utcnow())
            )
        return employee_id

    def fetch_invite(self, employee_id: str) -> EmployeeInvite:
        """A pending employee's sign link, fetched from Alipay and remembered in the cache."""
        with self.database.read_session() as session:
            current = _employee_info(self._live_employee(session, employee_id))
        if not current.pending:
            raise ValidationError(
                "employee_id",
                f"员工“{current.name}”已激活，无需邀请",
                f"employee {current.name!r} has already signed; no invite is needed",
                employee_id,
            )
        return self._fetch_invites([current])[0]

    def fetch_invites(self, department_id: str | None) -> list[EmployeeInvite]:
        """Fresh sign links of every pending employee of a department and its sub-departments
        (for a printed invite sheet)."""
        pending = pending_employees(self.database, department_id, self.enterprise_id)
        return self._fetch_invites(pending) if pending else []

    def _fetch_invites(self, employees: Sequence[EmployeeInfo]) -> list[EmployeeInvite]:
        def fetch(e: EmployeeInfo) -> EmployeeInvite:
            invite = self.gateway.query_employee_invite(e.employee_id)
            url = invite.sign_url or invite.mini_app_sign_url
            if not url:
                raise ValidationError(
                    "employee_id",
                    f"支付宝没有返回员工“{e.name}”的签约链接",
                    f"Alipay returned no sign link for employee {e.name!r}",
                    e.employee_id,
                )
            return EmployeeInvite(
                e.employee_id, e.name, e.employee_no, e.department_id, url, invite.share_code
            )

        if len(employees) > 1:
            with ThreadPoolExecutor(max_workers=4, thread_name_prefix="org-invite") as pool:
                invites = list(pool.map(fetch, employees))
        else:
            invites = [fetch(e) for e in employees]
        with self.database.session() as session:
            for invite in invites:
                session.execute(
                    update(Employee)
                    .where(
                        and_(
                            Employee.employee_id == invite.employee_id,
                            or_(
                                Employee.invite_url.is_(None),
                                Employee.invite_url != invite.sign_url,
                            ),
                        )
                    )
                    .values(invite_url=invite.sign_url, share_code=invite.share_code)
                )
        return invites

    def batch_create(self, employees: Sequence[NewEmployee]) -> BatchOutcome:
        """One ``batchcreate`` call (≤ 100 employees); the created ones are re-read and cached in
        one transaction. Input is expected to be validated already (the importer does)."""
        if not employees:
            raise ValidationError("employees", "没有要添加的员工", "no employees to add")
        if len(employees) > MAX_BATCH:
            raise ValidationError(
                "employees",
                f"单次最多添加{MAX_BATCH}名员工",
                f"at most {MAX_BATCH} employees per batch",
                len(employees),
            )
        result = self.gateway.batch_create_employees(employees)
        ids = [s.employee_id for s in result.success]
        if not ids:
            return BatchOutcome(result, ())
        with self.database.session() as session:
            infos, failed = self._write_employees(session, ids)
        return BatchOutcome(result, tuple(infos), tuple(failed))
