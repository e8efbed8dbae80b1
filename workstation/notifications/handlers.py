"""``HANDLER_MAP``: one handler per ``msg_method`` (seed 000's strategy pattern).

A handler works in two phases, so no database lock is ever held across a network call:

``fetch(gateway, message)``
    Reads the full, current record from Alipay (a notification only names what changed). Runs
    on a worker thread, outside any transaction. A record Alipay no longer has
    (``EMPLOYEE_NOT_EXIST`` …) comes back as :class:`Gone`; a message that can never be applied
    raises :class:`PermanentFailure`; a gateway outage raises what the gateway raised
    (:func:`is_transient` tells which) and the message is fetched again later.
``apply(conn, ctx, message, fetched)``
    Writes through the sync layer's bulk upsert and row mappers, inside the caller's
    transaction (which also records the inbox row and the new seq), and reports an
    :class:`Effect` for live refresh and desktop notices.

Every handler is idempotent: applying the same record twice leaves the cache as applying it once
(the upsert skips unchanged rows), so a redelivered notification is harmless even before the
inbox's notify_id check.

Message names are not officially published (alipay-api.md 2.5, addendum); :func:`handler_map`
builds a map under other names when a deployment needs it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import Column, Connection, bindparam, delete, select, update

from workstation.alipay.errors import (
    AlipayError,
    AlipayProtocolError,
    AlipaySignatureError,
    AlipayTlsError,
    AlipayUnavailable,
)
from workstation.alipay.gateway import AlipayGateway
from workstation.alipay.types import Bill as AlipayBill
from workstation.alipay.types import BillDetail
from workstation.alipay.types import Department as AlipayDepartment
from workstation.alipay.types import Employee as AlipayEmployee
from workstation.alipay.types import Enterprise as AlipayEnterprise
from workstation.alipay.types import Quota as AlipayQuota
from workstation.alipay.types import Voucher as AlipayVoucher
from workstation.bills.models import Bill
from workstation.bills.sync import NOT_COMPARED as BILL_NOT_COMPARED
from workstation.bills.sync import bill_row
from workstation.enterprise.models import Enterprise, EnterpriseStatus
from workstation.enterprise.sync import enterprise_row
from workstation.institutions.models import ExpenseInstitution, ExpenseRule
from workstation.money import ZERO, from_fen
from workstation.notifications.messages import (
    BillNotice,
    EmployeeNotice,
    QuotaNotice,
    RelayMessage,
)
from workstation.org.models import MAX_DEPARTMENT_DEPTH, Department, Employee, EmployeeStatus
from workstation.org.sync import _department_row, _employee_row
from workstation.quotas.models import Quota
from workstation.quotas.sync import quota_row
from workstation.sync.upsert import upsert
from workstation.vouchers.models import Voucher
from workstation.vouchers.sync import voucher_row

__all__ = [
    "BILL_CHANGE",
    "DEPARTMENT_CHANGE",
    "EMPLOYEE_CHANGE",
    "ENTERPRISE_CHANGE",
    "HANDLER_MAP",
    "INVOICE_CHANGE",
    "VOUCHER_CHANGE",
    "ApplyContext",
    "BillChangeHandler",
    "DepartmentChangeHandler",
    "Effect",
    "EmployeeChangeHandler",
    "EnterpriseChangeHandler",
    "Gone",
    "Handler",
    "PermanentFailure",
    "VoucherChangeHandler",
    "handler_map",
    "is_transient",
]

ENTERPRISE_CHANGE = "alipay.commerce.ec.enterprise.change.notify"
DEPARTMENT_CHANGE = "alipay.commerce.ec.department.change.notify"
EMPLOYEE_CHANGE = "alipay.commerce.ec.employee.change.notify"
BILL_CHANGE = "alipay.commerce.ec.consume.change.notify"
INVOICE_CHANGE = "alipay.commerce.ec.enterprise.newinvoice.notify"  # Alipay's integration guide
VOUCHER_CHANGE = "alipay.commerce.ec.voucher.change.notify"  # seed 000's name for the same event


@dataclass(frozen=True)
class ApplyContext:
    enterprise_id: str
    now: dt.datetime  # naive UTC: our bookkeeping times
    china_now: dt.datetime  # naive Beijing time: compared with Alipay's validity windows


@dataclass(frozen=True)
class Effect:
    """What an applied message changed: cache entity keys (as ``CacheEvents.changed`` uses
    them: enterprise, org, quotas, bills, vouchers) and what desktop notices need."""

    entities: frozenset[str]
    bill: BillNotice | None = None
    quotas: tuple[QuotaNotice, ...] = ()
    employee: EmployeeNotice | None = None


@dataclass(frozen=True)
class Gone:
    """Alipay no longer has the record the message is about: apply it as a deletion."""

    key: str
    error: AlipayError


class PermanentFailure(Exception):
    """This message can never be applied (a missing field, a bill Alipay does not know): it is
    recorded FAILED with this bilingual reason and the seq moves past it."""

    def __init__(self, message_zh: str, message_en: str) -> None:
        self.message_zh = message_zh
        self.message_en = message_en
        super().__init__(f"{message_zh} / {message_en}")


def is_transient(exc: BaseException) -> bool:
    """Failures that say nothing about the message: Alipay unreachable or busy, an answer we
    could not trust (bad signature, TLS), an HTTP error status. The message is fetched again
    later instead of being recorded as failed."""
    if isinstance(exc, AlipayUnavailable | AlipaySignatureError | AlipayTlsError):
        return True
    return isinstance(exc, AlipayProtocolError) and exc.status is not None


class Handler(Protocol):
    entities: frozenset[str]

    def key(self, message: RelayMessage) -> str | None:
        """The record the message is about: fetches for the same key run one after another,
        in seq order, so an older answer never overwrites a newer one."""
        ...

    def fetch(self, gateway: AlipayGateway, message: RelayMessage) -> Any: ...

    def apply(
        self, conn: Connection, ctx: ApplyContext, message: RelayMessage, fetched: Any
    ) -> Effect: ...


def _required(message: RelayMessage, *names: str) -> str:
    value = message.text(*names)
    if value is None:
        name = names[0]
        raise PermanentFailure(f"通知缺少字段 {name}", f"the notification has no {name}")
    return value


def _gone_or_raise(exc: AlipayError, key: str, *sub_codes: str) -> Gone:
    if exc.sub_code in sub_codes:
        return Gone(key, exc)
    raise exc


# --- enterprise ---------------------------------------------------------------------------------


class EnterpriseChangeHandler:
    """Registration, signing, unsigning, deletion: re-read the enterprise record."""

    entities = frozenset({"enterprise"})

    def key(self, message: RelayMessage) -> str | None:
        return "enterprise"

    def fetch(self, gateway: AlipayGateway, message: RelayMessage) -> AlipayEnterprise | Gone:
        try:
            return gateway.query_enterprise()
        except AlipayError as exc:
            key = message.text("enterprise_id") or gateway.config.enterprise_id or ""
            return _gone_or_raise(exc, key, "ENTERPRISE_NOT_EXIST")

    def apply(
        self,
        conn: Connection,
        ctx: ApplyContext,
        message: RelayMessage,
        fetched: AlipayEnterprise | Gone,
    ) -> Effect:
        if isinstance(fetched, Gone):
            conn.execute(
                update(Enterprise)
                .where(Enterprise.enterprise_id == (fetched.key or ctx.enterprise_id))
                .values(status=EnterpriseStatus.DELETED, update_time=ctx.now)
            )
            return Effect(self.entities)
        row = enterprise_row(fetched, ctx.now)
        upsert(conn, Enterprise, [row], ["enterprise_id"])
        return Effect(self.entities)


# --- org ----------------------------------------------------------------------------------------


class DepartmentChangeHandler:
    entities = frozenset({"org"})

    def key(self, message: RelayMessage) -> str | None:
        return f"department:{message.text('department_id')}"

    def fetch(self, gateway: AlipayGateway, message: RelayMessage) -> AlipayDepartment | Gone:
        department_id = _required(message, "department_id")
        try:
            return gateway.query_department(department_id)
        except AlipayError as exc:
            return _gone_or_raise(exc, department_id, "DEPARTMENT_NOT_EXIST")

    def apply(
        self,
        conn: Connection,
        ctx: ApplyContext,
        message: RelayMessage,
        fetched: AlipayDepartment | Gone,
    ) -> Effect:
        if isinstance(fetched, Gone):
            conn.execute(
                update(Department)
                .where(Department.department_id == fetched.key)
                .values(deleted=True, update_time=ctx.now)
            )
            return Effect(self.entities)
        # Depth comes from the parent as the cache knows it (the root has no parent here).
        parent_depth = 0
        if fetched.parent_id not in (None, "", "-1"):
            parent_depth = (
                conn.execute(
                    select(Department.depth).where(Department.department_id == fetched.parent_id)
                ).scalar()
                or 0
            )
        depth = min(parent_depth + 1, MAX_DEPARTMENT_DEPTH)
        row = _department_row(fetched, depth, ctx.enterprise_id, ctx.now)
        upsert(conn, Department, [row], ["department_id"])
        return Effect(self.entities)


class EmployeeChangeHandler:
    """Added, modified, activated (signed 因公付), deleted."""

    entities = frozenset({"org"})

    def key(self, message: RelayMessage) -> str | None:
        return f"employee:{message.text('employee_id')}"

    def fetch(self, gateway: AlipayGateway, message: RelayMessage) -> AlipayEmployee | Gone:
        employee_id = _required(message, "employee_id")
        try:
            return gateway.query_employee(employee_id)
        except AlipayError as exc:
            return _gone_or_raise(exc, employee_id, "EMPLOYEE_NOT_EXIST")

    def apply(
        self,
        conn: Connection,
        ctx: ApplyContext,
        message: RelayMessage,
        fetched: AlipayEmployee | Gone,
    ) -> Effect:
        change = message.text("change_type")
        if isinstance(fetched, Gone):
            conn.execute(
                update(Employee)
                .where(Employee.employee_id == fetched.key)
                .values(deleted=True, status=EmployeeStatus.DELETED, update_time=ctx.now)
            )
            name = conn.execute(
                select(Employee.name).where(Employee.employee_id == fetched.key)
            ).scalar()
            notice = EmployeeNotice(fetched.key, name, EmployeeStatus.DELETED.value, change)
            return Effect(self.entities, employee=notice)
        row = _employee_row(fetched, ctx.enterprise_id, ctx.now)
        if row["department_id"] is not None:
            # Like the org sync: no link to a department the cache does not have.
            known = conn.execute(
                select(Department.id).where(Department.department_id == row["department_id"])
            ).first()
            if known is None:
                row["department_id"] = None
        upsert(conn, Employee, [row], ["employee_id"])
        notice = EmployeeNotice(row["employee_id"], row["name"], row["status"], change)
        return Effect(self.entities, employee=notice)


# --- bills --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FetchedBill:
    detail: BillDetail
    quotas: tuple[AlipayQuota, ...]  # the employee's quotas, re-read when the enterprise paid


class BillChangeHandler:
    """A bill was created, refunded or changed: read it with ``consume.detail.query``, upsert
    it (and its refunds), replace its own vouchers from the same answer, and re-read the
    employee's quotas when the enterprise paid, so quota exhaustion shows at once."""

    entities = frozenset({"bills"})

    def key(self, message: RelayMessage) -> str | None:
        return f"bill:{message.text('pay_no')}"

    def fetch(self, gateway: AlipayGateway, message: RelayMessage) -> FetchedBill:
        pay_no = _required(message, "pay_no")
        try:
            detail = gateway.query_bill(pay_no)
        except AlipayError as exc:
            if exc.sub_code == "BILL_NOT_EXIST":
                raise PermanentFailure(
                    f"支付宝查不到账单 {pay_no}", f"Alipay has no bill {pay_no}"
                ) from exc
            raise
        bill = detail.bill
        quotas: tuple[AlipayQuota, ...] = ()
        if bill.employee_id and bill.enterprise_paid != ZERO:
            quotas = tuple(gateway.iter_quotas(owner_id=bill.employee_id, page_size=100))
        return FetchedBill(detail, quotas)

    def apply(
        self, conn: Connection, ctx: ApplyContext, message: RelayMessage, fetched: FetchedBill
    ) -> Effect:
        detail = fetched.detail
        bill = detail.bill
        bills = [bill, *(r for r in detail.refunds if r.pay_no != bill.pay_no)]
        employees = {b.employee_id for b in bills if b.employee_id}
        rules = {b.expense_rule_group_id for b in bills if b.expense_rule_group_id}
        departments = dict(
            conn.execute(
                select(Employee.employee_id, Employee.department_id).where(
                    Employee.employee_id.in_(employees)
                )
            ).all()
        )
        institutions = dict(
            conn.execute(
                select(ExpenseRule.rule_id, ExpenseRule.institution_id).where(
                    ExpenseRule.rule_id.in_(rules)
                )
            ).all()
        )
        existed = conn.execute(select(Bill.id).where(Bill.pay_no == bill.pay_no)).first()
        rows = [bill_row(b, ctx.enterprise_id, departments, institutions, ctx.now) for b in bills]
        upsert(conn, Bill, rows, ["pay_no"], compare_ignore=BILL_NOT_COMPARED)
        entities = set(self.entities)
        # A consume bill outside a summary batch carries its own vouchers in this very answer
        # (the voucher sync would ask the same question); batch invoices are the voucher
        # sync's, by summary id.
        if (bill.consume_type or "CONSUME") == "CONSUME" and not bill.summary_apply_id:
            vouchers = [
                voucher_row(v, bill.pay_no, None, ctx.now) for v in detail.vouchers if v.voucher_id
            ]
            replace_vouchers(conn, Voucher.bill_id, bill.pay_no, vouchers, ctx.now)
            entities.add("vouchers")
        institution_id = rows[0]["institution_id"]
        quotas = self._apply_quotas(conn, ctx, bill, institution_id, fetched.quotas)
        if fetched.quotas:
            entities.add("quotas")
        name = conn.execute(
            select(Employee.name).where(Employee.employee_id == bill.employee_id)
        ).scalar()
        change = message.text("change_type")
        notice = BillNotice(
            pay_no=bill.pay_no,
            consume_type=bill.consume_type or "CONSUME",
            change_type=change,
            employee_id=bill.employee_id,
            employee_name=name,
            merchant_name=bill.merchant_name,
            amount=abs(bill.amount),
            enterprise_paid=abs(bill.enterprise_paid),
            trade_time=bill.trade_time,
            institution_id=institution_id,
            new=existed is None or (change or "").upper() == "CREATE",
        )
        return Effect(frozenset(entities), bill=notice, quotas=quotas)

    def _apply_quotas(
        self,
        conn: Connection,
        ctx: ApplyContext,
        bill: AlipayBill,
        institution_id: str | None,
        quotas: Sequence[AlipayQuota],
    ) -> tuple[QuotaNotice, ...]:
        if not quotas:
            return ()
        rows = [quota_row(q, ctx.enterprise_id, ctx.china_now, ctx.now) for q in quotas]
        ids = [r["quota_id"] for r in rows]
        before: dict[str, Decimal] = dict(
            conn.execute(
                select(Quota.quota_id, Quota.available_amount).where(Quota.quota_id.in_(ids))
            ).all()
        )
        upsert(conn, Quota, rows, ["quota_id"])
        # The quotas the bill drew on: those of its institution (all of the employee's when
        # the bill names none).
        relevant = [
            r for r in rows if institution_id is None or r["institution_id"] == institution_id
        ]
        names = dict(
            conn.execute(
                select(ExpenseInstitution.institution_id, ExpenseInstitution.name).where(
                    ExpenseInstitution.institution_id.in_({r["institution_id"] for r in relevant})
                )
            ).all()
        )
        employee_name = conn.execute(
            select(Employee.name).where(Employee.employee_id == bill.employee_id)
        ).scalar()
        notices = []
        for r in relevant:
            previous = before.get(r["quota_id"])
            notices.append(
                QuotaNotice(
                    quota_id=r["quota_id"],
                    employee_id=r["employee_id"],
                    employee_name=employee_name,
                    institution_id=r["institution_id"],
                    institution_name=names.get(r["institution_id"]),
                    total=from_fen(r["total_amount"]),
                    available=from_fen(r["available_amount"]),
                    just_exhausted=r["available_amount"] <= 0
                    and (previous is None or previous > ZERO),
                )
            )
        return tuple(notices)


