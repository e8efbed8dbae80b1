"""Entry points: the GUI (default), ``--demo``, and headless subcommands.

This module stays free of Qt so that ``workstation db``, ``sync``, ``sandbox`` and ``relay`` run
on a server without Qt's libraries; the GUI is imported only when it is asked for.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from typing import Any

from workstation import __version__
from workstation.config import AppPaths
from workstation.errors import WorkstationError

__all__ = ["build_parser", "main"]

# Subcommands that live in their own rooms: name → (module, help). Each module offers
# ``add_arguments(parser)`` and ``run(args) -> int``.
_ROOM_COMMANDS: dict[str, tuple[str, str]] = {
    "sync": ("workstation.sync.cli", "sync the cache with Alipay once / 立即同步一次"),
    "sandbox": (
        "workstation.sandbox.cli",
        "run the local Alipay sandbox gateway / 运行本地支付宝沙箱",
    ),
    "relay": ("workstation.relay.cli", "run the notification relay server / 运行通知中继服务"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workstation",
        description="Finance Workstation — 支付宝企业码财务工作台",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--demo", action="store_true", help="start with a local sandbox company / 演示模式"
    )
    parser.add_argument("--database-url", help="SQLite or PostgreSQL URL / 数据库地址")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    db = sub.add_parser("db", help="database maintenance / 数据库维护")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    upgrade = db_sub.add_parser("upgrade", help="apply migrations / 升级数据库结构")
    upgrade.add_argument("--database-url", help="SQLite or PostgreSQL URL / 数据库地址")
    upgrade.set_defaults(handler=_db_upgrade)

    shots = sub.add_parser("screenshots", help="render every tab to PNG files / 导出各页截图")
    shots.add_argument("dir", help="output folder / 输出目录")
    shots.add_argument(
        "--demo",
        action="store_true",
        default=argparse.SUPPRESS,
        help="a small sandbox company, synced once / 演示数据",
    )
    shots.add_argument(
        "--database-url", default=argparse.SUPPRESS, help="SQLite or PostgreSQL URL / 数据库地址"
    )
    shots.set_defaults(handler=_screenshots)

    for name, (module, help_text) in _ROOM_COMMANDS.items():
        room = sub.add_parser(name, help=help_text)
        _room_module(module).add_arguments(room)
        room.set_defaults(handler=_room_runner(module))
    return parser


def _room_module(module: str) -> Any:
    return importlib.import_module(module)


def _room_runner(module: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        result: int = _room_module(module).run(args)
        return result

    return run


def _db_upgrade(args: argparse.Namespace) -> int:
    from workstation.db.engine import Database, resolve_database_url
    from workstation.db.migrate import current_revision

    url = resolve_database_url(args.database_url, AppPaths.default().data_dir)
    database = Database(url)
    try:
        database.upgrade()
        print(f"database at revision {current_revision(database.engine)}: {_safe_url(url)}")
    finally:
        database.dispose()
    return 0


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _gui(args: argparse.Namespace) -> int:
    try:
        app = importlib.import_module("workstation.app")
    except ModuleNotFoundError as exc:
        if exc.name != "workstation.app":
            raise
        print(
            "桌面界面将在“工作台窗口”功能完成后提供；现在可用：workstation db upgrade、"
            "workstation sandbox、workstation sync。\n"
            "The desktop window arrives with the window issue; available now: "
            "`workstation db upgrade`, `workstation sandbox`, `workstation sync`.",
            file=sys.stderr,
        )
        return 2
    result: int = app.main(args)
    return result


def _screenshots(args: argparse.Namespace) -> int:
    # Imported by name so this module stays free of Qt (see the module docstring).
    result: int = importlib.import_module("workstation.ui.screenshots").run(args)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = getattr(args, "handler", _gui)
    try:
        return handler(args)
    except WorkstationError as exc:
        print(f"错误：{exc.message_zh}\nerror: {exc.message_en}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
