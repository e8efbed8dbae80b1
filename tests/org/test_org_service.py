"""Org chart actions against the live sandbox: Alipay first, then the cache, nothing half-done."""

from __future__ import annotations

import pytest
from org.org_fixtures import OrgSandbox
from sqlalchemy import insert, select

from workstation.alipay.errors import AlipayError
from workstation.errors import ValidationError
from workstation.org.models import MAX_DEPARTMENT_DEPTH, Department, Employee, EmployeeStatus
from workstation.org.service import (
    DepartmentInfo,
    DepartmentTree,
    EmployeeInput,
    OrgService,
    employee_statement,
    load_employee,
    load_tree,
    normalize_mobile,
    pending_employees,
)


def _cached_employee(env: OrgSandbox, employee_id: str) -> Employee:
    with env.database.read_session() as session:
        return session.scalars(select(Employee).where(Employee.employee_id == employee_id)).one()


def _employee_ids(env: OrgSandbox, department_id: str | None, search: str = "") -> list[str]:
    root = load_tree(env.database, env.enterprise_id).root
    stmt = employee_statement(
        department_id,
        search,
        enterprise_id=env.enterprise_id,
        root_id=root.department_id if root else None,
    )
    with env.database.read_session() as session:
        return [e.employee_id for e in session.scalars(stmt)]


def test_add_employee_reaches_alipay_and_the_cache(env: OrgSandbox, service: OrgService) -> None:
    finance = env.department_id("财务部")
    added = service.add_employee(
        EmployeeInput(
            name="  周新人 ",
            mobile="+86 139-0000-1234",
            email="zhou.xinren@example.com",
            employee_no="N0001",
            department_ids=(finance,),
        )
    )
    assert added.name == "周新人"
    assert added.phone == "13900001234"
    assert added.status is EmployeeStatus.PENDING
    assert added.invite_url and "employee-sign" in added.invite_url

    at_alipay = env.gateway.query_employee(added.employee_id)
    assert at_alipay.name == "周新人"
    assert at_alipay.mobile == "13900001234"
    assert at_alipay.department_ids == (finance,)

    cached = _cached_employee(env, added.employee_id)
    assert (cached.name, cached.phone, cached.department_id) == ("周新人", "13900001234", finance)
    assert cached.invite_url == added.invite_url
    # The department and every ancestor list the new employee; a sibling does not.
    assert added.employee_id in _employee_ids(env, finance)
    assert added.employee_id in _employee_ids(env, None)
    assert added.employee_id not in _employee_ids(env, env.department_id("人力资源部"))
    assert _employee_ids(env, finance, "1390000") == [added.employee_id]
    assert _employee_ids(env, None, "xinren@") == [added.employee_id]


def test_invalid_input_is_refused_before_any_call(env: OrgSandbox, service: OrgService) -> None:
    before = env.snapshot()
    total = env.gateway.list_employee_ids("-1").total_count
    cases = [
        (EmployeeInput(name="", mobile="13900000001"), "name"),
        (EmployeeInput(name="甲", mobile="1234"), "mobile"),
        (EmployeeInput(name="乙", email="not-an-email"), "email"),
        (EmployeeInput(name="丙"), "mobile"),  # no identity at all
        (EmployeeInput(name="丁", mobile="13900000002", department_ids=("999",)), "department_ids"),
    ]
    for data, field in cases:
        with pytest.raises(ValidationError) as caught:
            service.add_employee(data)
        assert caught.value.field == field
        assert caught.value.message_zh and caught.value.message_en
    assert env.gateway.list_employee_ids("-1").total_count == total
    assert env.snapshot() == before


def test_a_taken_phone_in_the_cache_is_named_before_the_call(
    env: OrgSandbox, service: OrgService
) -> None:
    with env.database.read_session() as session:
        someone = session.scalars(select(Employee).where(Employee.phone.is_not(None))).first()
    assert someone is not None
    with pytest.raises(ValidationError) as caught:
        service.add_employee(EmployeeInput(name="重复", mobile=someone.phone))
    assert caught.value.field == "mobile"
    assert someone.name in caught.value.message_zh


