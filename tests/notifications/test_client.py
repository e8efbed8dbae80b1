"""The relay client end to end: sandbox (or signed POSTs) → relay → client → SQLite cache."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from decimal import Decimal

import pytest
from notify_helpers import Poster, Recorder, World, alipay_key, signed_form
from sqlalchemy import func, select

from workstation.bills.models import Bill
from workstation.db.engine import Database
from workstation.errors import ValidationError
from workstation.notifications.client import RelayClient, relay_ws_url
from workstation.notifications.events import (
    ApplyDelayed,
    ClientState,
    MessagesApplied,
    RelayConnected,
    RelayDisconnected,
    RelayGap,
    desktop_notices,
)
from workstation.notifications.handlers import BILL_CHANGE
from workstation.notifications.inbox import read_seq
from workstation.notifications.messages import BillNotice
from workstation.notifications.models import InboxMessage, InboxStatus
from workstation.relay.server import RelayConfig, RelayServer
from workstation.sandbox.testing import free_loopback_port
from workstation.sync.context import write_cursor

NO_HANDLER = "alipay.commerce.ec.employee.msgstatistic.notify"
MakeClient = Callable[..., RelayClient]


@pytest.fixture
def sandbox_to_relay(world: World, relay: RelayServer) -> Iterator[None]:
    """Point the sandbox's notifications at the relay for this test."""
    notifier = world.sandbox.notifier
    previous, notifier.notify_url = notifier.notify_url, relay.notify_url
    yield
    notifier.notify_url = previous


def inbox_rows(db: Database) -> list[tuple[str, int | None, InboxStatus]]:
    with db.read_session() as s:
        return [
            (m.notify_id, m.seq, m.status)
            for m in s.scalars(select(InboxMessage).order_by(InboxMessage.seq))
        ]


@pytest.mark.usefixtures("sandbox_to_relay")
def test_a_new_bill_flows_from_alipay_through_the_relay_into_the_cache(
    cache: Database, world: World, relay: RelayServer, make_client: MakeClient, recorder: Recorder
) -> None:
    client = make_client(relay.ws_url)
    recorder.wait(lambda: bool(recorder.of(RelayConnected)), what="connected")
    assert client.state is ClientState.CONNECTED
    with cache.read_session() as s:
        employee = s.scalar(select(Bill.employee_id).where(Bill.employee_id.is_not(None)))
    bill = world.sandbox.emit_bill(employee_id=employee, amount="1234.50")

    recorder.wait(
        lambda: any(
            m.effect is not None
            and m.effect.bill is not None
            and m.effect.bill.pay_no == bill.pay_no
            for m in recorder.applied()
        ),
        what="the bill applied",
    )
    with cache.read_session() as s:
        assert s.scalar(select(Bill.total_amount).where(Bill.pay_no == bill.pay_no)) == Decimal(
            "1234.50"
        )
    (event,) = [e for e in recorder.of(MessagesApplied) if any(not m.duplicate for m in e.messages)]
    assert {"bills", "notifications"} <= event.entities
    # The tray announces the bill at a threshold below its amount, not above it.
    bills = [n for n in desktop_notices(event, Decimal("1000")) if isinstance(n, BillNotice)]
    assert [(n.pay_no, n.amount, n.employee_id) for n in bills] == [
        (bill.pay_no, Decimal("1234.50"), employee)
    ]
    assert not [n for n in desktop_notices(event, Decimal("5000")) if isinstance(n, BillNotice)]
    assert read_seq(cache) == client.last_seq == 1


def test_each_notification_posted_one_to_eight_times_is_applied_once(
    cache: Database, world: World, relay: RelayServer, make_client: MakeClient, recorder: Recorder
) -> None:
    key = alipay_key(world.sandbox)
    app_id = world.sandbox.config["app_id"]
    with cache.read_session() as s:
        pay_nos = list(s.scalars(select(Bill.pay_no).order_by(Bill.pay_no).limit(8)))
    forms = [
        signed_form(key, app_id, BILL_CHANGE, {"pay_no": p, "change_type": "MODIFY"})
        for p in pay_nos
    ]
    # Notification i is delivered i+1 times, interleaved, as Alipay's retries would be.
    deliveries = [form for round_ in range(8) for i, form in enumerate(forms) if i >= round_]
    Poster(relay.notify_url, concurrency=4).post(deliveries)
    make_client(relay.ws_url)
    recorder.wait(lambda: len(inbox_rows(cache)) == 8, what="8 inbox rows")
    rows = inbox_rows(cache)
    assert sorted(r[0] for r in rows) == sorted(f["notify_id"] for f in forms)
    assert all(status is InboxStatus.APPLIED for _, _, status in rows)
    with cache.read_session() as s:
        assert s.scalar(select(func.count()).where(Bill.pay_no.in_(pay_nos))) == 8


