"""10 000 notifications while the relay process is SIGKILLed and restarted twice: the
workstation ends with every one of them applied exactly once.

The burst is mostly ``employee.msgstatistic.notify`` (a real Alipay message with no cache effect:
its handler-less path still records the inbox row and the seq in one transaction), with one
real bill change in every hundred, each fetched from the sandbox gateway and upserted. So the
test exercises delivery, resume and idempotency at full volume without being 10 000 gateway
round trips (about a minute of RSA signing on two cores); the bill path is covered in depth
by the handler tests.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from notify_helpers import Poster, Recorder, RelayProcess, World, alipay_key, signed_form
from sqlalchemy import func, select

from workstation.bills.models import Bill
from workstation.db.engine import Database
from workstation.notifications.client import RelayClient
from workstation.notifications.events import RelayConnected, RelayDisconnected
from workstation.notifications.handlers import BILL_CHANGE
from workstation.notifications.inbox import read_seq
from workstation.notifications.models import InboxMessage, InboxStatus
from workstation.sandbox.testing import free_loopback_port

BURST = 10_000
NO_HANDLER = "alipay.commerce.ec.employee.msgstatistic.notify"


@pytest.mark.slow
def test_relay_killed_and_restarted_twice_during_a_burst_loses_and_duplicates_nothing(
    tmp_path: Path,
    cache: Database,
    world: World,
    make_client: Callable[..., RelayClient],
    recorder: Recorder,
) -> None:
    sandbox = world.sandbox
    relay = RelayProcess(
        free_loopback_port(),
        tmp_path / "relay",
        sandbox.config["app_id"],
        sandbox.config["alipay_public_key"],
    )
    relay.start()
    try:
        with cache.read_session() as s:
            pay_nos = list(s.scalars(select(Bill.pay_no).order_by(Bill.pay_no).limit(BURST // 100)))
        key, app_id = alipay_key(sandbox), sandbox.config["app_id"]
        forms = [
            signed_form(key, app_id, BILL_CHANGE, {"pay_no": pay_nos[i // 100]})
            if i % 100 == 50
            else signed_form(key, app_id, NO_HANDLER, {"n": i})
            for i in range(BURST)
        ]
        make_client(relay.ws_url, fetch_workers=4)
        recorder.wait(lambda: bool(recorder.of(RelayConnected)), what="connected")

        poster = Poster(relay.notify_url, concurrency=32)
        posting = threading.Thread(target=poster.post, args=(forms,))
        posting.start()
        for threshold in (BURST * 3 // 10, BURST * 65 // 100):
            deadline = time.monotonic() + 60
            while poster.delivered < threshold and time.monotonic() < deadline:
                time.sleep(0.01)
            relay.kill()
            time.sleep(0.2)
            relay.start()
        posting.join(120)
        assert not posting.is_alive() and poster.delivered == BURST

        def applied_once() -> list[str]:
            return [m.notify_id for m in recorder.applied() if not m.duplicate]

        recorder.wait(lambda: len(applied_once()) >= BURST, timeout=90, what="the whole burst")
    finally:
        relay.stop()

    # The relay really went away twice while the client was connected, and it came back.
    assert len(recorder.of(RelayDisconnected)) >= 2
    assert len(recorder.of(RelayConnected)) >= 3
    assert poster.attempts > BURST  # some POSTs failed and were delivered again
    counts = Counter(m.notify_id for m in recorder.applied() if not m.duplicate)
    assert set(counts) == {f["notify_id"] for f in forms}
    assert max(counts.values()) == 1
    with cache.read_session() as s:
        rows = s.execute(select(InboxMessage.seq, InboxMessage.status)).all()
        seqs = sorted(seq for seq, _ in rows if seq is not None)
        assert len(rows) == len(seqs) == len(set(seqs)) == BURST
        assert Counter(status for _, status in rows) == {
            InboxStatus.IGNORED: BURST - BURST // 100,
            InboxStatus.APPLIED: BURST // 100,
        }
        assert s.scalar(select(func.count()).where(Bill.pay_no.in_(pay_nos))) == len(pay_nos)
    assert read_seq(cache) == seqs[-1]
