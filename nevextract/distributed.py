"""Scale out on Dask: a bag of articles in, a bag of records out, one Extractor per worker.

    import dask.bag as db
    from nevextract.distributed import extract_bag
    records = extract_bag(db.from_sequence(items, npartitions=8), mode="hybrid").compute()

Items are what `Extractor.pipe` takes (page text, or a mapping with `text`/`html`, `id`, ...).
Dask is an optional dependency: `pip install "nevextract[dask]"`.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import islice
from typing import TYPE_CHECKING, Any

from nevextract.records import ErrorInfo, ErrorRecord

if TYPE_CHECKING:
    import dask.bag

    from nevextract.extractor import Extractor, Item
    from nevextract.records import ArticleRecord

# With no worker connected for this long, a run gives up rather than wait forever.
WORKER_TIMEOUT_S = 60.0
# How often the client looks at the cluster while it waits for a batch.
POLL_S = 1.0


class DaskError(RuntimeError):
    """The cluster cannot finish the run (no workers, scheduler gone); one line for the user."""

_EXTRACTORS: dict[tuple[Any, ...], Extractor] = {}


def _extractor(settings: dict[str, Any]) -> Extractor:
    """The worker process's Extractor for these settings, loaded on first use."""
    from nevextract.extractor import Extractor

    key = (settings["mode"], tuple(settings["patterns"]), settings["model"], settings["max_chars"])
    if key not in _EXTRACTORS:
        _EXTRACTORS[key] = Extractor(**settings)
    return _EXTRACTORS[key]


def _partition(items: Iterable[Item], settings: dict[str, Any], batch_size: int) -> list[ArticleRecord | ErrorRecord]:
    return list(_extractor(settings).pipe(list(items), batch_size=batch_size))


def extract_bag(
    bag: dask.bag.Bag, *, mode: str = "hybrid", patterns: Sequence[str] = (), model: str | None = None,
    max_chars: int | None = None, batch_size: int = 16,
) -> dask.bag.Bag:
    """A bag of records (`ArticleRecord` or `ErrorRecord`) for a bag of items, in the same order."""
    from nevextract.extractor import DEFAULT_MAX_CHARS

    settings = {"mode": mode, "patterns": [str(p) for p in patterns], "model": model,
                "max_chars": max_chars or DEFAULT_MAX_CHARS}
    return bag.map_partitions(_partition, settings, batch_size)