def test_offline_workstation_catches_up_from_its_seq(
    cache: Database, world: World, relay: RelayServer, make_client: MakeClient, recorder: Recorder
) -> None:
    key = alipay_key(world.sandbox)
    app_id = world.sandbox.config["app_id"]
    first = [signed_form(key, app_id, NO_HANDLER, {"n": i}) for i in range(20)]
    Poster(relay.notify_url).post(first)
    client = make_client(relay.ws_url)
    recorder.wait_seq(20)
    client.stop()
    assert client.state is ClientState.STOPPED

    later = [signed_form(key, app_id, NO_HANDLER, {"n": i}) for i in range(20, 70)]
    Poster(relay.notify_url).post(later)  # while the workstation is away
    again = make_client(relay.ws_url)
    recorder.wait_seq(70)
    connects = recorder.of(RelayConnected)
    assert [c.after_seq for c in connects] == [0, 20]  # resumed, not replayed
    assert connects[1].latest_seq == 70
    applied = [m for m in recorder.applied()]
    assert [m.seq for m in applied] == list(range(1, 71))  # each once, in order
    assert not any(m.duplicate for m in applied)
    rows = inbox_rows(cache)
    assert [r[1] for r in rows] == list(range(1, 71))
    assert {r[0] for r in rows} == {f["notify_id"] for f in first + later}
    assert all(r[2] is InboxStatus.IGNORED for r in rows)
    assert read_seq(cache) == again.last_seq == 70


def test_alipay_outage_while_fetching_holds_the_message_and_retries_it(
    cache: Database, world: World, relay: RelayServer, make_client: MakeClient, recorder: Recorder
) -> None:
    key = alipay_key(world.sandbox)
    app_id = world.sandbox.config["app_id"]
    with cache.read_session() as s:
        pay_no = s.scalar(select(Bill.pay_no).order_by(Bill.pay_no.desc()))
    forms = [
        signed_form(key, app_id, NO_HANDLER, {"n": 1}),
        signed_form(key, app_id, BILL_CHANGE, {"pay_no": pay_no}),
        signed_form(key, app_id, NO_HANDLER, {"n": 2}),
    ]
    attempts = world.gateway.config.max_attempts
    # Two whole rounds of the gateway's own retries fail: the client must wait and try again.
    world.sandbox.faults.update(
        http_500_next=2 * attempts, methods=["alipay.commerce.ec.consume.detail.query"]
    )
    try:
        Poster(relay.notify_url).post(forms)
        client = make_client(relay.ws_url)
        recorder.wait_seq(3)
    finally:
        world.sandbox.faults.update(http_500_next=0, methods=None)
    delayed = recorder.of(ApplyDelayed)
    assert len(delayed) == 2 and {d.seq for d in delayed} == {2}
    assert delayed[0].message_zh and delayed[0].message_en
    assert [r[2] for r in inbox_rows(cache)] == [
        InboxStatus.IGNORED,
        InboxStatus.APPLIED,
        InboxStatus.IGNORED,
    ]
    # Seq 1 went in before the outage; 2 never ahead of its fetch; 3 only after 2.
    seqs = [tuple(m.seq for m in e.messages) for e in recorder.of(MessagesApplied)]
    assert seqs[0] == (1,) and [s for batch in seqs for s in batch] == [1, 2, 3]
    assert client.state is ClientState.CONNECTED


