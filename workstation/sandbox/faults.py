"""Fault injection for the gateway (thread-safe), settable from code or over HTTP.

Keys (also the JSON body of ``POST /control/faults``):

- ``latency`` (seconds, float): added before every matching answer.
- ``timeout_next`` (int): the next N matching requests time out on the client. With
  ``timeout_mode="sleep"`` (default) the sandbox processes the request but answers only after
  ``timeout_seconds`` (default 20 s, past the SDK's 15 s default): the change happened although
  the client saw a timeout, which is what idempotency keys are for. With ``"drop"`` it waits
  ``timeout_seconds`` and closes the connection without processing or answering (``0`` = an
  immediate reset).
- ``http_500_next`` (int): answer HTTP 500 with a plain-text body (the SDK raises on it).
- ``system_error_next`` (int): a signed ``code 20000 / isp.unknow-error`` answer.
- ``business_error_next`` (int): a signed ``code 40004 / Business Failed`` answer with
  ``business_sub_code`` (default ``SANDBOX_INJECTED_ERROR``) and ``business_sub_msg``.
- ``bad_signature_next`` (int): a normal answer whose ``sign`` has been tampered with.
- ``methods`` (list of method names or null): when set, faults only hit those methods.
- ``reset`` (bool, HTTP only): clear everything first.

Counters are consumed in the order timeout → HTTP 500 → system error → business error →
bad signature, one fault per request.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from enum import Enum
from typing import Any

__all__ = ["FaultKind", "FaultPlan", "Faults", "FaultsError"]


class FaultKind(Enum):
    NONE = "none"
    TIMEOUT = "timeout"
    HTTP_500 = "http_500"
    SYSTEM_ERROR = "system_error"
    BUSINESS_ERROR = "business_error"
    BAD_SIGNATURE = "bad_signature"


class FaultsError(ValueError):
    """A control request with an unknown key or a value of the wrong type."""


@dataclass(frozen=True)
class FaultPlan:
    kind: FaultKind
    latency: float
    timeout_seconds: float
    drop: bool
    sub_code: str = ""
    sub_msg: str = ""


DEFAULT_SUB_CODE = "SANDBOX_INJECTED_ERROR"
DEFAULT_SUB_MSG = "沙箱注入的业务错误"

_COUNTERS = (
    "timeout_next",
    "http_500_next",
    "system_error_next",
    "business_error_next",
    "bad_signature_next",
)
_KIND_OF = {
    "timeout_next": FaultKind.TIMEOUT,
    "http_500_next": FaultKind.HTTP_500,
    "system_error_next": FaultKind.SYSTEM_ERROR,
    "business_error_next": FaultKind.BUSINESS_ERROR,
    "bad_signature_next": FaultKind.BAD_SIGNATURE,
}


class Faults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._latency = 0.0
        self._counts = dict.fromkeys(_COUNTERS, 0)
        self._methods: frozenset[str] | None = None
        self._timeout_seconds = 20.0
        self._timeout_mode = "sleep"
        self._sub_code = DEFAULT_SUB_CODE
        self._sub_msg = DEFAULT_SUB_MSG

    # Plain attributes for code (tests): ``sandbox.faults.http_500_next = 2``.
    @property
    def latency(self) -> float:
        with self._lock:
            return self._latency

    @latency.setter
    def latency(self, value: float) -> None:
        self.update(latency=value)

    @property
    def timeout_next(self) -> int:
        return self._get("timeout_next")

    @timeout_next.setter
    def timeout_next(self, value: int) -> None:
        self.update(timeout_next=value)

    @property
    def http_500_next(self) -> int:
        return self._get("http_500_next")

    @http_500_next.setter
    def http_500_next(self, value: int) -> None:
        self.update(http_500_next=value)

    @property
    def system_error_next(self) -> int:
        return self._get("system_error_next")

    @system_error_next.setter
    def system_error_next(self, value: int) -> None:
        self.update(system_error_next=value)

    @property
    def business_error_next(self) -> int:
        return self._get("business_error_next")

    @business_error_next.setter
    def business_error_next(self, value: int) -> None:
        self.update(business_error_next=value)

    @property
    def bad_signature_next(self) -> int:
        return self._get("bad_signature_next")

    @bad_signature_next.setter
    def bad_signature_next(self, value: int) -> None:
        self.update(bad_signature_next=value)

    @property
    def methods(self) -> frozenset[str] | None:
        with self._lock:
            return self._methods

    @methods.setter
    def methods(self, value: frozenset[str] | set[str] | list[str] | None) -> None:
        self.update(methods=None if value is None else list(value))

    @property
    def timeout_seconds(self) -> float:
        with self._lock:
            return self._timeout_seconds

    @timeout_seconds.setter
    def timeout_seconds(self, value: float) -> None:
        self.update(timeout_seconds=value)

    def _get(self, key: str) -> int:
        with self._lock:
            return self._counts[key]

    def update(self, **values: Any) -> None:
        """Set several keys at once (validated; nothing changes if one is wrong)."""
        with self._lock:
            latency = self._latency
            counts = dict(self._counts)
            methods = self._methods
            timeout_seconds = self._timeout_seconds
            timeout_mode = self._timeout_mode
            sub_code, sub_msg = self._sub_code, self._sub_msg
            for key, value in values.items():
                if key == "latency":
                    latency = _number(key, value)
                elif key in counts:
                    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                        raise FaultsError(f"{key} must be a non-negative integer")
                    counts[key] = value
                elif key == "methods":
                    if value is not None and (
                        not isinstance(value, list | tuple | set | frozenset)
                        or not all(isinstance(v, str) for v in value)
                    ):
                        raise FaultsError("methods must be a list of method names or null")
                    methods = None if value is None else frozenset(value)
                elif key == "timeout_seconds":
                    timeout_seconds = _number(key, value)
                elif key == "timeout_mode":
                    if value not in ("sleep", "drop"):
                        raise FaultsError("timeout_mode must be 'sleep' or 'drop'")
                    timeout_mode = value
                elif key in ("business_sub_code", "business_sub_msg"):
                    if not isinstance(value, str) or not value:
                        raise FaultsError(f"{key} must be a non-empty string")
                    if key == "business_sub_code":
                        sub_code = value
                    else:
                        sub_msg = value
                else:
                    raise FaultsError(f"unknown fault key: {key}")
            self._latency = latency
            self._counts = counts
            self._methods = methods
            self._timeout_seconds = timeout_seconds
            self._timeout_mode = timeout_mode
            self._sub_code, self._sub_msg = sub_code, sub_msg

    def reset(self) -> None:
        with self._lock:
            self._latency = 0.0
            self._counts = dict.fromkeys(_COUNTERS, 0)
            self._methods = None
            self._timeout_seconds = 20.0
            self._timeout_mode = "sleep"
            self._sub_code = DEFAULT_SUB_CODE
            self._sub_msg = DEFAULT_SUB_MSG

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "latency": self._latency,
                **self._counts,
                "methods": None if self._methods is None else sorted(self._methods),
                "timeout_seconds": self._timeout_seconds,
                "timeout_mode": self._timeout_mode,
                "business_sub_code": self._sub_code,
                "business_sub_msg": self._sub_msg,
            }

    def take(self, method: str | None) -> FaultPlan:
        """Decide (and consume) the fault for one gateway request."""
        with self._lock:
            if self._methods is not None and method not in self._methods:
                return FaultPlan(FaultKind.NONE, 0.0, 0.0, drop=False)
            kind = FaultKind.NONE
            for key in _COUNTERS:
                if self._counts[key] > 0:
                    self._counts[key] -= 1
                    kind = _KIND_OF[key]
                    break
            return FaultPlan(
                kind,
                self._latency,
                self._timeout_seconds,
                drop=self._timeout_mode == "drop",
                sub_code=self._sub_code,
                sub_msg=self._sub_msg,
            )


def _number(key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise FaultsError(f"{key} must be a non-negative number")
    return float(value)
