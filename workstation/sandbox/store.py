"""The sandbox's own SQLite store (``DIR/sandbox.db``, WAL).

One connection guarded by one re-entrant lock: the gateway, the simulator and the notifier
all serialise through :meth:`Store.tx`. Every request touches a handful of indexed rows, so a
single writer is far from being the bottleneck, and it keeps the code free of cross-thread
connection juggling.

Times are stored as ``yyyy-MM-dd HH:mm:ss`` text in Beijing time (:func:`beijing_now`):
fixed width, so text order is time order and range queries use the indexes.
Money is integer fen.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

__all__ = ["BEIJING", "TS_FORMAT", "Store", "beijing_now", "fmt_ts", "parse_ts"]

TS_FORMAT = "%Y-%m-%d %H:%M:%S"
BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")  # China has no DST

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS seq (kind TEXT PRIMARY KEY, next INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS enterprise (
    enterprise_id TEXT PRIMARY KEY,
    enterprise_name TEXT NOT NULL,
    enterprise_alias TEXT,
    enterprise_code TEXT,
    enterprise_email TEXT,
    account_id TEXT NOT NULL,
    out_biz_no TEXT,
    status TEXT NOT NULL,
    sign_status TEXT NOT NULL,
    activate TEXT NOT NULL,
    auth_status TEXT NOT NULL,
    auth_level TEXT NOT NULL,
    auth_time TEXT,
    gmt_create TEXT NOT NULL,
    gmt_modified TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS register_invites (
    out_biz_no TEXT PRIMARY KEY,
    pc_invite_url TEXT NOT NULL,
    expire_time TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS departments (
    department_id TEXT PRIMARY KEY,
    parent_department_id TEXT NOT NULL,
    department_name TEXT NOT NULL,
    department_code TEXT,
    dept_charge_employee_id TEXT,
    gmt_create TEXT NOT NULL,
    gmt_modified TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_departments_parent ON departments (parent_department_id);
CREATE TABLE IF NOT EXISTS employees (
    employee_id TEXT PRIMARY KEY,
    employee_name TEXT NOT NULL,
    employee_no TEXT,
    mobile TEXT,
    email TEXT,
    cert_type TEXT,
    cert_no TEXT,
    activate TEXT NOT NULL,
    user_id TEXT NOT NULL,
    open_id TEXT NOT NULL,
    label_names TEXT NOT NULL DEFAULT '[]',
    role_list TEXT NOT NULL DEFAULT '["USER"]',
    profiles TEXT,
    sign_token TEXT NOT NULL,
    share_code TEXT NOT NULL,
    gmt_create TEXT NOT NULL,
    gmt_modified TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_employees_mobile ON employees (mobile);
CREATE INDEX IF NOT EXISTS ix_employees_user ON employees (user_id);
CREATE INDEX IF NOT EXISTS ix_employees_token ON employees (sign_token);
CREATE TABLE IF NOT EXISTS employee_departments (
    employee_id TEXT NOT NULL,
    department_id TEXT NOT NULL,
    PRIMARY KEY (employee_id, department_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS ix_employee_departments_dept
    ON employee_departments (department_id, employee_id);
CREATE TABLE IF NOT EXISTS institutions (
    institution_id TEXT PRIMARY KEY,
    outer_source_id TEXT UNIQUE,
    institution_name TEXT NOT NULL,
    institution_desc TEXT,
    expense_type TEXT NOT NULL,
    scene_type TEXT NOT NULL,
    consult_mode TEXT NOT NULL,
    currency TEXT NOT NULL,
    effective TEXT NOT NULL,
    effective_start_date TEXT NOT NULL,
    effective_end_date TEXT NOT NULL,
    adapter_type TEXT NOT NULL,
    owner_type TEXT NOT NULL,
    multi_employee_share_mode TEXT NOT NULL,
    create_response TEXT,
    gmt_create TEXT NOT NULL,
    gmt_modified TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS institution_scope (
    institution_id TEXT NOT NULL,
    owner_id TEXT NOT NULL,
    PRIMARY KEY (institution_id, owner_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS ix_scope_owner ON institution_scope (owner_id);
CREATE TABLE IF NOT EXISTS standards (
    standard_id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL,
    outer_source_id TEXT,
    standard_name TEXT NOT NULL,
    standard_desc TEXT,
    consume_mode TEXT,
    payment_policy TEXT,
    expense_type_sub_category TEXT,
    open_rule_id TEXT,
    personal_qrcode_mode INTEGER NOT NULL DEFAULT 0,
    conditions TEXT NOT NULL DEFAULT '[]',
    asset_share_source_info TEXT,
    gmt_create TEXT NOT NULL,
    gmt_modified TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_standards_institution ON standards (institution_id);
CREATE TABLE IF NOT EXISTS issue_rules (
    issue_rule_id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_issue_rules_institution ON issue_rules (institution_id);
CREATE TABLE IF NOT EXISTS quotas (
    quota_id TEXT PRIMARY KEY,
    issue_batch_id TEXT NOT NULL,
    owner_type TEXT NOT NULL,
    owner_id TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id TEXT NOT NULL,
    quota_type TEXT NOT NULL,
    currency TEXT NOT NULL,
    total_fen INTEGER NOT NULL,
    used_fen INTEGER NOT NULL DEFAULT 0,
    locked_fen INTEGER NOT NULL DEFAULT 0,
    freeze INTEGER NOT NULL DEFAULT 0,
    share_mode TEXT NOT NULL DEFAULT '0',
    effective_start_date TEXT NOT NULL,
    effective_end_date TEXT NOT NULL,
    gmt_create TEXT NOT NULL,
    gmt_modified TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_quotas_owner ON quotas (owner_id);
CREATE INDEX IF NOT EXISTS ix_quotas_target ON quotas (target_id);
CREATE INDEX IF NOT EXISTS ix_quotas_batch ON quotas (issue_batch_id);
-- Idempotency records: the stored answer is replayed for a repeated outer_source_id.
CREATE TABLE IF NOT EXISTS idempotency (
    scope TEXT NOT NULL,
    outer_source_id TEXT NOT NULL,
    response TEXT NOT NULL,
    PRIMARY KEY (scope, outer_source_id)
) WITHOUT ROWID;
-- Bills: see methods/bills.py for the meaning of every column.
CREATE TABLE IF NOT EXISTS bills (
    id INTEGER PRIMARY KEY,
    kind INTEGER NOT NULL,
    employee_id TEXT NOT NULL,
    merchant INTEGER NOT NULL,
    amount_fen INTEGER NOT NULL,
    peer_fen INTEGER NOT NULL,
    benefit_fen INTEGER NOT NULL,
    refund_fen INTEGER NOT NULL DEFAULT 0,
    peer_refund_fen INTEGER NOT NULL DEFAULT 0,
    related_id INTEGER,
    institution_id TEXT,
    standard_id TEXT,
    voucher INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL,
    modified TEXT NOT NULL,
    memo TEXT
);
CREATE TABLE IF NOT EXISTS outbox (
    notify_id TEXT PRIMARY KEY,
    form TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt REAL NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    last_error TEXT,
    created REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_outbox_due ON outbox (status, next_attempt);
"""

