"""Cache reads behind the institutions tab: members page by SQL, the org tree for pickers."""

from __future__ import annotations

from sqlalchemy import insert

from workstation.db.engine import Database
from workstation.institutions.models import ExpenseInstitution, InstitutionMember, MemberType
from workstation.institutions.service import (
    department_nodes,
    employee_count,
    employee_page,
    institution_summaries,
    member_count,
    member_page,
    subtree_ids,
)
from workstation.org.models import Department, Employee

MEMBERS = 2500  # above the 1 000 where Alipay stops listing members in the detail answer


def fill(database: Database) -> None:
    with database.session() as session:
        conn = session.connection()
        conn.execute(
            insert(Department),
            [
                {"department_id": "D1", "enterprise_id": "E", "name": "总部", "parent_id": None,
                 "depth": 1},
                {"department_id": "D2", "enterprise_id": "E", "name": "研发部", "parent_id": "D1",
                 "depth": 2},
                {"department_id": "D3", "enterprise_id": "E", "name": "后端组", "parent_id": "D2",
                 "depth": 3},
                {"department_id": "D4", "enterprise_id": "E", "name": "财务部", "parent_id": "D1",
                 "depth": 2},
            ],
        )  # fmt: skip
        conn.execute(
            insert(Employee),
            [
                {
                    "employee_id": f"E{n:05d}",
                    "enterprise_id": "E",
                    "name": f"员工{n:05d}",
                    "employee_no": f"NO{n}",
                    "department_id": ("D3", "D4")[n % 2],
                }
                for n in range(MEMBERS + 10)
            ],
        )
        conn.execute(
            insert(ExpenseInstitution),
            [{"institution_id": "I1", "enterprise_id": "E", "name": "大制度"}],
        )
        conn.execute(
            insert(InstitutionMember),
            [
                {"institution_id": "I1", "member_type": MemberType.EMPLOYEE,
                 "employee_id": f"E{n:05d}"}
                for n in range(MEMBERS)
            ],
        )  # fmt: skip


def test_members_are_read_page_by_page_in_a_stable_order(database: Database) -> None:
    fill(database)
    assert member_count(database, "I1") == MEMBERS
    seen = [
        m.member_id
        for offset in range(0, MEMBERS, 1000)
        for m in member_page(database, "I1", offset, 1000)
    ]
    assert len(seen) == len(set(seen)) == MEMBERS
    first = member_page(database, "I1", 0, 3)
    assert [m.name for m in first] == ["员工00000", "员工00001", "员工00002"]
    assert first[1].department_name == "财务部"
    assert member_count(database, "I1", "员工0123") == 10
    assert {m.member_id for m in member_page(database, "I1", 0, 50, "NO2499")} == {"E02499"}
    [summary] = institution_summaries(database)
    assert (summary.member_count, summary.rule_count) == (MEMBERS, 0)


def test_department_tree_and_employee_picker(database: Database) -> None:
    fill(database)
    nodes = department_nodes(database)
    assert [(n.name, n.depth) for n in nodes] == [
        ("总部", 0),
        ("研发部", 1),
        ("后端组", 2),
        ("财务部", 1),
    ]
    assert sorted(subtree_ids(nodes, "D2")) == ["D2", "D3"]
    assert employee_count(database, department_ids=subtree_ids(nodes, "D2")) == (MEMBERS + 10) // 2
    assert employee_count(database, "员工0000") == 10
    page = employee_page(database, 5, 3, department_ids=["D4"])
    assert [e.employee_id for e in page] == ["E00011", "E00013", "E00015"]
    assert {e.department_name for e in page} == {"财务部"}
