"""Small lists the filter bars pick from: departments as a tree, employees, institutions.

These are fast indexed reads of small tables (an org has thousands of people, not millions),
returned as frozen tuples so they may be read on any thread. They use Core table columns on a
plain connection: no ORM session, so the first one does not pay SQLAlchemy's mapper set-up on
the GUI thread."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from workstation.db.engine import Database
from workstation.institutions.models import ExpenseInstitution
from workstation.org.models import Department, Employee

__all__ = ["Choice", "department_choices", "employee_choices", "institution_choices"]

_department = Department.__table__.c
_employee = Employee.__table__.c
_institution = ExpenseInstitution.__table__.c


@dataclass(frozen=True)
class Choice:
    key: str
    text: str
    depth: int = 0


def department_choices(database: Database) -> tuple[Choice, ...]:
    """Departments depth-first, each under its parent, siblings by name."""
    with database.engine.connect() as conn:
        rows = conn.execute(
            select(_department.department_id, _department.name, _department.parent_id)
        ).all()
    children: dict[str | None, list[tuple[str, str]]] = {}
    ids = {r.department_id for r in rows}
    for r in rows:
        parent = r.parent_id if r.parent_id in ids else None
        children.setdefault(parent, []).append((r.name, r.department_id))
    out: list[Choice] = []
    seen: set[str] = set()

    def walk(parent: str | None, depth: int) -> None:
        for name, key in sorted(children.get(parent, ())):
            if key in seen:  # a corrupt cycle must not hang the filter bar
                continue
            seen.add(key)
            out.append(Choice(key, name, depth))
            walk(key, depth + 1)

    walk(None, 0)
    return tuple(out)


def employee_choices(database: Database) -> tuple[Choice, ...]:
    with database.engine.connect() as conn:
        rows = conn.execute(
            select(_employee.employee_id, _employee.name, _employee.employee_no).order_by(
                _employee.name, _employee.employee_id
            )
        ).all()
    return tuple(
        Choice(r.employee_id, f"{r.name}（{r.employee_no}）" if r.employee_no else r.name)
        for r in rows
    )


def institution_choices(database: Database) -> tuple[Choice, ...]:
    with database.engine.connect() as conn:
        rows = conn.execute(
            select(_institution.institution_id, _institution.name).order_by(_institution.name)
        ).all()
    return tuple(Choice(r.institution_id, r.name) for r in rows)
