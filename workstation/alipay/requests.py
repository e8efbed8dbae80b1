"""Request objects handed to the SDK client.

The SDK ships a generated ``…Request`` class per method, but its biz models silently drop unknown
keys and falsy values (``False``, ``0``, ``""``, ``[]``) — see alipay-api.md 3.2. So we use the
SDK's class only when it reproduces our biz dict exactly, and otherwise a generic request. The
client duck-types just ``get_params()``, ``need_encrypt`` and ``get_multipart_params()``.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Mapping
from functools import cache
from typing import Any, Protocol

__all__ = ["GenericRequest", "SdkRequest", "build_request", "dump_biz", "sdk_request_class"]


class SdkRequest(Protocol):
    need_encrypt: bool

    def get_params(self) -> dict[str, Any]: ...

    def get_multipart_params(self) -> dict[str, Any]: ...


def dump_biz(biz: Mapping[str, Any]) -> str:
    # Same serialisation as the SDK's generated requests: sorted keys, compact, real UTF-8.
    return json.dumps(biz, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class GenericRequest:
    """Any gateway method with any biz_content, sent exactly as given."""

    need_encrypt = False

    def __init__(self, method: str, biz: Mapping[str, Any], version: str = "1.0") -> None:
        self.method = method
        self.biz = dict(biz)
        self.version = version

    def get_params(self) -> dict[str, Any]:
        return {"method": self.method, "version": self.version, "biz_content": dump_biz(self.biz)}

    def get_multipart_params(self) -> dict[str, Any]:
        return {}

    def __repr__(self) -> str:
        return f"GenericRequest({self.method!r})"


@cache
def sdk_request_class(method: str) -> type[Any] | None:
    """``alipay.commerce.ec.employee.add`` → ``AlipayCommerceEcEmployeeAddRequest`` or None."""
    name = "".join(part.capitalize() for part in method.split(".")) + "Request"
    try:
        module = importlib.import_module(f"alipay.aop.api.request.{name}")
    except ImportError:
        return None
    cls = getattr(module, name, None)
    return cls if isinstance(cls, type) else None


def build_request(method: str, biz: Mapping[str, Any]) -> SdkRequest:
    cls = sdk_request_class(method)
    if cls is not None:
        try:
            request = cls()
            request.biz_content = dict(biz)
            params = request.get_params()
            if params.get("method") == method and json.loads(
                params.get("biz_content") or "null"
            ) == dict(biz):
                return request  # type: ignore[no-any-return]
        except Exception:
            pass
    return GenericRequest(method, biz)