def test_a_business_error_leaves_the_cache_unchanged(env: OrgSandbox, service: OrgService) -> None:
    # Someone took the phone number at Alipay after our last sync: the cache cannot know, so
    # Alipay refuses, and the cache must stay exactly as it was.
    env.gateway.add_employee("别处添加", mobile="13700007777")
    before = env.snapshot()
    with pytest.raises(AlipayError) as caught:
        service.add_employee(EmployeeInput(name="新员工", mobile="13700007777"))
    assert caught.value.sub_code == "EMPLOYEE_ALREADY_EXIST"
    assert env.snapshot() == before

    # The same for a department deleted at Alipay but still cached.
    legal = env.department_id("法务部")
    for eid in env.gateway.iter_employee_ids(legal):
        env.gateway.modify_employee(eid, department_ids=[env.department_id("行政部")])
    env.gateway.delete_department(legal)
    before = env.snapshot()
    with pytest.raises(AlipayError) as caught:
        service.rename_department(legal, "法务合规部")
    assert caught.value.sub_code == "DEPARTMENT_NOT_EXIST"
    assert env.snapshot() == before


def test_move_department_updates_parent_and_depths(env: OrgSandbox, service: OrgService) -> None:
    data = env.department_id("数据平台部")  # depth 3, with two children at depth 4
    target = env.department_id("法务部")  # depth 2
    before = load_tree(env.database, env.enterprise_id)
    children = before.descendants(data)
    assert len(children) == 2

    moved = service.move_department(data, target)

    assert moved.parent_id == target
    assert env.gateway.query_department(data).parent_id == target
    after = load_tree(env.database, env.enterprise_id)
    assert after.get(data) == DepartmentInfo(data, "数据平台部", moved.code, target, 3)
    assert after.path(data).endswith("法务部/数据平台部")
    for child in children:
        assert after.get(child).depth == 4  # type: ignore[union-attr]
    assert data not in after.descendants(env.department_id("技术研发中心"))


def test_move_is_validated_against_the_cached_tree(env: OrgSandbox, service: OrgService) -> None:
    before = env.snapshot()
    tech = env.department_id("技术研发中心")
    root = load_tree(env.database, env.enterprise_id).root
    assert root is not None
    with pytest.raises(ValidationError) as caught:
        service.move_department(tech, env.department_id("算法组"))  # its own grandchild
    assert caught.value.field == "parent_id"
    with pytest.raises(ValidationError) as caught:
        service.move_department(tech, tech)
    assert caught.value.field == "parent_id"
    with pytest.raises(ValidationError) as caught:
        service.move_department(root.department_id, tech)
    assert caught.value.field == "department_id"
    assert env.snapshot() == before
    assert env.gateway.query_department(tech).parent_id == root.department_id


def test_move_that_would_exceed_twenty_levels_is_refused(
    env: OrgSandbox, service: OrgService
) -> None:
    # A cached chain 20 levels deep (only in the cache: validation must stop it before Alipay).
    root = load_tree(env.database, env.enterprise_id).root
    assert root is not None
    parent = root.department_id
    rows = []
    for depth in range(2, MAX_DEPARTMENT_DEPTH + 1):
        dept_id = f"chain{depth}"
        rows.append(
            {
                "department_id": dept_id,
                "enterprise_id": env.enterprise_id,
                "name": f"第{depth}级",
                "parent_id": parent,
                "depth": depth,
            }
        )
        parent = dept_id
    with env.database.session() as session:
        session.execute(insert(Department), rows)
    with pytest.raises(ValidationError) as caught:
        service.move_department(env.department_id("税务组"), "chain20")
    assert caught.value.field == "parent_id"
    assert "20" in caught.value.message_zh
    with pytest.raises(ValidationError) as caught:
        service.create_department("chain20", "第21级")
    assert caught.value.field == "parent_id"


def test_create_rename_and_delete_a_department(env: OrgSandbox, service: OrgService) -> None:
    finance = env.department_id("财务部")
    created = service.create_department(finance, "预算组", code="FIN-BUDGET")
    assert created.parent_id == finance
    assert created.depth == 3
    assert env.gateway.query_department(created.department_id).name == "预算组"
    assert load_tree(env.database, env.enterprise_id).get(created.department_id) == created

    with pytest.raises(ValidationError) as caught:
        service.create_department(finance, "预算组")
    assert caught.value.field == "name"
    with pytest.raises(ValidationError) as caught:
        service.create_department(finance, "另一个", code="FIN-BUDGET")
    assert caught.value.field == "code"

    renamed = service.rename_department(created.department_id, "预算管理组")
    assert renamed.name == "预算管理组"
    assert env.gateway.query_department(created.department_id).name == "预算管理组"

    with pytest.raises(ValidationError) as caught:
        service.delete_department(finance)  # has sub-departments
    assert caught.value.field == "department_id"

    service.delete_department(created.department_id)
    assert created.department_id not in load_tree(env.database, env.enterprise_id)
    with pytest.raises(AlipayError):
        env.gateway.query_department(created.department_id)


