"""Many articles on several processes: each worker holds one `Extractor`, chunks of items
go out in order and records come back in the same order.

On Linux the workers are forked from the process that already loaded the extractor, so they
start in milliseconds and share its memory pages; elsewhere they are spawned and load their
own from the same settings.
"""

from __future__ import annotations

import multiprocessing as mp
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nevextract.extractor import Extractor, Item
    from nevextract.records import ArticleRecord, ErrorRecord

_WORKER: Extractor | None = None


def _init_spawned(settings: dict[str, Any]) -> None:
    global _WORKER
    from nevextract.extractor import Extractor

    _WORKER = Extractor(**settings)


def _work(chunk: list[Item], batch_size: int) -> list[ArticleRecord | ErrorRecord]:
    assert _WORKER is not None, "worker started without an extractor"
    return list(_WORKER.pipe(chunk, batch_size=batch_size))


def pipe_parallel(
    extractor: Extractor, items: Iterable[Item], *, workers: int, batch_size: int = 16
) -> Iterator[ArticleRecord | ErrorRecord]:
    """`extractor.pipe` over `workers` processes, in input order; at most two chunks per
    worker are in flight, so memory stays flat however long the input."""
    global _WORKER
    fork = "fork" in mp.get_all_start_methods()
    if fork:
        _WORKER = extractor  # inherited by the forked workers
        pool = ProcessPoolExecutor(workers, mp_context=mp.get_context("fork"))
    else:
        pool = ProcessPoolExecutor(
            workers, mp_context=mp.get_context("spawn"), initializer=_init_spawned,
            initargs=(extractor.settings(),),
        )
    chunk_size = max(1, batch_size)
    pending: deque[Future[list[ArticleRecord | ErrorRecord]]] = deque()
    it = iter(items)
    try:
        while chunk := list(islice(it, chunk_size)):
            pending.append(pool.submit(_work, chunk, batch_size))
            while len(pending) >= workers * 2:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        if fork:
            _WORKER = None
