"""Start-up of the window: QApplication, bundled font, translations, database."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Callable
from types import TracebackType
from typing import Any

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app import APP_NAME, APP_TITLE_ZH
from app.resources import font_path, icon_path
from app.services.errors import PerfGoalsError
from app.services.storage.store import Store


def install_font(app: QApplication) -> str | None:
    """Register the bundled CJK font so Chinese renders on any machine; return its family."""
    font_id = QFontDatabase.addApplicationFont(str(font_path()))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        return None
    font = QFont(families[0])
    font.setPointSize(10)
    app.setFont(font)
    return families[0]


def install_translations(app: QApplication) -> None:
    """Chinese for Qt's own texts (standard buttons, print dialogs)."""
    translator = QTranslator(app)
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", path):
        app.installTranslator(translator)


def create_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication, set up once (tests reuse pytest-qt's)."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_TITLE_ZH)
    app.setOrganizationName(APP_NAME)
    app.setWindowIcon(QIcon(str(icon_path())))
    install_font(app)
    install_translations(app)
    return app


def settle_startup_heap() -> None:
    """Keep what start-up loaded (modules, classes: ~100k objects that live as long as the
    process) out of the garbage collector's full passes. Each unit opened allocates ~10k
    objects, and a full pass then walked all of them: a 50 ms pause now and then on a click.
    Called before the window opens a document, so no document graph is frozen."""
    gc.freeze()


def run_gui(db: str | None, i_have_a_backup: bool = False) -> int:
    """Open the main window on ``db`` (file, server URL or the default file) and run the event loop."""
    app = create_app()
    from app.services.storage.location import looks_like_url
    from app.ui.main_window import MainWindow

    if db and looks_like_url(db):
        from app.ui.server_db import open_store_interactively

        opened = open_store_interactively(None, db, i_have_a_backup)
        if opened is None:
            return 3
        store = opened
    else:
        try:
            # The window is the file's one writer: a second window is refused (lock file).
            store = Store.open(db, writer="window")
        except PerfGoalsError as exc:
            QMessageBox.critical(None, APP_TITLE_ZH, exc.message)
            return 3
    settle_startup_heap()
    window = MainWindow(store)
    previous_hook = sys.excepthook
    sys.excepthook = storage_error_hook(window, previous_hook)
    window.show()
    if os.environ.get("PERFGOALS_EXIT_AFTER_SHOW") == "1":
        QTimer.singleShot(0, lambda: _report_startup_and_quit(app))
    if os.environ.get("PERFGOALS_CLOSE_AFTER_SHOW") == "1":  # bench/bench_quit.py
        QTimer.singleShot(300, lambda: _close_for_bench(window))
    try:
        code = app.exec()
    finally:
        sys.excepthook = previous_hook
        store.close()
    return code


def exit_now(code: int) -> None:
    """End the GUI process at once once the window has closed and the database is closed.

    Tearing down thousands of Qt objects and the interpreter took about a second after the
    window had gone; nothing is left to write by then (every edit is committed, the store
    closed), so settings and logs are flushed and the process ends (target < 0.5 s).
    """
    import logging

    from PySide6.QtCore import QSettings

    QSettings().sync()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):  # no console when frozen
            stream.flush()
    os._exit(code)


def storage_error_hook(window: QWidget, fallback: Callable[..., object]) -> Callable[..., None]:
    """An excepthook that shows a failed write to the user instead of only on stderr.

    An exception raised in a Qt slot (an edit's commit) reaches ``sys.excepthook``; a
    :class:`PerfGoalsError` there (disk full, read-only, locked …) is told in a message box
    saying the change was not saved, never dropped silently. Anything else goes on to
    ``fallback`` (stderr and the log).
    """

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if isinstance(exc, PerfGoalsError):
            QMessageBox.warning(window, APP_TITLE_ZH, f"{exc.message}\n\n这次修改没有保存。")
            return
        fallback(kind, exc, tb)

    return hook


def _close_for_bench(window: Any) -> None:
    """Open the first project, then close the window as a user would, telling when."""
    import time

    doc = window.current_document()
    if doc is not None and doc.projects:
        window.select_project(doc, doc.projects[0])
    QApplication.processEvents()
    sys.stdout.write(f"closing={time.time():.6f}\n")
    sys.stdout.flush()
    window.close()


def _report_startup_and_quit(app: QApplication) -> None:
    """Start-up measurement (``PERFGOALS_EXIT_AFTER_SHOW=1``, used by installer/build_linux.sh).

    Runs from the event loop right after the main window was shown, prints the seconds since
    the OS created the process and quits.
    """
    from app.procinfo import process_age

    age = process_age()
    sys.stdout.write(f"startup_seconds={age:.3f}\n" if age is not None else "startup_seconds=unknown\n")
    sys.stdout.flush()
    app.quit()
