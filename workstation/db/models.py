"""Imports every room's tables so ``Base.metadata`` is complete (Alembic, tests, create)."""

from workstation.audit.models import AuditLog
from workstation.bills.models import Bill
from workstation.db.base import Base
from workstation.enterprise.models import Enterprise
from workstation.institutions.models import ExpenseInstitution, ExpenseRule, InstitutionMember
from workstation.notifications.models import InboxMessage
from workstation.org.models import Department, Employee
from workstation.payments.models import PaymentOrder
from workstation.quotas.models import Quota, QuotaIssueAction
from workstation.sync.models import SyncCursor
from workstation.vouchers.models import Voucher

__all__ = [
    "AuditLog",
    "Base",
    "Bill",
    "Department",
    "Employee",
    "Enterprise",
    "ExpenseInstitution",
    "ExpenseRule",
    "InboxMessage",
    "InstitutionMember",
    "PaymentOrder",
    "Quota",
    "QuotaIssueAction",
    "SyncCursor",
    "Voucher",
]
