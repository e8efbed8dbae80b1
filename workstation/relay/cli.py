"""``workstation relay``: run the notification relay until Ctrl+C / SIGTERM.

``python -m workstation.relay`` runs the same command. Errors a person can fix (a missing key
file, an empty tokens file, a bad URL, a port in use) end with a Chinese and English message and
exit code 1, through :func:`workstation.cli.main`.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from workstation.errors import ValidationError, WorkstationError

if TYPE_CHECKING:
    from workstation.relay.server import RelayConfig, RelayServer

__all__ = ["DEFAULT_PORT", "add_arguments", "config_from_args", "run"]

DEFAULT_PORT = 8702


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="0 picks a free port")
    parser.add_argument("--host", default="127.0.0.1", help="listen address / 监听地址")
    parser.add_argument(
        "--database-url",
        default=argparse.SUPPRESS,
        help="sqlite:///relay.db (default, in --data-dir) or postgresql://… / 数据库地址",
    )
    parser.add_argument(
        "--data-dir", type=Path, default=Path("."), help="where relay.db lives / 数据目录"
    )
    parser.add_argument("--app-id", required=True, help="your Alipay app_id / 应用 APPID")
    parser.add_argument(
        "--alipay-public-key",
        type=Path,
        required=True,
        metavar="FILE",
        help="Alipay public key file, PEM or bare base64 / 支付宝公钥文件",
    )
    parser.add_argument(
        "--tokens",
        type=Path,
        required=True,
        metavar="FILE",
        help="workstation tokens, one per line, # comments / 工作台令牌文件",
    )
    parser.add_argument(
        "--retention-days", type=float, default=7.0, help="keep messages this long / 保留天数"
    )
    parser.add_argument(
        "--retention-count", type=int, default=None, help="keep at most this many / 最多保留条数"
    )
    parser.add_argument("--ping-interval", type=float, default=20.0, help="WebSocket ping, s")
    parser.add_argument("--ping-timeout", type=float, default=20.0, help="WebSocket pong wait, s")
    parser.add_argument(
        "--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"]
    )


def config_from_args(args: argparse.Namespace) -> RelayConfig:
    from workstation.relay.server import RelayConfig, load_tokens, normalise_database_url

    key_path: Path = args.alipay_public_key
    try:
        key = key_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValidationError(
            "alipay_public_key",
            "找不到支付宝公钥文件",
            "Alipay public key file not found",
            str(key_path),
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(
            "alipay_public_key",
            f"无法读取支付宝公钥文件（{exc}）",
            f"cannot read the Alipay public key file ({exc})",
            str(key_path),
        ) from None
    url = getattr(args, "database_url", None)
    if url:
        url = normalise_database_url(url)
    else:
        data_dir: Path = args.data_dir
        url = f"sqlite:///{data_dir.resolve() / 'relay.db'}"
    return RelayConfig(
        app_id=args.app_id,
        alipay_public_key=key,
        tokens=load_tokens(args.tokens),
        database_url=url,
        host=args.host,
        port=args.port,
        retention_days=args.retention_days,
        retention_count=args.retention_count,
        ping_interval=args.ping_interval,
        ping_timeout=args.ping_timeout,
    )


def run(args: argparse.Namespace) -> int:
    from workstation.relay.server import RelayServer

    logging.basicConfig(
        level=getattr(logging, args.log_level),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    server = RelayServer(config_from_args(args))

    def ready(relay: RelayServer) -> None:
        print(f"relay notify URL:  {relay.notify_url}", flush=True)
        print(f"relay WebSocket:   {relay.ws_url}", flush=True)
        print("stop with Ctrl+C", flush=True)

    try:
        asyncio.run(server.serve(ready))
    except OSError as exc:
        raise WorkstationError(
            f"无法启动中继服务：{exc}", f"cannot start the relay: {exc}"
        ) from exc
    except Exception as exc:
        if type(exc).__module__.startswith("sqlalchemy"):
            raise WorkstationError(
                f"无法打开中继数据库：{exc}", f"cannot open the relay database: {exc}"
            ) from exc
        raise
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m workstation.relay …`` — the ``workstation relay`` command."""
    from workstation.cli import main as workstation_main

    return workstation_main(["relay", *(sys.argv[1:] if argv is None else argv)])
