"""文件 → 连接服务器数据库: the address dialog and opening a server database with a password prompt.

The password is asked for only when the server wants one (libpq's PGPASSFILE / ~/.pgpass is
tried first) and is kept nowhere but in the open connection pool.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app import APP_TITLE_ZH
from app.services.errors import PerfGoalsError
from app.services.storage.location import parse_location
from app.services.storage.postgres import PasswordRequired
from app.services.storage.store import Store

EXAMPLE = "postgresql+psycopg://用户@服务器/perfgoals"


class ServerAddressDialog(QDialog):
    """Asks for ``postgresql+psycopg://user@host/db``; checks its form before accepting."""

    def __init__(self, parent: QWidget | None, current: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("serverAddressDialog")
        self.setWindowTitle("连接服务器数据库")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(
            "多人同时填报或审核时，可连接单位或财政局内网的 PostgreSQL 数据库。\n"
            f"地址格式：{EXAMPLE}（不要在地址中写密码，连接时会询问）"
        ))
        form = QFormLayout()
        self.address = QLineEdit(current)
        self.address.setObjectName("serverAddress")
        self.address.setPlaceholderText(EXAMPLE)
        form.addRow("数据库地址：", self.address)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setObjectName("serverAddressError")
        self.error.setStyleSheet("color: #c62828")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def accept(self) -> None:
        text = self.address.text().strip()
        try:
            location = parse_location(text)
        except PerfGoalsError as exc:
            self.error.setText(exc.message)
            return
        if location is None or not location.is_server:
            self.error.setText(f"请输入服务器数据库地址，例如 {EXAMPLE}")
            return
        super().accept()


def ask_server_address(parent: QWidget | None, current: str = "") -> str | None:
    dialog = ServerAddressDialog(parent, current)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.address.text().strip()


def open_store_interactively(parent: QWidget | None, address: str, i_have_a_backup: bool = False) -> Store | None:
    """Open a database by address, asking for the server password when needed; None on failure."""
    password: str | None = None
    while True:
        try:
            return Store.open(address, password=password, i_have_a_backup=i_have_a_backup)
        except PasswordRequired as exc:
            text, ok = QInputDialog.getText(parent, "服务器数据库密码", exc.message + "\n密码：",
                                            QLineEdit.EchoMode.Password)
            if not ok:
                return None
            password = text
        except PerfGoalsError as exc:
            QMessageBox.warning(parent, APP_TITLE_ZH, exc.message)
            return None