# --- vouchers -----------------------------------------------------------------------------------


def replace_vouchers(
    conn: Connection,
    column: Column[Any] | Any,
    key: str,
    rows: Sequence[Mapping[str, Any]],
    now: dt.datetime,
) -> None:
    """Make the cache hold exactly ``rows`` as the vouchers of one bill (``column`` =
    ``Voucher.bill_id``) or one summary batch (``Voucher.summary_id``): Alipay's answer is
    complete for its key, as in the voucher sync. Links the bills and marks them asked."""
    unique = {r["voucher_id"]: r for r in rows}
    upsert(conn, Voucher, list(unique.values()), ["voucher_id"])
    stale = [
        v
        for v in conn.execute(select(Voucher.voucher_id).where(column == key)).scalars()
        if v not in unique
    ]
    if stale:
        conn.execute(delete(Voucher).where(Voucher.voucher_id.in_(stale)))
        conn.execute(update(Bill).where(Bill.voucher_id.in_(stale)).values(voucher_id=None))
    links = [{"p": r["bill_id"], "v": r["voucher_id"]} for r in unique.values() if r["bill_id"]]
    if links:
        conn.execute(
            update(Bill).where(Bill.pay_no == bindparam("p")).values(voucher_id=bindparam("v")),
            links,
        )
    bill_column = Bill.pay_no if column is Voucher.bill_id else Bill.summary_id
    conn.execute(update(Bill).where(bill_column == key).values(voucher_checked_at=now))


