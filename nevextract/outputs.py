"""Writing records: JSON Lines files that are never left half-written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from types import TracebackType
from typing import IO

from pydantic import BaseModel


class AtomicJsonl:
    """Writes records to a temporary file beside `path` and renames it into place on a clean
    exit, so readers see the old file or the complete new one, never a partial one."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._tmp: IO[str] | None = None
        self._tmp_name = ""

    def __enter__(self) -> AtomicJsonl:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        self._tmp = os.fdopen(fd, "w", encoding="utf-8")
        self._tmp_name = name
        return self

    def write(self, record: BaseModel) -> None:
        assert self._tmp is not None, "use AtomicJsonl as a context manager"
        self._tmp.write(record.model_dump_json() + "\n")

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._tmp is not None
        tmp_name = self._tmp_name
        try:
            if exc_type is None:
                self._tmp.flush()
                os.fsync(self._tmp.fileno())
        finally:
            self._tmp.close()
        if exc_type is None:
            os.replace(tmp_name, self.path)
        else:
            os.unlink(tmp_name)
