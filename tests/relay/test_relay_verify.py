"""Form parsing and signature checks, without a server: strict parsing, both sign-content
variants, SHA-1 refused, app_id, required fields (hypothesis for the parser)."""

from __future__ import annotations

import base64
import json
from urllib.parse import urlencode

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from hypothesis import given, settings
from hypothesis import strategies as st
from relay_support import APP_ID, METHOD, flat_form, message_form

from workstation.keys import KeyPair, generate_key_pair, strip_pem
from workstation.relay.verify import (
    NotificationRejected,
    NotificationVerifier,
    parse_form,
    sign_contents,
)
from workstation.sandbox import crypto

field_names = st.text(min_size=1, max_size=12).filter(lambda s: s.strip() == s and s)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(field_names, st.text(max_size=40), min_size=1, max_size=8))
def test_parse_round_trips_any_form(form: dict[str, str]) -> None:
    assert parse_form(urlencode(form).encode()) == form


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_parse_never_fails_except_by_rejection(body: bytes) -> None:
    try:
        form = parse_form(body)
    except NotificationRejected as exc:
        assert exc.status == 400
    else:
        assert form and all(isinstance(k, str) and k for k in form)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty body"),
        (b'{"notify_id": "1"}', "without '='"),
        (b"a=1&a=2", "duplicate"),
        (b"=1", "empty name"),
        (b"a=%FF%FE", "decode"),
        (b"charset=latin-1&a=1", "charset"),
    ],
)
def test_parse_rejects_what_is_not_a_form(body: bytes, reason: str) -> None:
    with pytest.raises(NotificationRejected, match=reason) as info:
        parse_form(body)
    assert info.value.status == 400


def test_parse_decodes_gbk_when_the_form_says_so() -> None:
    body = urlencode({"charset": "GBK", "subject": "午餐"}, encoding="gbk").encode()
    assert parse_form(body)["subject"] == "午餐"
    assert parse_form(urlencode({"subject": "午餐"}).encode())["subject"] == "午餐"


def test_sign_contents_are_v2_then_v1() -> None:
    form = {"b": "2", "a": "1", "sign_type": "RSA2", "sign": "x", "e": ""}
    contents = list(sign_contents(form))
    assert contents[:2] == ["a=1&b=2&sign_type=RSA2", "a=1&b=2"]
    assert contents[2:] == ["a=1&b=2&e=&sign_type=RSA2", "a=1&b=2&e="]
    assert len(list(sign_contents({"a": "1", "sign": "x"}))) == 2


@pytest.fixture(scope="module")
def verifier(alipay_keys: KeyPair) -> NotificationVerifier:
    return NotificationVerifier(APP_ID, alipay_keys.public_spki_pem)


def test_sandbox_v2_v1_and_flat_forms_verify(
    verifier: NotificationVerifier, alipay_key: rsa.RSAPrivateKey
) -> None:
    v2 = message_form(alipay_key, biz={"pay_no": "P1"}, notify_id="n-v2")
    note = verifier.check(v2)
    assert (note.notify_id, note.msg_method) == ("n-v2", METHOD)
    assert note.biz_content == v2["biz_content"]
    assert "sign" not in note.params and "biz_content" not in note.params
    assert note.params["app_id"] == APP_ID and note.params["sign_type"] == "RSA2"
    assert verifier.check(message_form(alipay_key, variant="v1")).msg_method == METHOD
    flat = verifier.check(flat_form(alipay_key, notify_id="n-flat"))
    assert (flat.msg_method, flat.biz_content) == ("trade_status_sync", "")
    assert flat.params["trade_status"] == "TRADE_SUCCESS"
    assert flat.params["buyer_logon_id"] == ""


def test_bare_base64_public_key_is_accepted(
    alipay_keys: KeyPair, alipay_key: rsa.RSAPrivateKey
) -> None:
    bare = NotificationVerifier(APP_ID, strip_pem(alipay_keys.public_spki_pem))
    assert bare.check(message_form(alipay_key)).msg_method == METHOD