def test_modify_and_delete_an_employee(env: OrgSandbox, service: OrgService) -> None:
    added = service.add_employee(EmployeeInput(name="王改", mobile="13600001111"))
    hr = env.department_id("人力资源部")
    changed = service.modify_employee(
        added.employee_id,
        EmployeeInput(
            name="王改名", mobile="13600002222", email="wang@example.com", department_ids=(hr,)
        ),
    )
    assert (changed.name, changed.phone, changed.email, changed.department_id) == (
        "王改名",
        "13600002222",
        "wang@example.com",
        hr,
    )
    remote = env.gateway.query_employee(added.employee_id)
    assert (remote.name, remote.mobile, remote.department_ids) == ("王改名", "13600002222", (hr,))

    with pytest.raises(ValidationError) as caught:  # Alipay cannot clear a field
        service.modify_employee(added.employee_id, EmployeeInput(name="王改名", mobile=None))
    assert caught.value.field == "mobile"
    with pytest.raises(ValidationError):  # nothing changed
        service.modify_employee(
            added.employee_id,
            EmployeeInput(name="王改名", mobile="13600002222", email="wang@example.com"),
        )

    service.delete_employee(added.employee_id)
    assert load_employee(env.database, added.employee_id) is None
    assert _cached_employee(env, added.employee_id).status is EmployeeStatus.DELETED
    with pytest.raises(AlipayError) as caught_alipay:
        env.gateway.query_employee(added.employee_id)
    assert caught_alipay.value.sub_code == "EMPLOYEE_NOT_EXIST"


def test_invites_of_pending_employees(env: OrgSandbox, service: OrgService) -> None:
    tax = env.department_id("税务组")
    first = service.add_employee(EmployeeInput(name="待激活一", mobile="13500000001"))
    second = service.add_employee(
        EmployeeInput(name="待激活二", mobile="13500000002", department_ids=(tax,))
    )
    invite = service.fetch_invite(second.employee_id)
    assert invite.sign_url == env.gateway.query_employee_invite(second.employee_id).sign_url
    assert _cached_employee(env, second.employee_id).invite_url == invite.sign_url

    finance_invites = service.fetch_invites(env.department_id("财务部"))
    assert [i.employee_id for i in finance_invites if i.name.startswith("待激活")] == [
        second.employee_id
    ]
    everyone = {i.employee_id for i in service.fetch_invites(None)}
    assert {first.employee_id, second.employee_id} <= everyone
    assert everyone == {
        e.employee_id for e in pending_employees(env.database, None, env.enterprise_id)
    }

    with env.database.read_session() as session:
        active = session.scalars(
            select(Employee.employee_id).where(Employee.status == EmployeeStatus.ACTIVE)
        ).first()
    assert active is not None
    with pytest.raises(ValidationError):
        service.fetch_invite(active)


def test_tree_helpers() -> None:
    tree = DepartmentTree.build(
        [
            DepartmentInfo("1", "总部", None, None, 1),
            DepartmentInfo("2", "财务部", None, "1", 2),
            DepartmentInfo("3", "税务组", None, "2", 3),
            DepartmentInfo("4", "研发部", None, "1", 2),
            DepartmentInfo("9", "孤儿", None, "404", 2),  # parent not cached
        ]
    )
    assert tree.root == DepartmentInfo("1", "总部", None, None, 1)
    assert set(tree.roots) == {"1", "9"}
    assert tree.descendants("1") == ["2", "4", "3"]
    assert tree.height("1") == 3
    assert tree.depth("3") == 3
    assert tree.path("3") == "总部/财务部/税务组"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("13800138000", "13800138000"),
        (" 138 0013 8000 ", "13800138000"),
        ("+86 13800138000", "13800138000"),
        ("8613800138000", "13800138000"),
        ("138-0013-8000", "13800138000"),
        ("", None),
    ],
)
def test_mobile_numbers_are_normalised(text: str, expected: str | None) -> None:
    assert normalize_mobile(text) == expected


@pytest.mark.parametrize("text", ["12345", "23800138000", "1380013800a", "1.38E+10"])
def test_bad_mobile_numbers_name_the_field(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        normalize_mobile(text)
    assert caught.value.field == "mobile"
    assert "手机号" in caught.value.message_zh
    assert "mobile" in caught.value.message_en
