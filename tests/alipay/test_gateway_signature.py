"""Response verification: only RSA2 signatures by Alipay's key over the expected object count."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable

import pytest
import rsa as rsa_lib
from alipay.aop.api.util.SignatureUtils import verify_with_rsa
from alipay_fakes import Action, FakeAlipay, Sleeps, sign_text
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from workstation.alipay import (
    AlipayError,
    AlipayGateway,
    AlipaySignatureError,
    GatewayConfig,
)
from workstation.keys import KeyPair

ROOT = {"code": "10000", "msg": "Success", "department_id_list": ["D1"]}


def _key(pem: str) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(pem.encode(), None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return key


def test_the_sdk_alone_would_accept_sha1(alipay_keys: KeyPair) -> None:
    """The hole we close: the SDK's verify_with_rsa takes any hash rsa.verify recognises."""
    text = json.dumps(ROOT)
    sign = sign_text(_key(alipay_keys.private_pkcs1_pem), text, sha1=True)
    assert verify_with_rsa(alipay_keys.public_spki_pem, text.encode(), sign)
    public = rsa_lib.PublicKey.load_pkcs1_openssl_pem(alipay_keys.public_spki_pem.encode())
    assert rsa_lib.verify(text.encode(), base64.b64decode(sign), public) == "SHA-1"


def test_sha1_signature_by_the_right_key_is_rejected(
    gateway: AlipayGateway, fake: FakeAlipay, sleeps: Sleeps
) -> None:
    fake.responder = lambda m, b: ROOT
    fake.then(Action(sha1=True))
    with pytest.raises(AlipaySignatureError) as info:
        gateway.list_sub_departments()
    assert "RSA2" in str(info.value)
    assert len(fake.received) == 1 and sleeps == []  # never retried


def test_rsa2_signature_is_accepted(gateway: AlipayGateway, fake: FakeAlipay) -> None:
    fake.responder = lambda m, b: ROOT
    assert gateway.list_sub_departments() == ["D1"]


def test_tampered_body_is_rejected_and_not_retried(
    gateway: AlipayGateway, fake: FakeAlipay, sleeps: Sleeps
) -> None:
    fake.responder = lambda m, b: ROOT
    fake.then(Action(tamper=True))
    with pytest.raises(AlipaySignatureError):
        gateway.list_sub_departments()
    assert len(fake.received) == 1 and sleeps == []


def test_unsigned_response_is_rejected(gateway: AlipayGateway, fake: FakeAlipay) -> None:
    fake.then(Action(unsigned=True))
    with pytest.raises(AlipaySignatureError):
        gateway.list_sub_departments()


def test_signature_by_another_key_is_rejected(
    gateway: AlipayGateway, fake: FakeAlipay, other_keys: KeyPair
) -> None:
    fake.then(Action(sign_key=_key(other_keys.private_pkcs1_pem)))
    with pytest.raises(AlipaySignatureError):
        gateway.list_sub_departments()


def test_signed_answer_of_another_method_is_rejected(
    gateway: AlipayGateway, fake: FakeAlipay
) -> None:
    """A genuine signed response replayed for a different call must not be trusted."""
    fake.then(Action(inner=ROOT, response_key="alipay_commerce_ec_employee_delete_response"))
    with pytest.raises(AlipaySignatureError) as info:
        gateway.list_sub_departments()
    assert "sublist_query_response" in str(info.value)


def test_garbage_body_is_rejected(gateway: AlipayGateway, fake: FakeAlipay) -> None:
    fake.then(Action(raw_body="<html>维护中</html>".encode()))
    with pytest.raises(AlipaySignatureError) as info:
        gateway.list_sub_departments()
    assert info.value.message_zh.startswith("支付宝响应验签失败")


def test_signed_error_response_is_an_alipay_error(gateway: AlipayGateway, fake: FakeAlipay) -> None:
    fake.then(
        Action(
            inner={
                "code": "40001",
                "msg": "Missing Required Arguments",
                "sub_code": "isv.missing-method",
            },
            response_key="error_response",
        )
    )
    with pytest.raises(AlipayError) as info:
        gateway.list_sub_departments()
    assert info.value.sub_code == "isv.missing-method"


def test_requests_are_rsa2_signed_with_the_app_key(
    gateway: AlipayGateway, fake: FakeAlipay
) -> None:
    fake.responder = lambda m, b: ROOT
    gateway.list_sub_departments()
    (req,) = fake.received
    assert req.signature_ok and req.sign_type == "RSA2"
    assert req.params["app_id"] == "2021000000000001"
    assert json.loads(req.params["biz_content"]) == {
        "department_id": "-1",
        "enterprise_id": "E0001",
    }


def test_wrong_app_key_gets_invalid_signature(
    fake: FakeAlipay,
    make_config: Callable[..., GatewayConfig],
    other_keys: KeyPair,
    sleeps: Sleeps,
) -> None:
    config = make_config(fake.url, app_private_key=other_keys.private_pkcs1_pem)
    with AlipayGateway(config, sleep=sleeps) as gw, pytest.raises(AlipayError) as info:
        gw.list_sub_departments()
    assert info.value.sub_code == "isv.invalid-signature"
    assert info.value.is_business
    assert "私钥" in info.value.message_zh
    assert len(fake.received) == 1


def test_pkcs8_and_bare_base64_keys_are_accepted(
    fake: FakeAlipay,
    make_config: Callable[..., GatewayConfig],
    app_keys: KeyPair,
    alipay_keys: KeyPair,
) -> None:
    """What clerks paste from Alipay's key tool (PKCS#8 "Java" form, no armour) works."""
    pkcs8 = _key(app_keys.private_pkcs1_pem).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    bare_private = "".join(pkcs8.decode().splitlines()[1:-1])
    bare_public = "".join(alipay_keys.public_spki_pem.splitlines()[1:-1])
    config = make_config(fake.url, app_private_key=bare_private, alipay_public_key=bare_public)
    assert "BEGIN RSA PRIVATE KEY" in config.app_private_key
    assert "BEGIN" not in repr(config)  # keys never end up in logs via repr
    fake.responder = lambda m, b: ROOT
    with AlipayGateway(config) as gw:
        assert gw.list_sub_departments() == ["D1"]
    assert fake.received[0].signature_ok