def test_gbk_notification_verifies_over_gbk_bytes(
    verifier: NotificationVerifier, alipay_key: rsa.RSAPrivateKey
) -> None:
    form = {
        "notify_id": "gbk-1",
        "msg_method": METHOD,
        "biz_content": json.dumps({"memo": "差旅"}, ensure_ascii=False),
        "app_id": APP_ID,
        "charset": "GBK",
        "sign_type": "RSA2",
    }
    signature = alipay_key.sign(
        crypto.sign_content(form).encode("gbk"), padding.PKCS1v15(), hashes.SHA256()
    )
    form["sign"] = base64.b64encode(signature).decode()
    parsed = parse_form(urlencode(form, encoding="gbk").encode())
    assert json.loads(verifier.check(parsed).biz_content) == {"memo": "差旅"}


def _reason(verifier: NotificationVerifier, form: dict[str, str]) -> tuple[int, str]:
    with pytest.raises(NotificationRejected) as info:
        verifier.check(form)
    return info.value.status, info.value.reason


def test_forged_tampered_and_other_keys_are_refused(
    verifier: NotificationVerifier, alipay_key: rsa.RSAPrivateKey
) -> None:
    form = message_form(alipay_key, biz={"pay_no": "P1"})
    tampered = {**form, "biz_content": '{"pay_no":"P2"}'}
    assert _reason(verifier, tampered) == (403, "signature does not verify")
    stranger = crypto.load_private_key(generate_key_pair().private_pkcs1_pem)
    assert _reason(verifier, message_form(stranger))[0] == 403
    assert _reason(verifier, {**form, "sign": "bm90IGEgc2lnbmF0dXJl"})[0] == 403
    assert _reason(verifier, {**form, "sign": "***"})[0] == 403
    extra = {**form, "amount": "999.00"}  # an added field is not covered by the signature
    assert _reason(verifier, extra)[0] == 403


def test_sha1_rsa_is_refused_even_when_its_signature_is_valid(
    verifier: NotificationVerifier, alipay_keys: KeyPair, alipay_key: rsa.RSAPrivateKey
) -> None:
    form = message_form(alipay_key, variant="sha1")
    public = crypto.load_public_key(alipay_keys.public_spki_pem)
    assert crypto.verify(public, crypto.sign_content(form).encode(), form["sign"], sha1=True)
    status, reason = _reason(verifier, form)
    assert status == 400 and "SHA-1" in reason
    assert _reason(verifier, {**form, "sign_type": "MD5"})[0] == 400


def test_wrong_app_id_is_refused(
    verifier: NotificationVerifier, alipay_key: rsa.RSAPrivateKey
) -> None:
    assert _reason(verifier, message_form(alipay_key, app_id="2021999999999999")) == (
        403,
        "app_id does not match this relay",
    )


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"notify_id": None}, "notify_id missing"),
        ({"notify_id": " padded "}, "notify_id malformed"),
        ({"notify_id": "x" * 200}, "notify_id malformed"),
        ({"sign": None}, "sign missing"),
        ({"sign_type": None}, "is not RSA2"),
        ({"app_id": None}, "app_id missing"),
        ({"msg_method": ""}, "msg_method empty"),
        ({"msg_method": None}, "msg_method (or notify_type) missing"),
        ({"biz_content": None}, "biz_content missing"),
        ({"biz_content": "{not json"}, "biz_content is not JSON"),
        ({"biz_content": "[1, 2]"}, "not a JSON object"),
        ({"charset": "latin-1"}, "unsupported charset"),
    ],
)
def test_malformed_notifications_are_refused(
    verifier: NotificationVerifier,
    alipay_key: rsa.RSAPrivateKey,
    change: dict[str, str | None],
    reason: str,
) -> None:
    form = message_form(alipay_key)
    for name, value in change.items():
        if value is None:
            form.pop(name, None)
        else:
            form[name] = value
    status, got = _reason(verifier, form)
    assert status == 400
    assert reason in got
