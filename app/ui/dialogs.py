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


class ImportPreviewDialog(QDialog):
    """What a file holds, and the choice for projects whose codes already exist."""

    def __init__(self, report: str, conflicts: list[str], parent: QWidget | None = None) -> None:
        from PySide6.QtWidgets import (
            QButtonGroup,
            QLabel,
            QPlainTextEdit,
            QRadioButton,
            QVBoxLayout,
        )

        super().__init__(parent)
        self.setWindowTitle("导入预览")
        self.resize(640, 480)
        layout = QVBoxLayout(self)
        text = QPlainTextEdit(report)
        text.setObjectName("importReport")
        text.setReadOnly(True)
        layout.addWidget(text)
        # Values the import would lose are the report's "错误" lines (import_preview.report_lines).
        errors = sum(line.lstrip().startswith("错误：") for line in report.splitlines())
        if errors:
            warning = QLabel(f"文件中有{errors}处内容无法导入（见上方“错误”）：继续导入只会导入可识别的部分。")
            warning.setObjectName("importErrors")
            warning.setStyleSheet("color: #c62828;")
            warning.setWordWrap(True)
            layout.addWidget(warning)
        self.group = QButtonGroup(self)
        if conflicts:
            layout.addWidget(QLabel(f"以下{len(conflicts)}个项目的编码在同一单位和年度中已存在：\n" + "\n".join(conflicts[:12])
                                    + ("\n……" if len(conflicts) > 12 else "")))
            for n, (key, label) in enumerate((("replace", "用文件中的项目替换已有项目"),
                                              ("keep", "保留已有项目，跳过文件中的同编码项目"),
                                              ("copy", "作为副本导入（名称加“（副本）”）"))):
                rb = QRadioButton(label)
                rb.setObjectName(f"conflict_{key}")
                rb.setProperty("choice", key)
                rb.setChecked(n == 1)
                self.group.addButton(rb)
                layout.addWidget(rb)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("导入")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def choice(self) -> str | None:
        checked = self.group.checkedButton()
        return checked.property("choice") if checked is not None else None

    @classmethod
    def ask(cls, report: str, conflicts: list[str], parent: QWidget | None = None) -> tuple[bool, str | None]:
        """(import?, conflict choice "replace"/"keep"/"copy" or None when there is no conflict)."""
        dlg = cls(report, conflicts, parent)
        ok = dlg.exec() == QDialog.DialogCode.Accepted
        return ok, dlg.choice()


class YearDialog(QDialog):
    """The budget year of an imported file whose year is in doubt (the choices, or another)."""

    def __init__(self, question: str, candidates: list[int], parent: QWidget | None = None) -> None:
        from PySide6.QtWidgets import QComboBox, QLabel, QVBoxLayout

        super().__init__(parent)
        self.setWindowTitle("确认预算年度")
        layout = QVBoxLayout(self)
        text = QLabel(question)
        text.setWordWrap(True)
        layout.addWidget(text)
        self.combo = QComboBox()
        self.combo.setObjectName("importYear")
        self.combo.setEditable(True)
        self.combo.addItems([str(y) for y in candidates])
        layout.addWidget(self.combo)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def year(self) -> int | None:
        text = self.combo.currentText().strip().removesuffix("年")
        return int(text) if text.isdigit() and 2000 <= int(text) <= 2099 else None

    @classmethod
    def ask(cls, question: str, candidates: list[int], parent: QWidget | None = None) -> int | None:
        """The year chosen, or None when cancelled (or not a year)."""
        dlg = cls(question, candidates, parent)
        return dlg.year() if dlg.exec() == QDialog.DialogCode.Accepted else None


