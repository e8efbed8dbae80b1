"""HTTP(S) transport for the gateway: honours host and port, verifies TLS, keeps connections alive.

One keep-alive connection per calling thread (``http.client`` connections are not thread-safe and
the SDK is driven from worker threads). Connections of threads that have ended are closed on the
next call; :meth:`HttpTransport.close` closes them all.
"""

from __future__ import annotations

import http.client
import ssl
import threading
from collections.abc import Mapping
from typing import Protocol
from urllib.parse import urlsplit

__all__ = ["HttpTransport", "Transport", "TransportError"]


class Transport(Protocol):
    def post(self, query: str, body: bytes, headers: Mapping[str, str]) -> bytes:
        """POST ``body`` to the gateway URL with ``?query`` appended; return a 200 body."""
        ...

    def close(self) -> None: ...


class TransportError(Exception):
    """The HTTP exchange failed.

    ``kind``: ``connect`` (nothing sent), ``timeout`` / ``io`` (sent, no complete answer),
    ``http`` (non-200 status in ``status``), ``tls`` (certificate rejected).
    ``maybe_processed``: the server may have acted on the request although we saw no answer.
    """

    def __init__(
        self,
        kind: str,
        detail: str,
        *,
        maybe_processed: bool,
        status: int | None = None,
    ) -> None:
        self.kind = kind
        self.detail = detail
        self.maybe_processed = maybe_processed
        self.status = status
        super().__init__(f"{kind}: {detail}")

    @property
    def retryable(self) -> bool:
        if self.kind == "tls":
            return False
        if self.kind == "http":
            return self.status is not None and self.status >= 500
        return True


# A keep-alive connection the server closed while idle fails like this before any answer.
_STALE = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)


class HttpTransport:
    def __init__(
        self,
        url: str,
        *,
        connect_timeout: float = 5.0,
        read_timeout: float = 15.0,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"gateway URL must be http(s)://host[:port]/path, got {url!r}")
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port or (443 if self._https else 80)
        self._path = parts.path or "/"
        self._base_query = parts.query
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._ssl_context = (
            ssl_context
            if ssl_context is not None
            else (ssl.create_default_context() if self._https else None)
        )
        self._lock = threading.Lock()
        self._connections: dict[threading.Thread, http.client.HTTPConnection] = {}
        self._closed = False
        self.connections_opened = 0  # diagnostics: how many TCP connections were made

    @property
    def address(self) -> tuple[str, int]:
        return self._host, self._port

    def post(self, query: str, body: bytes, headers: Mapping[str, str]) -> bytes:
        target = self._path + "?" + (f"{self._base_query}&{query}" if self._base_query else query)
        for attempt in (1, 2):
            conn, reused = self._checkout()
            if conn.sock is None:
                self._connect(conn)
                reused = False
            try:
                conn.request("POST", target, body=body, headers=dict(headers))
                response = conn.getresponse()
                data = response.read()
            except _STALE as exc:
                self._discard(conn)
                if reused and attempt == 1:
                    continue  # idle keep-alive closed by the server: one fresh connection
                raise TransportError("io", repr(exc), maybe_processed=True) from exc
            except TimeoutError as exc:
                self._discard(conn)
                raise TransportError("timeout", "read timed out", maybe_processed=True) from exc
            except (OSError, http.client.HTTPException) as exc:
                self._discard(conn)
                raise TransportError("io", repr(exc), maybe_processed=True) from exc
            if response.will_close:
                self._discard(conn)
            if response.status != 200:
                snippet = data[:300].decode("utf-8", "replace")
                raise TransportError(
                    "http",
                    f"HTTP {response.status} {response.reason}: {snippet}",
                    maybe_processed=False,
                    status=response.status,
                )
            return data
        raise AssertionError("unreachable")  # pragma: no cover

    def close(self) -> None:
        with self._lock:
            self._closed = True
            connections = list(self._connections.values())
            self._connections.clear()
        for conn in connections:
            conn.close()

    def __enter__(self) -> HttpTransport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- internals ----------------------------------------------------------------------------

    def _checkout(self) -> tuple[http.client.HTTPConnection, bool]:
        me = threading.current_thread()
        dead: list[http.client.HTTPConnection] = []
        with self._lock:
            if self._closed:
                raise RuntimeError("transport is closed")
            for thread in [t for t in self._connections if not t.is_alive()]:
                dead.append(self._connections.pop(thread))
            conn = self._connections.get(me)
            reused = conn is not None
            if conn is None:
                conn = self._new_connection()
                self._connections[me] = conn
        for old in dead:
            old.close()
        return conn, reused

    def _new_connection(self) -> http.client.HTTPConnection:
        if self._https:
            return http.client.HTTPSConnection(
                self._host, self._port, timeout=self._connect_timeout, context=self._ssl_context
            )
        return http.client.HTTPConnection(self._host, self._port, timeout=self._connect_timeout)

    def _connect(self, conn: http.client.HTTPConnection) -> None:
        # conn.timeout bounds the TCP connect and TLS handshake; then the read timeout applies.
        try:
            conn.connect()
        except ssl.SSLCertVerificationError as exc:
            self._discard(conn)
            raise TransportError("tls", str(exc), maybe_processed=False) from exc
        except TimeoutError as exc:
            self._discard(conn)
            raise TransportError("connect", "connect timed out", maybe_processed=False) from exc
        except OSError as exc:
            self._discard(conn)
            raise TransportError("connect", repr(exc), maybe_processed=False) from exc
        assert conn.sock is not None
        conn.sock.settimeout(self._read_timeout)
        with self._lock:
            self.connections_opened += 1

    def _discard(self, conn: http.client.HTTPConnection) -> None:
        conn.close()
        me = threading.current_thread()
        with self._lock:
            if self._connections.get(me) is conn:
                del self._connections[me]
