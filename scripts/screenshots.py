"""Screenshots of the main window on the sample document (run under a real X server).

    xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshots.py OUTDIR

Starts a window manager when one is installed (openbox), shows the window as a user would
(maximised), takes the project page, the unit calendar and 执行监控, and prints how many
indicator / calendar rows are fully visible. Settings go to a throw-away home folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    home = tempfile.mkdtemp(prefix="perfgoals-shots-")
    os.environ["HOME"] = home
    os.environ["XDG_CONFIG_HOME"] = os.path.join(home, ".config")
    wm = subprocess.Popen(["openbox"], stderr=subprocess.DEVNULL) if shutil.which("openbox") else None
    time.sleep(0.5)
    try:
        return shoot(out, Path(home))
    finally:
        if wm is not None:
            wm.terminate()


def settle(app, seconds: float = 0.6) -> None:  # noqa: ANN001
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def shoot(out: Path, home: Path) -> int:
    from app.services.storage.store import Store
    from app.ui.layout_state import visible_rows
    from app.ui.main import create_app
    from app.ui.main_window import MainWindow

    app = create_app()
    screen = app.primaryScreen()
    size = screen.size()
    tag = f"{size.width()}x{size.height()}"
    store = Store.open(str(home / "shots.db"))
    window = MainWindow(store)
    window.show()
    window.files.open_sample()
    window.showMaximized()
    settle(app, 1.0)
    doc = window.current_document()
    assert doc is not None
    window.select_project(doc, doc.projects[0])
    window.project_tabs.setCurrentIndex(0)
    settle(app)
    rows = visible_rows(window.indicator_editor.view)
    screen.grabWindow(0).save(str(out / f"{tag}-project.png"))
    window.select_project(doc, None)
    window.unit_tabs.setCurrentWidget(window.spending_calendar)
    settle(app)
    cal = visible_rows(window.spending_calendar.plan_view)
    screen.grabWindow(0).save(str(out / f"{tag}-calendar.png"))
    window.spending_calendar.tabs.setCurrentIndex(1)
    settle(app)
    exe = visible_rows(window.spending_calendar.exec_view)
    screen.grabWindow(0).save(str(out / f"{tag}-execution.png"))
    print(f"{tag}: window {window.width()}x{window.height()}, indicator rows {rows} of "
          f"{window.indicator_editor.model.rowCount()}, calendar rows {cal}, execution rows {exe}")
    window.close()
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
