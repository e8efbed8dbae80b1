"""Start-up stays light: opening the window on an up-to-date cache loads neither Alembic, the
Alipay SDK, the servers of demo mode, the scheduler, nor the code of tabs nobody opened.

(benchmarks/bills_view.py measures the time; this guards what made it fast.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from workstation.db.engine import Database

PROBE = """
import json, sys
from PySide6.QtCore import QSettings
from workstation.app import create_application
from workstation.bootstrap import open_database
from workstation.ui.main_window import MainWindow

app = create_application()
database = open_database(sys.argv[1])
settings = QSettings(sys.argv[2], QSettings.Format.IniFormat)
settings.setValue("main_window/current_tab", "bills")  # a clerk who left off on 账单
window = MainWindow(database, qsettings=settings)
window.show()
app.processEvents()
heavy = [
    "alembic",
    "alipay.aop.api.DefaultAlipayClient",
    "aiohttp",
    "websockets",
    "apscheduler",
    "workstation.sync.service",
    "workstation.ui.tabs.org",
    "workstation.ui.tabs.enterprise",
    "workstation.ui.tabs.quotas",
    "workstation.ui.printing",
    "workstation.ui.dialogs.settings_dialog",
]
print(json.dumps({
    "loaded": [name for name in heavy if name in sys.modules],
    "built": sorted(window.built_tabs()),
}))
window.close()
window.runner.wait(5000)
"""


def test_the_window_opens_without_loading_what_it_does_not_show(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    database = Database(f"sqlite:///{path}")
    database.upgrade()
    database.dispose()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run(
        [sys.executable, "-c", PROBE, f"sqlite:///{path}", str(tmp_path / "window.ini")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["built"] == ["bills"]  # the tab the clerk left off on, no others
    assert report["loaded"] == []
