"""Start-up of the window: QApplication, bundled font, translations, database."""

from __future__ import annotations

import sys

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox

from app import APP_NAME, APP_TITLE_ZH
from app.resources import font_path
from app.services.errors import PerfGoalsError
from app.services.storage import Store


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
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_TITLE_ZH)
    app.setOrganizationName(APP_NAME)
    install_font(app)  # type: ignore[arg-type]
    install_translations(app)  # type: ignore[arg-type]
    return app  # type: ignore[return-value]


def run_gui(db: str | None) -> int:
    """Open the main window on ``db`` (or the default database) and run the event loop."""
    app = create_app()
    from app.ui.main_window import MainWindow

    try:
        store = Store.open(db)
    except PerfGoalsError as exc:
        QMessageBox.critical(None, APP_TITLE_ZH, exc.message)
        return 3
    window = MainWindow(store)
    window.show()
    code = app.exec()
    store.close()
    return code
