"""The page a new user sees before the database holds anything."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget


class EmptyState(QWidget):
    """What a new user sees: import a file, create a unit, or open the sample."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        title = QLabel("欢迎使用绩效目标编报")
        title.setObjectName("emptyStateTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = title.font()
        font.setPointSize(font.pointSize() + 8)
        title.setFont(font)
        layout.addWidget(title)
        hint = QLabel("数据库中还没有绩效目标。您可以导入财政局下发或本单位填写的 Word / Excel 文件，\n"
                      "新建一个单位从头填写，或打开内置的示例文档熟悉软件。")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(hint)
        self.import_button = QPushButton("导入文件（docx / xlsx / json）…")
        self.import_button.setObjectName("emptyImportButton")
        self.new_unit_button = QPushButton("新建单位…")
        self.new_unit_button.setObjectName("emptyNewUnitButton")
        self.sample_button = QPushButton("打开示例文档")
        self.sample_button.setObjectName("emptySampleButton")
        for b in (self.import_button, self.new_unit_button, self.sample_button):
            b.setMinimumHeight(36)
            b.setFixedWidth(320)
            layout.addWidget(b, alignment=Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
