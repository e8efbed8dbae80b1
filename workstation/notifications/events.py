"""What the relay client tells the rest of the app, as plain frozen data (no Qt).

The client calls its ``on_event`` callback with these from its own background threads (never the
GUI thread); the UI's bridge re-emits them as Qt signals. :func:`desktop_notices` picks out what
deserves a system-tray notice, so that rule lives here and is tested without Qt.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from workstation.db.base import utcnow
from workstation.notifications.messages import BillNotice, QuotaNotice
from workstation.notifications.models import InboxStatus

if TYPE_CHECKING:
    # Only a type here: the inbox pulls in the handlers, the gateway and the sync code.
    from workstation.notifications.inbox import AppliedMessage

__all__ = [
    "ApplyDelayed",
    "ClientState",
    "MessagesApplied",
    "NotificationEvent",
    "RelayConnected",
    "RelayDisconnected",
    "RelayGap",
    "RelayStatus",
    "desktop_notices",
]


class ClientState(enum.Enum):
    STOPPED = "stopped"
    CONNECTING = "connecting"
    CONNECTED = "connected"  # receiving and applying
    OFFLINE = "offline"  # the relay cannot be reached; retrying with backoff
    REFUSED = "refused"  # the relay rejected the token; retrying slowly
    DELAYED = "delayed"  # connected, but Alipay (or the cache) is unavailable; retrying


@dataclass(frozen=True)
class RelayStatus:
    """A snapshot for the status bar: the state, why (both languages), and where we are."""

    state: ClientState
    last_seq: int
    message_zh: str | None = None
    message_en: str | None = None
    retry_in: float | None = None  # seconds until the next attempt, when waiting
    since: dt.datetime = field(default_factory=utcnow)


@dataclass(frozen=True)
class RelayConnected:
    url: str
    after_seq: int  # messages after this one are (re)delivered
    latest_seq: int | None  # the relay's newest seq at connect time: after_seq..latest to catch up


@dataclass(frozen=True)
class RelayDisconnected:
    state: ClientState  # OFFLINE or REFUSED
    message_zh: str
    message_en: str
    retry_in: float


@dataclass(frozen=True)
class RelayGap:
    """The relay skipped seqs this workstation never applied (it purged them: the workstation
    was away longer than the relay keeps messages). Run a full sync to be sure."""

    after_seq: int
    next_seq: int


@dataclass(frozen=True)
class ApplyDelayed:
    """A message could not be fetched from Alipay (or written): it is held, not skipped, and
    tried again in ``retry_in`` seconds; nothing after it is applied before it."""

    seq: int
    msg_method: str
    message_zh: str
    message_en: str
    retry_in: float


@dataclass(frozen=True)
class MessagesApplied:
    """One committed transaction: these messages (ascending seq) and the new last seq."""

    messages: tuple[AppliedMessage, ...]
    last_seq: int

    @property
    def entities(self) -> frozenset[str]:
        """Cache entity keys to refresh; ``notifications`` (the inbox) is always among them."""
        keys = {"notifications"}
        for m in self.messages:
            keys.update(m.entities)
        return frozenset(keys)

    def applied(self) -> Iterator[AppliedMessage]:
        """The messages that changed something this time (not redeliveries)."""
        return (m for m in self.messages if m.status is InboxStatus.APPLIED and not m.duplicate)


NotificationEvent = RelayConnected | RelayDisconnected | RelayGap | ApplyDelayed | MessagesApplied


def desktop_notices(
    event: MessagesApplied, min_bill_amount: Decimal
) -> list[BillNotice | QuotaNotice]:
    """What to announce in the system tray: new consume bills of at least ``min_bill_amount``,
    and quotas a bill has just used up (each once: only when they had something left before)."""
    out: list[BillNotice | QuotaNotice] = []
    for m in event.applied():
        effect = m.effect
        if effect is None:
            continue
        bill = effect.bill
        if (
            bill is not None
            and bill.new
            and bill.consume_type == "CONSUME"
            and bill.amount >= min_bill_amount
        ):
            out.append(bill)
        out.extend(q for q in effect.quotas if q.just_exhausted)
    return out
