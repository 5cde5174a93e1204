"""Writing records: JSON Lines files that are never left half-written.

The new file is written beside the old one and renamed over it only once it is complete, so
a reader sees the old file or the new one, never a part. Where the system allows (Linux), the
file being written has no name at all until it is complete (`O_TMPFILE`), so a run that is
killed - even by SIGKILL, which no program can catch - leaves no temporary file behind.
Elsewhere the temporary file's name carries the writer's process id, and the next writer to
the same output removes those whose process is gone.
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from pathlib import Path
from types import TracebackType
from typing import IO

from pydantic import BaseModel


def _umask() -> int:
    """The process's umask. Linux shows it in /proc; elsewhere it can only be read by setting
    it, so it is set back at once."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def new_file_mode(path: Path) -> int:
    """The permissions a plain `open(path, "w")` would give: an existing file keeps its own,
    a new one gets 0666 less the umask (0644 usually) - not the 0600 of `mkstemp`."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~_umask()


class AtomicJsonl:
    """Writes records to a temporary file beside `path` and renames it into place on a clean
    exit, so readers see the old file or the complete new one, never a partial one. Any
    exception (KeyboardInterrupt and termination included) discards the new file."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._tmp: IO[str] | None = None
        self._tmp_name: str | None = None  # None while the file has no name (O_TMPFILE)
        self._mode = 0o644

    def __enter__(self) -> AtomicJsonl:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_temps(self.path)
        mode = new_file_mode(self.path)
        fd = _open_unnamed(self.path.parent)
        if fd is None:
            fd, self._tmp_name = tempfile.mkstemp(prefix=f"{_temp_prefix(self.path)}{os.getpid()}.", suffix=".tmp",
                                                  dir=self.path.parent)
        try:
            os.fchmod(fd, mode)
        except OSError:
            os.close(fd)
            if self._tmp_name is not None:
                os.unlink(self._tmp_name)
            raise
        self._mode = mode
        self._tmp = os.fdopen(fd, "w", encoding="utf-8")
        return self

    def write(self, record: BaseModel) -> None:
        assert self._tmp is not None, "use AtomicJsonl as a context manager"
        self._tmp.write(record.model_dump_json() + "\n")

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._tmp is not None
        tmp = self._tmp
        try:
            if exc_type is None:
                tmp.flush()
                os.fsync(tmp.fileno())
                if self._tmp_name is None:
                    # give the finished file a name only now, then rename it over the old one
                    name = f"{_temp_prefix(self.path)}{os.getpid()}.{secrets.token_hex(4)}.tmp"
                    try:
                        _link_unnamed(tmp.fileno(), self.path.parent, name)
                        self._tmp_name = str(self.path.parent / name)
                    except OSError:  # /proc refuses the link (some sandboxes): copy it to a named file
                        self._tmp_name = _copy_to_named(tmp.fileno(), self.path, self._mode)
        except BaseException:
            tmp.close()
            if self._tmp_name is not None:
                _unlink_quietly(self._tmp_name)
            raise
        tmp.close()
        if self._tmp_name is None:  # failed before the file was named: closing it discarded it
            return
        if exc_type is None:
            try:
                os.replace(self._tmp_name, self.path)
            except BaseException:
                _unlink_quietly(self._tmp_name)
                raise
            _fsync_dir(self.path.parent)
        else:
            _unlink_quietly(self._tmp_name)


def _temp_prefix(path: Path) -> str:
    return f".{path.name}."


def _open_unnamed(folder: Path) -> int | None:
    """A file descriptor of a new file in `folder` that has no name yet, or None where the
    system or file system has no such thing (then a named temporary file is used)."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None or not os.path.exists("/proc/self/fd"):
        return None
    try:
        return os.open(folder, flag | os.O_RDWR, 0o600)  # readable: see _copy_to_named
    except OSError:  # e.g. EOPNOTSUPP on a file system without it: fall back to a named file
        return None


def _link_unnamed(fd: int, folder: Path, name: str) -> None:
    """Give the unnamed file `fd` the name `folder/name`. It must be linkat(2) with
    AT_SYMLINK_FOLLOW on its /proc entry; Python uses that call only when a folder descriptor
    is given (plain link(2) would try to link the /proc symlink itself and fail with EXDEV)."""
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.link(f"/proc/self/fd/{fd}", name, dst_dir_fd=dir_fd, follow_symlinks=True)
    finally:
        os.close(dir_fd)


def _copy_to_named(fd: int, path: Path, mode: int) -> str:
    """A named temporary copy of the unnamed file `fd`, complete and synced."""
    out_fd, name = tempfile.mkstemp(prefix=f"{_temp_prefix(path)}{os.getpid()}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(out_fd, mode)
        os.lseek(fd, 0, os.SEEK_SET)
        while chunk := os.read(fd, 1 << 20):
            view = memoryview(chunk)
            while view:
                view = view[os.write(out_fd, view):]
        os.fsync(out_fd)
    except BaseException:
        os.close(out_fd)
        _unlink_quietly(name)
        raise
    os.close(out_fd)
    return name


def _remove_stale_temps(path: Path) -> None:
    """Temporary files of earlier writers to `path` that were killed before they could clean
    up: named `.<name>.<pid>.<random>.tmp`, removed when no process `pid` is running."""
    pattern = re.compile(re.escape(_temp_prefix(path)) + r"(\d{1,10})\.[A-Za-z0-9_]{1,64}\.tmp")
    try:
        names = os.listdir(path.parent)
    except OSError:
        return
    for name in names:
        m = pattern.fullmatch(name)
        if m and not _process_exists(int(m.group(1))):
            _unlink_quietly(str(path.parent / name))


def _process_exists(pid: int) -> bool:
    if pid <= 0:
        return True  # not a pid we wrote: leave the file alone
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # someone else's process, or not a valid pid: do not touch
    return True


def _unlink_quietly(name: str) -> None:
    try:
        os.unlink(name)
    except FileNotFoundError:
        pass  # already gone: what we wanted


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable; not every system can open a folder."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse fsync on a folder; the rename is still atomic
    finally:
        os.close(fd)
