"""Dask runs that cannot hang: a cluster with no worker left ends the run with one line, records
come back batch by batch as they are done, a batch whose worker died becomes error records."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

pytest.importorskip("distributed")
from distributed import Client, KilledWorker, LocalCluster  # noqa: E402

from nevextract.distributed import DaskError, _wait, pipe_dask  # noqa: E402
from nevextract.records import ErrorRecord  # noqa: E402

SETTINGS = {"mode": "rules", "patterns": [], "model": None, "max_chars": 1_000_000}
ITEMS = [{"id": f"i{n:02d}", "text": f"BYD sold {n + 1},000 cars in March, the CPCA said.", "clean": False} for n in range(30)]


@pytest.fixture()
def cluster() -> Iterator[LocalCluster]:
    """One worker thread in this process: quick to start, and gone when scaled to zero."""
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as c:
        yield c


def test_a_cluster_without_workers_ends_the_run_in_one_line(tmp_path: Path) -> None:
    page = tmp_path / "a.txt"
    page.write_text("BYD sold 300,000 cars in March, the CPCA said.\n", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    out.write_text("previous\n", encoding="utf-8")
    with LocalCluster(n_workers=0, processes=False, protocol="tcp", dashboard_address=None) as empty:
        proc = subprocess.run(
            [sys.executable, "-m", "nevextract.cli", "extract", str(page), "--out", str(out), "--mode", "rules",
             "-q", "--dask", empty.scheduler_address, "--dask-timeout", "1"],
            capture_output=True, text=True, timeout=120, check=False,
        )
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        f"nevextract: no Dask worker for 1 s (all died, or none joined the scheduler {empty.scheduler_address}); "
        "records finished so far were kept"
    ]
    assert out.read_text(encoding="utf-8") == "previous\n"


def test_workers_that_all_leave_midway_end_the_run(cluster: LocalCluster) -> None:
    with Client(cluster) as client:
        records = pipe_dask(iter(ITEMS), client, settings=SETTINGS, batch_size=1, worker_timeout=1)
        assert next(records).id == "i00"
        cluster.scale(0)
        with pytest.raises(DaskError, match=r"^no Dask worker for 1 s \(all died, or none joined"):
            list(records)


def test_records_come_back_as_their_batches_finish(cluster: LocalCluster) -> None:
    pulled: list[str] = []

    def items() -> Iterator[dict[str, Any]]:
        for item in ITEMS:
            pulled.append(item["id"])
            yield item

    with Client(cluster) as client:
        records = pipe_dask(items(), client, settings=SETTINGS, batch_size=1)
        first = next(records)
        # one worker thread: two batches in flight, so the first record is back while 28 pages
        # have not even been read (a progress bar moves with each one)
        assert (first.id, pulled) == ("i00", ["i00", "i01"])
        rest = list(records)
    assert [(r.id, type(r).__name__) for r in rest] == [(item["id"], "ArticleRecord") for item in ITEMS[1:]]


class _DeadWorkerFuture:
    """What a batch's future does when its worker died each time it ran it."""

    key = "batch-1"
    status = "error"

    def result(self, timeout: float | None = None) -> list[Any]:
        raise KilledWorker("batch-1", SimpleNamespace(address="tcp://127.0.0.1:1"), 3)

    def done(self) -> bool:
        return True


def test_a_batch_whose_worker_died_becomes_error_records() -> None:
    failed = ErrorRecord.model_validate({"id": "gone", "path": "gone.txt", "error": {"type": "FileNotFoundError", "message": "x"}})
    chunk: list[Any] = [{"id": "a", "path": "in/a.txt", "text": "..."}, failed]
    recs = _wait(None, _DeadWorkerFuture(), chunk, worker_timeout=1)
    assert [(r.id, r.path, r.error.type) for r in recs] == [("a", "in/a.txt", "KilledWorker"), ("gone", "gone.txt", "FileNotFoundError")]
    assert recs[0].error.message == ("Dask workers died 4 times running the batch of 2 page(s) this page was in "
                                     "(the last on tcp://127.0.0.1:1); a page too large for a worker's memory?")


def test_an_unreachable_scheduler_is_one_line(tmp_path: Path) -> None:
    page = tmp_path / "a.txt"
    page.write_text("BYD sold 300,000 cars in March, the CPCA said.\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "nevextract.cli", "extract", str(page), "--mode", "rules", "-q",
         "--dask", "tcp://127.0.0.1:9"],  # the discard port: nothing listens there
        capture_output=True, text=True, timeout=120, check=False, env={**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"},
    )
    assert proc.returncode == 2
    [line] = proc.stderr.splitlines()
    assert line.startswith("nevextract: cannot connect to the Dask scheduler tcp://127.0.0.1:9: ")