class WaiveDialog(QDialog):
    """Ask for the written explanation (出错说明) that accepts a warning or hint."""

    def __init__(self, message: str, parent: QWidget | None = None) -> None:
        from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout

        super().__init__(parent)
        self.setWindowTitle("豁免问题（填写出错说明）")
        self.resize(520, 260)
        layout = QVBoxLayout(self)
        label = QLabel(message)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.text = QPlainTextEdit()
        self.text.setObjectName("waiveExplanation")
        self.text.setPlaceholderText("说明保留该写法的理由，如：按上级文件口径填写")
        layout.addWidget(self.text)
        self.refusal = QLabel("")
        self.refusal.setObjectName("waiveRefusal")
        self.refusal.setStyleSheet("color: #c62828")
        layout.addWidget(self.refusal)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def accept(self) -> None:
        # A waiver without a reason would pass the check silently: say why OK does nothing.
        if not self.text.toPlainText().strip():
            self.refusal.setText("出错说明不能为空：请写明保留该写法的理由")
            self.text.setFocus()
            return
        super().accept()

    @classmethod
    def ask(cls, message: str, parent: QWidget | None = None) -> str | None:
        """The explanation, or None when cancelled or left empty."""
        dlg = cls(message, parent)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return None
        return dlg.text.toPlainText().strip() or None


class ExportScopeDialog(QDialog):
    """Choose what to export or print: the current project, the selection, or the whole unit."""

    def __init__(self, options: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        from PySide6.QtWidgets import QButtonGroup, QRadioButton, QVBoxLayout

        super().__init__(parent)
        self.setWindowTitle("选择范围")
        layout = QVBoxLayout(self)
        self.group = QButtonGroup(self)
        for n, (key, label) in enumerate(options):
            rb = QRadioButton(label)
            rb.setProperty("scope", key)
            rb.setChecked(n == 0)
            self.group.addButton(rb)
            layout.addWidget(rb)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @classmethod
    def ask(cls, options: list[tuple[str, str]], parent: QWidget | None = None) -> str | None:
        """The chosen scope key ("project", "selection", "unit"), or None."""
        if len(options) == 1:
            return options[0][0]
        dlg = cls(options, parent)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return None
        checked = dlg.group.checkedButton()
        return str(checked.property("scope")) if checked is not None else None


class HelpDialog(QDialog):
    """The built-in guide to filling the tables."""

    def __init__(self, html: str, parent: QWidget | None = None) -> None:
        from PySide6.QtWidgets import QTextBrowser, QVBoxLayout

        super().__init__(parent)
        self.setObjectName("helpDialog")
        self.setWindowTitle("填报指南")
        self.resize(820, 680)
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser()
        self.browser.setObjectName("helpBrowser")
        self.browser.setOpenExternalLinks(False)
        self.browser.setHtml(html)
        layout.addWidget(self.browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    """A one-line text (monkeypatch this in tests); None when cancelled."""
    from PySide6.QtWidgets import QInputDialog

    value, ok = QInputDialog.getText(parent, title, label, text=text)
    return value if ok else None


def ask_year(parent: QWidget | None, title: str, label: str, year: int) -> int | None:
    """A budget year (monkeypatch this in tests); None when cancelled."""
    from PySide6.QtWidgets import QInputDialog

    value, ok = QInputDialog.getInt(parent, title, label, year, 2000, 2100)
    return value if ok else None


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    """Yes/No question (monkeypatch this in tests)."""
    from PySide6.QtWidgets import QMessageBox

    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes


def show_text(parent: QWidget | None, title: str, text: str) -> None:
    """A long read-only text in a resizable dialog (monkeypatch this in tests)."""
    from PySide6.QtWidgets import QPlainTextEdit, QVBoxLayout

    dlg = QDialog(parent)
    dlg.setWindowTitle(title)
    dlg.resize(720, 480)
    layout = QVBoxLayout(dlg)
    view = QPlainTextEdit(text)
    view.setObjectName("textView")
    view.setReadOnly(True)
    layout.addWidget(view)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dlg.reject)
    layout.addWidget(buttons)
    dlg.exec()
