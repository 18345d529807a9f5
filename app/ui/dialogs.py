"""Small dialogs. Each has an ``ask`` classmethod so tests can monkeypatch it."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)


class NewUnitDialog(QDialog):
    """Ask for a unit code, name and budget year."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("新建单位")
        form = QFormLayout(self)
        self.code = QLineEdit()
        self.code.setObjectName("unitCodeEdit")
        self.code.setPlaceholderText("如 422001")
        self.name = QLineEdit()
        self.name.setObjectName("unitNameEdit")
        self.name.setPlaceholderText("如 曹妃甸区市场监督管理局本级")
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(date.today().year + 1)
        form.addRow("单位编码：", self.code)
        form.addRow("单位名称：", self.name)
        form.addRow("预算年度：", self.year)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    @classmethod
    def ask(cls, parent: QWidget | None = None) -> tuple[str, str, int] | None:
        """Show the dialog; (code, name, year) or None when cancelled."""
        dlg = cls(parent)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return None
        return dlg.code.text(), dlg.name.text(), dlg.year.value()