# Created after the bulk load of demo bills: building an index once is much faster than
# maintaining it across a million inserts.
BILL_INDEXES = """
CREATE INDEX IF NOT EXISTS ix_bills_modified ON bills (modified, id);
CREATE INDEX IF NOT EXISTS ix_bills_employee ON bills (employee_id, modified, id);
CREATE INDEX IF NOT EXISTS ix_bills_related ON bills (related_id) WHERE related_id IS NOT NULL;
"""


def beijing_now() -> datetime:
    """Alipay's wall clock: Beijing time, naive, whole seconds — whatever the machine's zone.
    Every time the sandbox stores or answers (gmt_*, bill times, windows) is on this clock."""
    return datetime.now(BEIJING).replace(tzinfo=None, microsecond=0)


def fmt_ts(value: datetime) -> str:
    return value.strftime(TS_FORMAT)


def parse_ts(value: str) -> datetime:
    return datetime.strptime(value, TS_FORMAT)


class Store:
    """The sandbox database. Use :meth:`tx` for every access, from any thread."""

    def __init__(self, path: Path, *, bulk: bool = False) -> None:
        """``bulk``: no journal, no fsync — only for building a fresh database that is
        renamed into place once complete."""
        self.path = path
        self.lock = threading.RLock()
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        if bulk:
            self._conn.execute("PRAGMA journal_mode=OFF")
            self._conn.execute("PRAGMA synchronous=OFF")
        else:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("PRAGMA foreign_keys=OFF")
        self._conn.executescript(SCHEMA)
        self._depth = 0

    def close(self) -> None:
        with self.lock:
            self._conn.close()

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """One transaction (nested calls join the outer one). Rolls back on any exception."""
        with self.lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self._conn
                finally:
                    self._depth -= 1
                return
            self._conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            else:
                self._conn.execute("COMMIT")
            finally:
                self._depth = 0

    def create_bill_indexes(self) -> None:
        with self.lock:
            self._conn.executescript(BILL_INDEXES)

    def get_meta(self, key: str) -> str | None:
        with self.tx() as c:
            row = c.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self.tx() as c:
            c.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )


def next_ids(conn: sqlite3.Connection, kind: str, count: int = 1) -> int:
    """Reserve ``count`` consecutive numbers for ``kind``; returns the first."""
    row = conn.execute("SELECT next FROM seq WHERE kind = ?", (kind,)).fetchone()
    first = 1 if row is None else int(row[0])
    conn.execute(
        "INSERT INTO seq (kind, next) VALUES (?, ?) "
        "ON CONFLICT (kind) DO UPDATE SET next = excluded.next",
        (kind, first + count),
    )
    return first