@contextmanager
def connect(scheduler: str, workers: int = 2) -> Iterator[Any]:
    """A Dask client, closed on exit: `local` starts (and stops) a LocalCluster of `workers`
    single-threaded processes; anything else is a scheduler address (tcp://host:8786)."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise RuntimeError('Dask is not installed: pip install "nevextract[dask]"') from exc
    if scheduler == "local":
        # Worker processes are spawned with SIGINT ignored (an ignored signal is the one
        # disposition that survives exec): Ctrl-C reaches the whole process group, and it is
        # the parent's to handle - it closes the cluster - not each worker's, which would
        # print its own traceback. Their routine warnings on shutdown are silenced likewise.
        with _sigint_ignored():
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                                   silence_logs=logging.ERROR)
        with cluster, Client(cluster) as client:
            yield client
    else:
        try:
            client = Client(scheduler)
        except (OSError, TimeoutError, ValueError) as exc:
            raise DaskError(f"cannot connect to the Dask scheduler {scheduler}: {exc}") from exc
        with client:
            yield client


@contextmanager
def _sigint_ignored() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread can change handlers; the workers then keep Dask's own
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def pipe_dask(
    items: Iterable[Item], client: Any, *, settings: dict[str, Any], batch_size: int = 16, partitions: int = 0,
    worker_timeout: float = WORKER_TIMEOUT_S,
) -> Iterator[ArticleRecord | ErrorRecord]:
    """Records for `items`, computed on the cluster `client` is connected to, in input order.

    Items go out in batches of `batch_size`, at most `partitions` batches at a time (default:
    two per worker thread), and each batch's records come back as soon as it and those before
    it are done, so a progress bar moves steadily and memory stays bounded. A batch whose
    worker died running it (Dask's `KilledWorker`) becomes one error record per item; with no
    worker at all for `worker_timeout` seconds, `DaskError` is raised."""
    threads = _threads(client)
    in_flight = partitions or max(2, threads * 2)
    size = max(1, batch_size)
    pending: deque[tuple[list[Item], Any]] = deque()
    it = iter(items)
    try:
        while True:
            while len(pending) < in_flight and (chunk := list(islice(it, size))):
                pending.append((chunk, client.submit(_partition, chunk, settings, batch_size, pure=False)))
            if not pending:
                return
            chunk, future = pending[0]
            records = _wait(client, future, chunk, worker_timeout)
            pending.popleft()
            yield from records
    finally:
        if pending:  # stopped early: the cluster need not finish what nobody will read
            _cancel(client, [f for _, f in pending])


def _cancel(client: Any, futures: list[Any]) -> None:
    """Cancel tasks whose results nobody will read. If that fails while another exception is
    on its way out (the one the user must see), the failure is noted on it, not raised."""
    try:
        client.cancel(futures)
    except Exception as exc:  # noqa: BLE001 - re-raised, or noted on the exception in flight
        current = sys.exc_info()[1]
        if current is None or current is exc:
            raise
        current.add_note(f"also, cancelling the remaining Dask tasks failed: {type(exc).__name__}: {exc}")


def _threads(client: Any) -> int:
    try:
        return sum(client.nthreads().values())
    except (OSError, TimeoutError) as exc:
        raise DaskError(f"cannot reach the Dask scheduler: {exc}") from exc


def _wait(client: Any, future: Any, chunk: list[Item], worker_timeout: float) -> list[ArticleRecord | ErrorRecord]:
    """The records of one batch, waiting for them without ever waiting forever. A batch can
    be done and then lost with its worker before its records are fetched (the scheduler runs
    it again, if a worker is left), so fetching is bounded too: by a time that doubles on each
    try, so a large batch over a slow link still gets through."""
    from distributed import wait

    idle_since: float | None = None
    fetch_s = 5 * POLL_S
    while True:
        if future.done():
            try:
                return _records_of(future, chunk, fetch_s)
            except TimeoutError:
                fetch_s *= 2  # lost with its worker, or a slow fetch: check the workers, then again
        else:
            try:
                wait([future], timeout=POLL_S)
                continue
            except TimeoutError:
                pass  # still running: give up only when no worker is left to run it
        if _threads(client):
            idle_since = None
        elif idle_since is None:
            idle_since = time.monotonic()
        elif time.monotonic() - idle_since >= worker_timeout:
            raise DaskError(
                f"no Dask worker for {worker_timeout:g} s (all died, or none joined the scheduler "
                f"{client.scheduler.address}); records finished so far were kept"
            )


def _records_of(future: Any, chunk: list[Item], timeout: float) -> list[ArticleRecord | ErrorRecord]:
    """A finished batch's records; TimeoutError when they cannot be fetched within `timeout`."""
    from distributed import KilledWorker

    try:
        return future.result(timeout=timeout)
    except TimeoutError:
        raise
    except KilledWorker as exc:
        last = getattr(exc.last_worker, "address", exc.last_worker)
        message = (f"Dask workers died {exc.allowed_failures + 1} times running the batch of {len(chunk)} "
                   f"page(s) this page was in (the last on {last}); a page too large for a worker's memory?")
        return [_batch_error(item, n, "KilledWorker", message) for n, item in enumerate(chunk)]
    except Exception as exc:  # noqa: BLE001 - sorted out by the future's state
        if future.status == "error":  # the task raised: its pages get error records, the run goes on
            return _task_failed(future, chunk)
        raise DaskError(f"the Dask run stopped ({future.status}): {type(exc).__name__}: {exc}") from exc


def _task_failed(future: Any, chunk: list[Item]) -> list[ArticleRecord | ErrorRecord]:
    exc = future.exception()
    return [_batch_error(item, n, type(exc).__name__, f"the Dask task failed: {exc}") for n, item in enumerate(chunk)]


def _batch_error(item: Item, n: int, kind: str, message: str) -> ErrorRecord:
    """The error record of one item of a batch that failed as a whole; an item that already
    was an error record keeps its own."""
    if isinstance(item, ErrorRecord):
        return item
    fields: Mapping[str, Any] = item if isinstance(item, Mapping) else {}
    return ErrorRecord(
        id=str(fields.get("id") or f"item-{n}"), path=fields.get("path"), error=ErrorInfo(type=kind, message=message)
    )
