from __future__ import annotations

from pathlib import Path

import pytest

from workstation import __version__
from workstation.cli import main


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_db_upgrade_default_location(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade"]) == 0
    assert (home / "data" / "workstation.db").exists()
    assert "revision" in capsys.readouterr().out


def test_db_upgrade_refuses_unsupported_database(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade", "--database-url", "mysql://u@h/db"]) == 1
    err = capsys.readouterr().err
    assert "只支持 SQLite 或 PostgreSQL" in err
    assert "only SQLite and PostgreSQL" in err
