"""Parse and verify Alipay's asynchronous notifications (alipay-api.md §2.2–2.3).

Two delivery styles arrive at the same endpoint:

- message service: ``notify_id``, ``msg_method``, ``biz_content`` (JSON text), ``utc_timestamp``,
  ``app_id``, ``charset``, ``version``, ``sign_type``, ``sign``;
- flat ``notify_url`` style: ``notify_id``, ``notify_type``, ``notify_time``, ``app_id``, …
  business fields flattened, no ``biz_content``.

Signature: Alipay's SDKs document two sign-content variants and do not say which the message
service uses, so both are accepted, like the Node SDK: V2 (every field but ``sign``) and V1 (also
without ``sign_type``). Both drop empty values (Java SDK); the keep-empty spelling is tried too
when a form has empty values. Only ``RSA2`` (SHA256withRSA) is accepted: SHA-1 ``RSA`` is
refused outright, because accepting it would let a weaker signature stand in for a strong one.

The body is parsed here rather than with a generic form parser because the signature covers the
exact decoded values in the notification's own ``charset`` (UTF-8 or GBK), duplicates must be
refused (which value would be signed?), and malformed pairs must not be silently skipped.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote_to_bytes

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from workstation.keys import normalize_public_key

__all__ = [
    "MAX_NOTIFY_ID",
    "Notification",
    "NotificationRejected",
    "NotificationVerifier",
    "parse_form",
    "sign_contents",
]

MAX_NOTIFY_ID = 128  # Alipay documents string(50); leave room, refuse anything absurd
MAX_METHOD = 200
# Charsets Alipay sends (``charset`` field); GB2312 text is a subset of GBK.
_CHARSETS = {"utf-8": "utf-8", "utf8": "utf-8", "gbk": "gbk", "gb2312": "gbk", "gb18030": "gb18030"}
# Fields that are the frame's own top-level members (or the signature) rather than ``params``.
TOP_LEVEL = frozenset({"notify_id", "msg_method", "biz_content", "sign"})


class NotificationRejected(Exception):
    """A notification that must not be stored: ``status`` is the HTTP answer (4xx)."""

    def __init__(self, status: int, reason: str, notify_id: str | None = None) -> None:
        self.status = status
        self.reason = reason
        self.notify_id = notify_id
        super().__init__(f"{status}: {reason}")


@dataclass(frozen=True)
class Notification:
    """A verified notification, ready to store. ``params`` holds every received field except
    ``sign`` and the top-level ones (``notify_id``, ``msg_method``, ``biz_content``)."""

    notify_id: str
    msg_method: str
    biz_content: str
    params: dict[str, str] = field(hash=False)


def _charset(name: str) -> str:
    codec = _CHARSETS.get(name.strip().lower())
    if codec is None:
        raise NotificationRejected(400, f"unsupported charset {name[:20]!r}")
    return codec


def _unquote(raw: bytes) -> bytes:
    # Most fields (ids, versions, timestamps) hold nothing to decode: skip the slow path.
    if b"%" not in raw and b"+" not in raw:
        return raw
    return unquote_to_bytes(raw.replace(b"+", b" "))


def parse_form(body: bytes, content_charset: str | None = None) -> dict[str, str]:
    """``application/x-www-form-urlencoded`` bytes → ``{name: value}``, strictly.

    The charset is the form's own ``charset`` field (what Alipay signs with), else the
    Content-Type's, else UTF-8. Raises :class:`NotificationRejected` (400) for anything that is
    not a well-formed form: empty body, a pair without ``=``, an empty or duplicate name, bytes
    that do not decode.
    """
    if not body.strip():
        raise NotificationRejected(400, "empty body")
    raw: list[tuple[bytes, bytes]] = []
    for part in body.split(b"&"):
        if not part:
            continue  # tolerate "a=1&&b=2" and a trailing "&", as every form parser does
        name, sep, value = part.partition(b"=")
        if not sep:
            raise NotificationRejected(400, "not a form body (a field without '=')")
        name_b = _unquote(name)
        value_b = _unquote(value)
        if not name_b:
            raise NotificationRejected(400, "a field with an empty name")
        raw.append((name_b, value_b))
    if not raw:
        raise NotificationRejected(400, "empty form")
    declared = next((v for k, v in raw if k == b"charset"), None)
    if declared is not None:
        try:
            codec = _charset(declared.decode("ascii"))
        except UnicodeDecodeError:
            raise NotificationRejected(400, "charset is not ASCII") from None
    elif content_charset:
        codec = _charset(content_charset)
    else:
        codec = "utf-8"
    form: dict[str, str] = {}
    for name_b, value_b in raw:
        try:
            name_s, value_s = name_b.decode(codec), value_b.decode(codec)
        except UnicodeDecodeError:
            raise NotificationRejected(400, f"a field does not decode as {codec}") from None
        if name_s in form:
            raise NotificationRejected(400, f"duplicate field {name_s[:40]!r}")
        form[name_s] = value_s
    return form


def sign_contents(form: Mapping[str, str]) -> Iterator[str]:
    """Every accepted string-to-sign for ``form``, lazily: V2 then V1, empty values dropped;
    then the keep-empty spellings when the form has empty values. Values raw, keys sorted."""

    def content(skip: frozenset[str], drop_empty: bool) -> str:
        items = sorted((k, v) for k, v in form.items() if k not in skip and (v or not drop_empty))
        return "&".join(f"{k}={v}" for k, v in items)

    v2, v1 = frozenset({"sign"}), frozenset({"sign", "sign_type"})
    yield content(v2, True)
    yield content(v1, True)
    if any(v == "" for k, v in form.items() if k != "sign"):
        yield content(v2, False)
        yield content(v1, False)


class NotificationVerifier:
    """Checks one notification form against the Alipay public key and this app's ``app_id``."""

    def __init__(self, app_id: str, alipay_public_key: str) -> None:
        if not app_id.strip():
            raise ValueError("app_id is empty")
        self.app_id = app_id.strip()
        pem = normalize_public_key(alipay_public_key)
        key = serialization.load_pem_public_key(pem.encode())
        assert isinstance(key, rsa.RSAPublicKey)  # normalize_public_key guarantees RSA
        self._key = key

    def check(self, form: Mapping[str, str]) -> Notification:
        """A verified :class:`Notification`, or :class:`NotificationRejected` with the reason."""
        notify_id = form.get("notify_id", "").strip()
        nid = notify_id[:MAX_NOTIFY_ID] or None
        if not notify_id:
            raise NotificationRejected(400, "notify_id missing")
        if len(notify_id) > MAX_NOTIFY_ID or notify_id != form["notify_id"]:
            raise NotificationRejected(400, "notify_id malformed", nid)
        sign = form.get("sign", "")
        if not sign:
            raise NotificationRejected(400, "sign missing", nid)
        sign_type = form.get("sign_type", "")
        if sign_type.upper() == "RSA":
            raise NotificationRejected(400, "sign_type RSA (SHA-1) is not accepted", nid)
        if sign_type.upper() != "RSA2":
            raise NotificationRejected(400, f"sign_type {sign_type[:10]!r} is not RSA2", nid)
        if not form.get("app_id"):
            raise NotificationRejected(400, "app_id missing", nid)
        msg_method = form.get("msg_method")
        if msg_method is None:
            # Flat notify_url style: the notification type stands in for the method.
            msg_method = form.get("notify_type", "")
            if not msg_method:
                raise NotificationRejected(400, "msg_method (or notify_type) missing", nid)
            if "biz_content" in form:
                raise NotificationRejected(400, "biz_content without msg_method", nid)
            biz_content = ""
        else:
            if not msg_method:
                raise NotificationRejected(400, "msg_method empty", nid)
            biz_content = form.get("biz_content", "")
            if not biz_content:
                raise NotificationRejected(400, "biz_content missing", nid)
            try:
                parsed = json.loads(biz_content)
            except ValueError:
                raise NotificationRejected(400, "biz_content is not JSON", nid) from None
            if not isinstance(parsed, dict):
                raise NotificationRejected(400, "biz_content is not a JSON object", nid)
        if len(msg_method) > MAX_METHOD:
            raise NotificationRejected(400, "msg_method too long", nid)
        codec = _charset(form.get("charset") or "utf-8")
        if not self._verified(form, sign, codec):
            raise NotificationRejected(403, "signature does not verify", nid)
        # After the signature: a signed message for another app is Alipay's, but not ours.
        if form["app_id"] != self.app_id:
            raise NotificationRejected(403, "app_id does not match this relay", nid)
        params = {k: v for k, v in form.items() if k not in TOP_LEVEL}
        return Notification(notify_id, msg_method, biz_content, params)

    def _verified(self, form: Mapping[str, str], sign: str, codec: str) -> bool:
        try:
            signature = base64.b64decode(sign, validate=True)
        except (binascii.Error, ValueError):
            return False
        if len(signature) != self._key.key_size // 8:
            return False
        for text in sign_contents(form):
            try:
                data = text.encode(codec)
            except UnicodeEncodeError:
                continue
            try:
                self._key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
            except InvalidSignature:
                continue
            return True
        return False
