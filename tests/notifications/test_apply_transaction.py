"""The apply transaction on SQLite and PostgreSQL: one message that cannot be written is rolled
back alone and recorded FAILED; the rest of the batch, the inbox and the seq commit together."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import pytest
from sqlalchemy import Connection, func, insert, select

from workstation.alipay.gateway import AlipayGateway
from workstation.bills.models import Bill
from workstation.db.engine import Database
from workstation.notifications.handlers import BILL_CHANGE, HANDLER_MAP, ApplyContext, Effect
from workstation.notifications.inbox import Applier, Prepared, apply_batch, prepare, read_seq
from workstation.notifications.messages import RelayMessage
from workstation.notifications.models import InboxMessage, InboxStatus
from workstation.sandbox.server import SandboxServer

BROKEN = "test.broken.notify"


class WritesABadBill:
    """A handler whose write the database rejects halfway (a negative amount), after it
    already wrote a good row: both must disappear."""

    entities = frozenset({"bills"})

    def key(self, message: RelayMessage) -> str | None:
        return None

    def fetch(self, gateway: AlipayGateway, message: RelayMessage) -> str:
        return message.notify_id

    def apply(
        self, conn: Connection, ctx: ApplyContext, message: RelayMessage, fetched: Any
    ) -> Effect:
        row = {"pay_no": f"GOOD-{fetched}", "enterprise_id": "E", "total_amount": 100}
        conn.execute(insert(Bill.__table__), [row])
        conn.execute(
            insert(Bill.__table__), [{**row, "pay_no": f"BAD-{fetched}", "total_amount": -1}]
        )
        return Effect(self.entities)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_cache(request: pytest.FixtureRequest) -> Database:
    name = "database" if request.param == "sqlite" else "pg"
    db: Database = request.getfixturevalue(name)
    return db


def test_a_rejected_write_fails_alone_and_the_batch_commits(
    empty_cache: Database, sandbox: SandboxServer, gateway: AlipayGateway, enterprise_id: str
) -> None:
    pay_no = sandbox.emit_bill().pay_no
    handlers = {**HANDLER_MAP, BROKEN: WritesABadBill()}
    bill = json.dumps({"pay_no": pay_no})
    messages = [
        RelayMessage(1, "n-bill", BILL_CHANGE, bill),
        RelayMessage(2, "n-broken", BROKEN, "{}"),
        RelayMessage(3, "n-other", "alipay.commerce.ec.employee.msgstatistic.notify", "{}"),
        RelayMessage(4, "n-bill", BILL_CHANGE, bill),  # a redelivery in the same batch
    ]
    prepared = [prepare(gateway, m, handlers, enterprise_id) for m in messages]
    results = apply_batch(empty_cache, prepared, enterprise_id)

    assert [(r.status, r.duplicate) for r in results] == [
        (InboxStatus.APPLIED, False),
        (InboxStatus.FAILED, False),
        (InboxStatus.IGNORED, False),
        (InboxStatus.APPLIED, True),
    ]
    assert results[1].error_zh and "写入本地缓存失败" in results[1].error_zh
    with empty_cache.read_session() as s:
        assert list(s.scalars(select(Bill.pay_no))) == [pay_no]
        rows = s.execute(
            select(InboxMessage.notify_id, InboxMessage.seq, InboxMessage.status).order_by(
                InboxMessage.seq
            )
        ).all()
        assert [tuple(r) for r in rows] == [
            ("n-bill", 1, InboxStatus.APPLIED),
            ("n-broken", 2, InboxStatus.FAILED),
            ("n-other", 3, InboxStatus.IGNORED),
        ]
        assert s.scalar(select(func.count()).select_from(InboxMessage)) == 3
    assert read_seq(empty_cache) == 4


def test_the_applier_keeps_one_connection_but_no_lock_between_batches(database: Database) -> None:
    method = "alipay.commerce.ec.employee.msgstatistic.notify"
    applier = Applier(database, "E")
    try:
        first = applier.apply([Prepared(RelayMessage(1, "a", method, "{}"), None)])
        # Another writer takes SQLite's write lock at once: nothing is left open in between.
        path = database.engine.url.database
        assert path is not None
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
        finally:
            other.close()
        second = applier.apply(
            [
                Prepared(RelayMessage(2, "a", method, "{}"), None),
                Prepared(RelayMessage(3, "b", method, "{}"), None),
            ]
        )
    finally:
        applier.close()
    assert [(r.seq, r.duplicate) for r in first + second] == [(1, False), (2, True), (3, False)]
    assert read_seq(database) == 3
