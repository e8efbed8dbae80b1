"""Relay frames and tray-notice selection: pure functions, no network."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workstation.errors import ValidationError
from workstation.notifications.events import MessagesApplied, desktop_notices
from workstation.notifications.handlers import Effect
from workstation.notifications.inbox import AppliedMessage, join_error, split_error
from workstation.notifications.messages import BillNotice, QuotaNotice, parse_frame
from workstation.notifications.models import InboxStatus

texts = st.text(min_size=1, max_size=64)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20))


@given(
    seq=st.integers(min_value=1, max_value=2**62),
    notify_id=texts,
    method=st.text(min_size=1, max_size=128),
    biz=st.dictionaries(st.text(max_size=10), scalars, max_size=5),
    params=st.dictionaries(st.text(max_size=10), st.text(max_size=20), max_size=5),
)
def test_a_well_formed_frame_round_trips(
    seq: int, notify_id: str, method: str, biz: dict[str, object], params: dict[str, str]
) -> None:
    frame = json.dumps(
        {
            "seq": seq,
            "notify_id": notify_id,
            "msg_method": method,
            "biz_content": json.dumps(biz, ensure_ascii=False),
            "params": params,
            "received_at": "2026-05-01T08:00:00.123456+00:00",
        },
        ensure_ascii=False,
    )
    message = parse_frame(frame)
    assert (message.seq, message.notify_id, message.msg_method) == (seq, notify_id, method)
    assert message.fields == biz
    assert dict(message.params) == params
    assert message.received_at == dt.datetime(2026, 5, 1, 8, 0, 0, 123456)


@given(st.one_of(st.text(max_size=200), st.binary(max_size=200)))
def test_any_other_input_is_a_named_validation_error_or_a_message(raw: str | bytes) -> None:
    try:
        message = parse_frame(raw)
    except ValidationError as exc:
        assert exc.field in {"frame", "seq", "notify_id", "msg_method", "biz_content", "params"}
    else:
        assert message.seq >= 1 and message.notify_id and message.msg_method


@pytest.mark.parametrize(
    ("frame", "field"),
    [
        ({"seq": 0, "notify_id": "a", "msg_method": "m"}, "seq"),
        ({"seq": True, "notify_id": "a", "msg_method": "m"}, "seq"),
        ({"seq": 1, "notify_id": "x" * 65, "msg_method": "m"}, "notify_id"),
        ({"seq": 1, "notify_id": "a", "msg_method": ""}, "msg_method"),
        ({"seq": 1, "notify_id": "a", "msg_method": "m", "biz_content": ["x"]}, "biz_content"),
        ({"seq": 1, "notify_id": "a", "msg_method": "m", "params": []}, "params"),
    ],
)
def test_bad_frames_name_the_field(frame: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as error:
        parse_frame(json.dumps(frame))
    assert error.value.field == field
    assert error.value.message_zh and error.value.message_en


def test_flat_style_fields_leave_out_the_envelope() -> None:
    message = parse_frame(
        json.dumps(
            {
                "seq": 3,
                "notify_id": "n",
                "msg_method": "m",
                "biz_content": "",
                "params": {"pay_no": "P1", "app_id": "A", "sign": "S", "notify_time": "t"},
            }
        )
    )
    assert message.fields == {"pay_no": "P1"}
    assert message.text("missing", "pay_no") == "P1"


def test_errors_keep_both_languages() -> None:
    assert split_error(join_error("中文", "English")) == ("中文", "English")
    assert split_error(None) is None


def _bill(amount: str, *, new: bool = True, kind: str = "CONSUME") -> BillNotice:
    return BillNotice(
        pay_no=f"P{amount}",
        consume_type=kind,
        change_type="CREATE" if new else "MODIFY",
        employee_id="E1",
        employee_name="张三",
        merchant_name="商户",
        amount=Decimal(amount),
        enterprise_paid=Decimal(amount),
        trade_time=None,
        institution_id=None,
        new=new,
    )


def _quota(quota_id: str, *, just: bool) -> QuotaNotice:
    return QuotaNotice(
        quota_id, "E1", "张三", "I1", "餐补", Decimal("100"), Decimal("0"), just_exhausted=just
    )


def test_desktop_notices_pick_new_large_bills_and_newly_exhausted_quotas() -> None:
    def applied(
        seq: int,
        effect: Effect,
        *,
        duplicate: bool = False,
        status: InboxStatus = InboxStatus.APPLIED,
    ) -> AppliedMessage:
        return AppliedMessage(seq, f"n{seq}", "m", status, duplicate, effect=effect)

    bills = frozenset({"bills"})
    big, exhausted = _bill("800.00"), _quota("Q1", just=True)
    event = MessagesApplied(
        (
            applied(1, Effect(bills, bill=big, quotas=(exhausted, _quota("Q2", just=False)))),
            applied(2, Effect(bills, bill=_bill("499.99"))),  # below the threshold
            applied(3, Effect(bills, bill=_bill("900.00", new=False))),  # an update
            applied(4, Effect(bills, bill=_bill("900.00", kind="REFUND"))),  # a refund
            applied(5, Effect(bills, bill=_bill("950.00")), duplicate=True),  # seen before
            applied(6, Effect(bills, bill=_bill("960.00")), status=InboxStatus.FAILED),
        ),
        last_seq=6,
    )
    assert desktop_notices(event, Decimal("500")) == [big, exhausted]
    assert desktop_notices(event, Decimal("800.01")) == [exhausted]
    assert event.entities == {"bills", "notifications"}
