"""Errors that reach the user: each carries one Chinese sentence naming the file and reason."""

from __future__ import annotations

from pathlib import Path


class PerfGoalsError(Exception):
    """An error with a message fit to show the user as it is (Chinese)."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(PerfGoalsError):
    """A file or database given to us cannot be read (exit code 2 for ``check``)."""

    exit_code = 2


class StorageError(PerfGoalsError):
    """The database cannot be opened, migrated or written."""

    exit_code = 3


class UnsupportedFormatError(PerfGoalsError):
    """A format that this version cannot read or write yet."""

    exit_code = 4


def file_error(path: str | Path, reason: str, cls: type[PerfGoalsError] = InputError) -> PerfGoalsError:
    """Build the standard message: ``文件“name”<reason>``."""
    return cls(f"文件“{Path(path)}”{reason}")
