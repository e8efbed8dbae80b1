"""Asynchronous notifications to ``notify_url``, Alipay message-service style (alipay-api.md 2.2).

Each message is a form POST (``application/x-www-form-urlencoded; charset=utf-8``) with
``notify_id`` (unique, unchanged across redeliveries), ``msg_method``, ``biz_content`` (JSON
text), ``utc_timestamp`` (ms), ``app_id``, ``charset=utf-8``, ``version=1.1``,
``sign_type=RSA2`` and ``sign``.

Signing — the **V2** variant (JAVA-SDK ``rsaCheckV2``, used for gateway messages): take every
field except ``sign`` (so ``sign_type`` *is* included), sort by key, join ``k=v`` with ``&``
(raw values, no URL-encoding), SHA256withRSA with the sandbox's Alipay private key, Base64.
Verify with ``alipay_public_key`` from sandbox.json. A verifier that tries V2 and then V1
(without ``sign_type``), like the Node SDK, accepts these.

Delivery: the receiver must answer the body ``success`` (case-insensitive, surrounding
whitespace ignored); anything else — another body, a non-200 status, a refused connection,
a timeout — is retried on Alipay's schedule 2m, 10m, 10m, 1h, 2h, 6h, 15h (8 deliveries in
about 25 hours), then given up. ``retry_schedule`` compresses it for tests. Pending messages
live in the ``outbox`` table, so a restarted sandbox carries on where it stopped.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlencode

from cryptography.hazmat.primitives.asymmetric import rsa

from workstation.sandbox.crypto import sign_content, sign_rsa2
from workstation.sandbox.store import Store

__all__ = ["ALIPAY_RETRY_SCHEDULE", "Notifier", "sign_notification"]

log = logging.getLogger(__name__)

ALIPAY_RETRY_SCHEDULE: tuple[float, ...] = (120, 600, 600, 3600, 7200, 21600, 54000)

# Loopback receivers must not be sent through an HTTP proxy from the environment.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def sign_notification(form: dict[str, str], key: rsa.RSAPrivateKey) -> str:
    return sign_rsa2(key, sign_content(form, drop_empty=False).encode("utf-8"))


class Notifier:
    def __init__(
        self,
        store: Store,
        *,
        app_id: str,
        alipay_key: rsa.RSAPrivateKey,
        notify_url: str | None,
        retry_schedule: Sequence[float] | None = None,
        post_timeout: float = 3.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._store = store
        self._app_id = app_id
        self._key = alipay_key
        self.notify_url = notify_url
        self.retry_schedule: tuple[float, ...] = tuple(
            ALIPAY_RETRY_SCHEDULE if retry_schedule is None else retry_schedule
        )
        self._timeout = post_timeout
        self._clock = clock
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def enabled(self) -> bool:
        return self.notify_url is not None

    def enqueue(self, conn: sqlite3.Connection, msg_method: str, biz: dict[str, Any]) -> str | None:
        """Record a message inside the caller's transaction; call :meth:`wake` after commit."""
        if not self.enabled:
            return None
        now = self._clock()
        form = {
            "notify_id": uuid.uuid4().hex,
            "msg_method": msg_method,
            "biz_content": json.dumps(biz, ensure_ascii=False, separators=(",", ":")),
            "utc_timestamp": str(int(now * 1000)),
            "app_id": self._app_id,
            "charset": "utf-8",
            "version": "1.1",
            "sign_type": "RSA2",
        }
        form["sign"] = sign_notification(form, self._key)
        conn.execute(
            "INSERT INTO outbox (notify_id, form, next_attempt, created) VALUES (?, ?, ?, ?)",
            (form["notify_id"], json.dumps(form, ensure_ascii=False), now, now),
        )
        return form["notify_id"]

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        if self._thread is None and self.enabled:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="sandbox-notifier", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def counts(self) -> dict[str, int]:
        with self._store.tx() as c:
            rows = c.execute("SELECT status, COUNT(*) FROM outbox GROUP BY status").fetchall()
        return {str(r[0]): int(r[1]) for r in rows}

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                delay = self.deliver_due()
            except Exception:  # keep delivering after an unexpected error
                log.exception("notification delivery failed")
                delay = 1.0
            self._wake.wait(timeout=1.0 if delay is None else min(max(delay, 0.0), 1.0))

    def deliver_due(self) -> float | None:
        """Deliver every due message once; returns seconds until the next one is due."""
        while not self._stop.is_set():
            now = self._clock()
            with self._store.tx() as c:
                row = c.execute(
                    "SELECT notify_id, form, attempts FROM outbox WHERE status = 'pending' "
                    "AND next_attempt <= ? ORDER BY next_attempt, created LIMIT 1",
                    (now,),
                ).fetchone()
                if row is None:
                    nxt = c.execute(
                        "SELECT MIN(next_attempt) FROM outbox WHERE status = 'pending'"
                    ).fetchone()[0]
                    return None if nxt is None else float(nxt) - now
            notify_id, form, attempts = str(row[0]), json.loads(row[1]), int(row[2])
            ok, error = self._post(form)
            attempts += 1
            with self._store.tx() as c:
                if ok:
                    c.execute(
                        "UPDATE outbox SET status = 'delivered', attempts = ?, last_error = NULL "
                        "WHERE notify_id = ?",
                        (attempts, notify_id),
                    )
                elif attempts > len(self.retry_schedule):
                    c.execute(
                        "UPDATE outbox SET status = 'failed', attempts = ?, last_error = ? "
                        "WHERE notify_id = ?",
                        (attempts, error, notify_id),
                    )
                else:
                    c.execute(
                        "UPDATE outbox SET attempts = ?, next_attempt = ?, last_error = ? "
                        "WHERE notify_id = ?",
                        (
                            attempts,
                            self._clock() + self.retry_schedule[attempts - 1],
                            error,
                            notify_id,
                        ),
                    )
        return None

    def _post(self, form: dict[str, str]) -> tuple[bool, str | None]:
        url = self.notify_url
        if url is None:
            return False, "no notify_url"
        request = urllib.request.Request(
            url,
            data=urlencode(form).encode("utf-8"),
            headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
            method="POST",
        )
        try:
            with _OPENER.open(request, timeout=self._timeout) as response:
                body = response.read(256)
                status = response.status
        except urllib.error.HTTPError as exc:
            exc.close()
            return False, f"HTTP {exc.code}"
        except (OSError, ValueError) as exc:
            return False, f"{type(exc).__name__}: {exc}"
        if status == 200 and body.strip().lower() == b"success":
            return True, None
        return False, f"HTTP {status}: {body[:64]!r}"
