"""Many articles on several processes: each worker holds one `Extractor`, chunks of items
go out in order and records come back in the same order.

On Linux the workers are forked from the process that already loaded the extractor, so they
start in milliseconds and share its memory pages; elsewhere they are spawned and load their
own from the same settings.

Workers never outlive the process that started them: on Linux the kernel kills each one when
its parent dies (even by SIGKILL, which leaves no chance to clean up), elsewhere a thread in
the worker watches the parent. Signals meant for the parent - Ctrl-C reaches the whole process
group - are left to it: it stops the workers itself.
"""

from __future__ import annotations

import ctypes
import multiprocessing as mp
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nevextract.extractor import Extractor, Item
    from nevextract.records import ArticleRecord, ErrorRecord

_WORKER: Extractor | None = None


# prctl(2) option: the signal a process gets when its parent dies
_PR_SET_PDEATHSIG = 1
# How often a worker without prctl looks whether its parent is still there.
PARENT_POLL_S = 1.0
# How long a terminated worker has to end before it is killed.
_TERMINATE_WAIT_S = 5.0


def die_with_parent(parent: int) -> None:
    """Make this process exit when `parent` (the pid it was started by) dies."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            ok = libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
        except (OSError, AttributeError):
            ok = False  # no usable libc: watch the parent instead
        if ok:
            if os.getppid() != parent:  # it died before prctl took effect
                os._exit(1)
            return
    threading.Thread(target=_watch_parent, args=(parent,), name="nevextract-parent-watch", daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_S)
    os._exit(1)  # orphaned: nobody will read our results


def _worker_signals() -> None:
    """A forked worker inherits the parent's handlers, which turn signals into exceptions for
    the parent's clean-up; a worker has nothing to clean up. Ctrl-C is the parent's to handle
    (it stops the workers); SIGTERM and SIGHUP end a worker at once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)


def _init_forked(parent: int) -> None:
    _worker_signals()
    die_with_parent(parent)


def _init_spawned(settings: dict[str, Any], parent: int) -> None:
    global _WORKER
    _worker_signals()
    die_with_parent(parent)
    from nevextract.extractor import Extractor

    _WORKER = Extractor(**settings)


def _work(chunk: list[Item], batch_size: int) -> list[ArticleRecord | ErrorRecord]:
    assert _WORKER is not None, "worker started without an extractor"
    return list(_WORKER.pipe(chunk, batch_size=batch_size))


def pipe_parallel(
    extractor: Extractor, items: Iterable[Item], *, workers: int, batch_size: int = 16
) -> Iterator[ArticleRecord | ErrorRecord]:
    """`extractor.pipe` over `workers` processes, in input order; at most two chunks per
    worker are in flight, so memory stays flat however long the input. If the caller stops
    early (an exception, Ctrl-C, closing the generator), the workers are stopped at once
    rather than left to finish their chunks."""
    global _WORKER
    fork = "fork" in mp.get_all_start_methods()
    if fork:
        _WORKER = extractor  # inherited by the forked workers
        pool = ProcessPoolExecutor(
            workers, mp_context=mp.get_context("fork"), initializer=_init_forked, initargs=(os.getpid(),)
        )
    else:
        pool = ProcessPoolExecutor(
            workers, mp_context=mp.get_context("spawn"), initializer=_init_spawned,
            initargs=(extractor.settings(), os.getpid()),
        )
    chunk_size = max(1, batch_size)
    pending: deque[Future[list[ArticleRecord | ErrorRecord]]] = deque()
    it = iter(items)
    finished = False
    try:
        while chunk := list(islice(it, chunk_size)):
            pending.append(pool.submit(_work, chunk, batch_size))
            while len(pending) >= workers * 2:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
        finished = True
    finally:
        if not finished:
            _stop_workers(pool)
        pool.shutdown(wait=True, cancel_futures=True)
        if fork:
            _WORKER = None


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """End the pool's workers now. The executor has no public way to do it: `shutdown` waits
    for the chunks being processed, which can take seconds after Ctrl-C.

    A worker ended while it was sending a result leaves half a message in the results pipe:
    the pool's manager thread would wait for the rest forever (this process holds the pipe's
    write end too), and `shutdown` and the interpreter's exit with it. Once the workers are
    gone, closing that write end turns the wait into end-of-file, which the pool reads as a
    broken pool and winds up."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(_TERMINATE_WAIT_S)
        if process.is_alive():
            process.kill()
            process.join()
    results = getattr(pool, "_result_queue", None)
    writer = getattr(results, "_writer", None)
    if writer is not None:
        writer.close()
