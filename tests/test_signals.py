"""Stopping a run: signals end it with one line and the usual exit status, leave the old output
whole and no temporary file, take the worker processes along; a closed pipe is silent; outputs
are created with the permissions of any other file (the umask)."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sqlite3
import stat
import struct
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from nevextract.batch import _stop_workers
from nevextract.cli import main
from nevextract.outputs import _open_unnamed
from nevextract.records import ArticleRecord
from nevextract.store import Store

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
linux_only = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")


def _pages(folder: Path, n: int) -> None:
    folder.mkdir()
    for i in range(n):
        text = SEEDS[i % len(SEEDS)].read_text(encoding="utf-8") + f"\n\nPage number {i} of the run.\n"
        (folder / f"page-{i:03d}.txt").write_text(text, encoding="utf-8")


def _children(pid: int) -> list[int]:
    """Live processes whose parent is `pid`."""
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                out.append(int(entry))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _default_signals() -> None:
    """The run starts as from a terminal: a test runner started under `nohup` or in the
    background passes SIGHUP or SIGINT on ignored, and nevextract keeps signals it was
    started with ignored (as it should), which would make these tests wait in vain."""
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)


def _start(tmp_path: Path, *extra: str, workers: int = 2) -> subprocess.Popen[bytes]:
    """An extraction of 120 pages into --out (which holds an older result) and --db, running
    until it has stored two articles and started its workers."""
    _pages(tmp_path / "in", 120)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "o.jsonl").write_text("previous\n", encoding="utf-8")
    db = tmp_path / "out" / "r.sqlite"
    cmd = [sys.executable, "-m", "nevextract.cli", "extract", str(tmp_path / "in"), "--out", str(tmp_path / "out" / "o.jsonl"),
           "--db", str(db), "--mode", "rules", "-q", "--batch-size", "1", "--workers", str(workers), *extra]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, start_new_session=True, preexec_fn=_default_signals)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)
        if not db.exists():
            continue
        con = sqlite3.connect(db, timeout=1)
        try:
            stored = con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        except sqlite3.Error:  # the run is still creating the store
            continue
        finally:
            con.close()
        if stored >= 2 and len(_children(proc.pid)) >= workers:
            return proc
    proc.kill()
    raise AssertionError(f"the run did not get going: {proc.stderr.read().decode() if proc.stderr else ''}")


def _leftovers(folder: Path) -> list[str]:
    return sorted(set(os.listdir(folder)) - {"o.jsonl", "r.sqlite", "r.sqlite-wal", "r.sqlite-shm"})


@linux_only
@pytest.mark.parametrize(
    ("name", "group", "status"),
    [("SIGINT", True, 130), ("SIGTERM", False, 143), ("SIGHUP", False, 129)],
    ids=["ctrl-c-to-the-process-group", "sigterm", "sighup"],
)
def test_a_signal_stops_the_run_in_one_line_and_leaves_the_old_output(
    tmp_path: Path, name: str, group: bool, status: int
) -> None:
    proc = _start(tmp_path)
    workers = _children(proc.pid)
    signum = getattr(signal, name)
    (os.killpg if group else os.kill)(proc.pid, signum)  # Ctrl-C reaches the workers too
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == status
    assert err.decode() == f"nevextract: stopped by {name}\n"
    out = tmp_path / "out"
    assert (out / "o.jsonl").read_text(encoding="utf-8") == "previous\n"
    assert _leftovers(out) == []
    deadline = time.monotonic() + 30
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [w for w in workers if _alive(w)] == []
    with sqlite3.connect(out / "r.sqlite") as con:  # what was stored is whole
        assert con.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        assert con.execute("SELECT COUNT(*) FROM articles").fetchone()[0] >= 2


@linux_only
def test_kill_9_of_the_parent_takes_its_workers_along(tmp_path: Path) -> None:
    proc = _start(tmp_path)
    workers = _children(proc.pid)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    deadline = time.monotonic() + 30  # a guard against waiting forever, not a measurement
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [w for w in workers if _alive(w)] == []
    out = tmp_path / "out"
    assert (out / "o.jsonl").read_text(encoding="utf-8") == "previous\n"
    fd = _open_unnamed(out)
    if fd is not None:  # the file system has unnamed files: nothing was ever named
        os.close(fd)
        assert _leftovers(out) == []


def test_temporary_files_of_killed_writers_are_removed_by_the_next(tmp_path: Path) -> None:
    """Where unnamed files are not available, a killed writer leaves `.<name>.<pid>.<x>.tmp`."""
    db, out = tmp_path / "r.sqlite", tmp_path / "all.jsonl"
    with Store(db) as store:
        store.put(ArticleRecord(id="a", body="BYD sold cars."), "k")
    dead = tmp_path / ".all.jsonl.999999999.k3j2h1.tmp"  # above any pid_max: no such process
    running = tmp_path / f".all.jsonl.{os.getpid()}.a8b7c6.tmp"  # a live writer's: left alone
    unknown = tmp_path / ".all.jsonl.zz9x.tmp"  # no pid in it (older versions): left alone
    for f in (dead, running, unknown):
        f.write_text("partial", encoding="utf-8")
    assert main(["export", "--db", str(db), "--out", str(out)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["r.sqlite", "all.jsonl", running.name, unknown.name])


@pytest.mark.parametrize("command", [["schema"], ["summary", "RESULTS"], ["sources"]])
def test_a_closed_pipe_on_stdout_is_silent(tmp_path: Path, command: list[str]) -> None:
    """`nevextract schema | head -1`: the reader is gone before the writing ends."""
    results = tmp_path / "results.jsonl"
    results.write_text(json.dumps(ArticleRecord(id="a", body="BYD sold cars.").model_dump()) + "\n", encoding="utf-8")
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "nevextract.cli", *[str(results) if c == "RESULTS" else c for c in command]],
            stdout=write_end, stderr=subprocess.PIPE, timeout=120, check=False,
        )
    finally:
        os.close(write_end)
    assert proc.stderr.decode() == ""
    assert proc.returncode == 128 + signal.SIGPIPE  # 141, what a shell reports for a closed pipe


def test_outputs_follow_the_umask_and_keep_an_existing_files_mode(tmp_path: Path) -> None:
    page = tmp_path / "a.txt"
    page.write_text("BYD sold 300,000 cars in March, the CPCA said.\n", encoding="utf-8")
    db, out, exported = tmp_path / "r.sqlite", tmp_path / "out.jsonl", tmp_path / "all.jsonl"
    old = os.umask(0o027)
    try:
        assert main(["extract", str(page), "--out", str(out), "--db", str(db), "--mode", "rules", "-q"]) == 0
        assert main(["export", "--db", str(db), "--out", str(exported)]) == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o640
        assert stat.S_IMODE(exported.stat().st_mode) == 0o640
        os.umask(0o022)
        exported.chmod(0o600)  # someone made it private: rewriting it keeps it private
        assert main(["export", "--db", str(db), "--out", str(exported)]) == 0
        assert main(["extract", str(page), "--out", str(out), "--mode", "rules", "-q"]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(exported.stat().st_mode) == 0o600
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == []


def _refuse_link(fd: int, folder: Path, name: str) -> None:
    raise OSError(18, "Invalid cross-device link")  # what some sandboxes answer


@pytest.mark.parametrize("system", ["unnamed-files", "no-unnamed-files", "unnamed-files-link-refused"])
def test_an_output_is_whole_and_alone_however_temporary_files_are_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, system: str
) -> None:
    from nevextract import outputs

    if system == "no-unnamed-files":
        monkeypatch.setattr(outputs, "_open_unnamed", lambda folder: None)
    elif system == "unnamed-files-link-refused":
        monkeypatch.setattr(outputs, "_link_unnamed", _refuse_link)
    path = tmp_path / "a.jsonl"
    rec = ArticleRecord(id="a", body="BYD sold cars.")
    old = os.umask(0o022)
    try:
        with outputs.AtomicJsonl(path) as out:
            for _ in range(3):
                out.write(rec)
    finally:
        os.umask(old)
    written = path.read_text(encoding="utf-8")
    assert written == (rec.model_dump_json() + "\n") * 3
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    with pytest.raises(KeyboardInterrupt), outputs.AtomicJsonl(path) as out:
        out.write(rec)
        raise KeyboardInterrupt
    assert path.read_text(encoding="utf-8") == written
    assert os.listdir(tmp_path) == ["a.jsonl"]


_RESULTS_WRITER: int | None = None  # the pool's results pipe, inherited by its forked workers


def _half_a_result(_: int) -> None:
    """A worker stopped while sending its result: a 1,000-byte message is announced, seven
    bytes of it are written, and nothing more comes."""
    assert _RESULTS_WRITER is not None
    os.write(_RESULTS_WRITER, struct.pack("!i", 1000) + b"partial")
    time.sleep(300)


@linux_only
def test_stopping_workers_mid_result_does_not_hang_the_pool(tmp_path: Path) -> None:
    """The pool's manager thread, reading a half-sent result, would wait for the rest forever
    and `shutdown` with it (CI saw a SIGTERM hang this way); stopping the workers must end
    that wait."""
    global _RESULTS_WRITER
    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
    _RESULTS_WRITER = pool._result_queue._writer.fileno()  # type: ignore[attr-defined]
    future = pool.submit(_half_a_result, 0)
    deadline = time.monotonic() + 60
    while not future.running() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # the seven bytes are in the pipe; the manager thread is reading them
    _stop_workers(pool)
    done = threading.Thread(target=pool.shutdown, kwargs={"wait": True, "cancel_futures": True}, daemon=True)
    done.start()
    done.join(60)  # a guard against waiting forever, not a measurement
    assert not done.is_alive()
    assert type(future.exception(timeout=0)).__name__ == "BrokenProcessPool"


class _InterruptAfterCommit:
    """A connection whose COMMIT is followed at once by Ctrl-C, as a signal can land there."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def execute(self, sql: str, *args: object) -> sqlite3.Cursor:
        cursor = self.db.execute(sql, *args)
        if sql == "COMMIT":
            raise KeyboardInterrupt
        return cursor

    def __getattr__(self, name: str) -> object:
        return getattr(self.db, name)


def test_a_signal_right_after_commit_stays_a_signal_and_the_record_stays_stored(tmp_path: Path) -> None:
    with Store(tmp_path / "r.sqlite") as store:
        real = store.db
        store.db = _InterruptAfterCommit(real)  # type: ignore[assignment]
        with pytest.raises(KeyboardInterrupt):
            store.put(ArticleRecord(id="a", body="BYD sold cars."), "k")
        store.db = real
        assert store.status("a", "k") == "same"
