"""The notification relay server: Alipay's HTTP notifications in, WebSocket fan-out out.

A separate asyncio process (``workstation relay`` / ``python -m workstation.relay``) with its own
durable store; see :mod:`workstation.relay.server` and the README ("The notification relay").
Names are loaded lazily so ``workstation --help`` does not import aiohttp and websockets.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workstation.relay.server import RelayConfig, RelayServer, load_tokens

__all__ = ["RelayConfig", "RelayServer", "load_tokens"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(importlib.import_module("workstation.relay.server"), name)
    raise AttributeError(name)
