"""Scale out on Dask: a bag of articles in, a bag of records out, one Extractor per worker.

    import dask.bag as db
    from nevextract.distributed import extract_bag
    records = extract_bag(db.from_sequence(items, npartitions=8), mode="hybrid").compute()

Items are what `Extractor.pipe` takes (page text, or a mapping with `text`/`html`, `id`, ...).
Dask is an optional dependency: `pip install "nevextract[dask]"`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import dask.bag

    from nevextract.extractor import Extractor, Item
    from nevextract.records import ArticleRecord, ErrorRecord

# Records travel back to the client in rounds of this many items, so memory stays bounded.
ROUND = 512

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
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
            with Client(cluster) as client:
                yield client
    else:
        with Client(scheduler) as client:
            yield client


def pipe_dask(
    items: Iterable[Item], client: Any, *, settings: dict[str, Any], batch_size: int = 16, partitions: int = 0,
) -> Iterator[ArticleRecord | ErrorRecord]:
    """Records for `items`, computed on the cluster `client` is connected to, in input order."""
    import dask.bag as db

    n = partitions or max(1, sum(client.nthreads().values()) * 2)
    it = iter(items)
    while chunk := list(islice(it, ROUND)):
        bag = extract_bag(db.from_sequence(chunk, npartitions=min(n, len(chunk))), batch_size=batch_size, **settings)
        yield from client.compute(bag).result()