def test_a_wrong_token_is_refused_clearly_and_retried_slowly(
    relay: RelayServer, make_client: MakeClient, recorder: Recorder
) -> None:
    client = make_client(relay.ws_url, token="not-the-token", refused_retry=60)
    recorder.wait(lambda: bool(recorder.of(RelayDisconnected)), what="refusal")
    (event,) = recorder.of(RelayDisconnected)
    assert event.state is ClientState.REFUSED and event.retry_in == 60
    assert "令牌" in event.message_zh and "token" in event.message_en
    status = client.status
    assert status.state is ClientState.REFUSED
    assert (status.message_zh, status.message_en) == (event.message_zh, event.message_en)


def test_relay_down_at_start_is_retried_with_backoff(
    world: World, relay_config: RelayConfig, make_client: MakeClient, recorder: Recorder
) -> None:
    port = free_loopback_port()
    client = make_client(f"ws://127.0.0.1:{port}/ws")
    recorder.wait(lambda: len(recorder.of(RelayDisconnected)) >= 2, what="two failed tries")
    assert client.state in (ClientState.OFFLINE, ClientState.CONNECTING)
    offline = recorder.of(RelayDisconnected)
    assert all(e.state is ClientState.OFFLINE and 0 < e.retry_in <= 0.5 for e in offline)
    assert "中继" in offline[0].message_zh and "relay" in offline[0].message_en
    server = RelayServer(replace(relay_config, port=port))
    server.start()
    try:
        key = alipay_key(world.sandbox)
        Poster(server.notify_url).post(
            [signed_form(key, world.sandbox.config["app_id"], NO_HANDLER, {})]
        )
        recorder.wait_seq(1)
    finally:
        client.stop()
        server.stop()


def test_relay_url_forms_and_bad_settings(cache: Database, world: World) -> None:
    assert relay_ws_url("ws://127.0.0.1:8702/ws") == "ws://127.0.0.1:8702/ws"
    assert relay_ws_url("http://relay.example.com:8702") == "ws://relay.example.com:8702/ws"
    assert relay_ws_url("https://relay.example.com/base/") == "wss://relay.example.com/base/ws"
    with pytest.raises(ValidationError) as bad:
        relay_ws_url("relay.example.com")
    assert bad.value.field == "relay_url"
    with pytest.raises(ValidationError) as empty:
        RelayClient(cache, world.gateway, "ws://127.0.0.1:1/ws", "  ")
    assert empty.value.field == "relay_token"


def test_messages_purged_before_the_workstation_came_back_are_reported_as_a_gap(
    world: World, relay_config: RelayConfig, make_client: MakeClient, recorder: Recorder
) -> None:
    key, app_id = alipay_key(world.sandbox), world.sandbox.config["app_id"]
    with RelayServer(replace(relay_config, retention_count=10)) as server:
        Poster(server.notify_url).post([signed_form(key, app_id, NO_HANDLER, {}) for _ in range(5)])
        client = make_client(server.ws_url)
        recorder.wait_seq(5)
        client.stop()
        Poster(server.notify_url).post(
            [signed_form(key, app_id, NO_HANDLER, {}) for _ in range(20)]
        )
        server.purge_now()  # keeps seqs 16..25
        make_client(server.ws_url)
        recorder.wait_seq(25)
    assert recorder.of(RelayGap) == [RelayGap(5, 16)]
    assert [m.seq for m in recorder.applied()] == [1, 2, 3, 4, 5, *range(16, 26)]


def test_a_replaced_relay_store_is_read_from_its_start(
    cache: Database, world: World, relay: RelayServer, make_client: MakeClient, recorder: Recorder
) -> None:
    """The cache's seq counted in another relay database: seq 50 there means nothing here."""
    with cache.session() as s:
        write_cursor(s.connection(), "relay", "50")
        write_cursor(s.connection(), "relay.store", "an-older-relay-store")
    key, app_id = alipay_key(world.sandbox), world.sandbox.config["app_id"]
    Poster(relay.notify_url).post([signed_form(key, app_id, NO_HANDLER, {}) for _ in range(3)])
    make_client(relay.ws_url)
    recorder.wait_seq(3)
    assert [c.after_seq for c in recorder.of(RelayConnected)] == [0]
    assert [m.seq for m in recorder.applied()] == [1, 2, 3]
    assert read_seq(cache) == 3