@dataclass(frozen=True)
class FetchedVouchers:
    by_bill: bool  # True: the key is a pay_no; False: a summary batch id
    key: str
    vouchers: tuple[AlipayVoucher, ...]


class VoucherChangeHandler:
    """A new invoice or voucher: re-read the vouchers of the bill (``pay_no``) or of the
    monthly summary batch (``summary_id``, or the batch the bill belongs to) it names."""

    entities = frozenset({"vouchers", "bills"})

    def key(self, message: RelayMessage) -> str | None:
        pay_no = message.text("pay_no")
        return f"bill:{pay_no}" if pay_no else f"summary:{message.text(*_SUMMARY_KEYS)}"

    def fetch(self, gateway: AlipayGateway, message: RelayMessage) -> FetchedVouchers:
        pay_no = message.text("pay_no")
        summary_id = message.text(*_SUMMARY_KEYS)
        try:
            if pay_no:
                # A bill in a monthly summary batch gets its invoice through the batch.
                detail = gateway.query_bill(pay_no)
                summary_id = detail.bill.summary_apply_id
                if not summary_id:
                    return FetchedVouchers(True, pay_no, detail.vouchers)
            if summary_id:
                vouchers = tuple(gateway.query_voucher_summary(summary_id))
                return FetchedVouchers(False, summary_id, vouchers)
        except AlipayError as exc:
            if exc.sub_code in ("BILL_NOT_EXIST", "SUMMARY_NOT_EXIST"):
                raise PermanentFailure(exc.message_zh, exc.message_en) from exc
            raise
        raise PermanentFailure(
            "通知缺少字段 pay_no 或 summary_id",
            "the notification has neither pay_no nor summary_id",
        )

    def apply(
        self, conn: Connection, ctx: ApplyContext, message: RelayMessage, fetched: FetchedVouchers
    ) -> Effect:
        if fetched.by_bill:
            rows = [voucher_row(v, fetched.key, None, ctx.now) for v in fetched.vouchers]
            column: Any = Voucher.bill_id
        else:
            rows = [voucher_row(v, None, fetched.key, ctx.now) for v in fetched.vouchers]
            column = Voucher.summary_id
        replace_vouchers(conn, column, fetched.key, [r for r in rows if r["voucher_id"]], ctx.now)
        return Effect(self.entities)


_SUMMARY_KEYS = ("summary_id", "summary_apply_id")


def handler_map(
    *,
    enterprise: str = ENTERPRISE_CHANGE,
    department: str = DEPARTMENT_CHANGE,
    employee: str = EMPLOYEE_CHANGE,
    bill: str = BILL_CHANGE,
    vouchers: Sequence[str] = (INVOICE_CHANGE, VOUCHER_CHANGE),
) -> dict[str, Handler]:
    """The handlers under the given message names (Alipay's are not officially published)."""
    voucher_handler = VoucherChangeHandler()
    result: dict[str, Handler] = {
        enterprise: EnterpriseChangeHandler(),
        department: DepartmentChangeHandler(),
        employee: EmployeeChangeHandler(),
        bill: BillChangeHandler(),
    }
    for name in vouchers:
        result[name] = voucher_handler
    return result


HANDLER_MAP: dict[str, Handler] = handler_map()
