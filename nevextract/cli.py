"""The `nevextract` command line.

    nevextract extract seeds/ --out results.jsonl     # pages → one JSON line per article
    nevextract extract new/ --db results.sqlite       # … into SQLite, skipping what is stored
    nevextract export --db results.sqlite --out all.jsonl
    nevextract summary results.jsonl                  # a readable table
    nevextract sources                                # the news sites nevextract knows
    nevextract patterns check DIR                     # validate a folder of your patterns
    nevextract schema                                 # the record's JSON Schema
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from typing import Any, TextIO

from nevextract.distributed import DaskError
from nevextract.inputs import STDIN, expand, read_all
from nevextract.nlp import MODES
from nevextract.outputs import AtomicJsonl
from nevextract.patterns import PatternError, Problem
from nevextract.records import ArticleRecord, ErrorRecord
from nevextract.store import Store, StoreError, Unreadable, content_hash

# More inputs than this get a progress bar on stderr.
PROGRESS_AFTER = 3


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="nevextract", description="EV-industry news pages → validated records.")
    sub = p.add_subparsers(dest="command", required=True)

    ex = sub.add_parser("extract", help="extract records from pages (files, folders, globs)")
    ex.add_argument("paths", nargs="+", help="page files (.txt or .html), folders, or glob patterns")
    ex.add_argument("--out", "-o", help="JSON Lines file to write (default: stdout)")
    ex.add_argument("--mode", choices=MODES, default="hybrid", help="hybrid (default), rules or statistical")
    ex.add_argument("--patterns", action="append", default=[], metavar="DIR", help="a folder of your own patterns (repeatable)")
    ex.add_argument("--model", help="an installed spaCy pipeline to use instead of en_core_web_sm")
    ex.add_argument("--db", help="SQLite file to store records in; articles already stored are skipped")
    ex.add_argument("--force", action="store_true", help="with --db: process and store again what is already stored")
    ex.add_argument("--workers", type=int, default=1, help="worker processes (default 1; with --dask local: cluster size)")
    ex.add_argument("--dask", metavar="SCHEDULER", help="run on Dask: a scheduler address, or `local` for a LocalCluster")
    ex.add_argument("--dask-timeout", type=float, default=60.0, metavar="SECONDS",
                    help="with --dask: give up when no worker has been connected for this long (default 60)")
    ex.add_argument("--batch-size", type=int, default=16)
    ex.add_argument("--max-chars", type=int, default=None, help="longest article body accepted (default 1,000,000)")
    ex.add_argument("--format", choices=("auto", "html", "text"), default="auto",
                    help="what the pages are: html, text, or auto (default: told from each page)")
    ex.add_argument("--no-progress", action="store_true", help="no progress bar")
    ex.add_argument("--quiet", "-q", action="store_true", help="no progress bar, no summary line")

    exp = sub.add_parser("export", help="write every record stored in a SQLite file as JSON Lines")
    exp.add_argument("--db", required=True)
    exp.add_argument("--out", "-o", required=True)

    sub.add_parser("sources", help="list the news sites with a profile (shipped and --patterns)").add_argument(
        "--patterns", action="append", default=[], metavar="DIR"
    )
    pc = sub.add_parser("patterns", help="work with pattern folders")
    pc_sub = pc.add_subparsers(dest="patterns_command", required=True)
    chk = pc_sub.add_parser("check", help="validate pattern folders; each problem as file:line: reason")
    chk.add_argument("dirs", nargs="+", metavar="DIR")

    sh = sub.add_parser("show", help="a standalone HTML review page of one page's record")
    sh.add_argument("page", help="a page file (.txt or .html)")
    sh.add_argument("--html", required=True, help="where to write the review page")
    sh.add_argument("--mode", choices=MODES, default="hybrid")
    sh.add_argument("--patterns", action="append", default=[], metavar="DIR")

    ev = sub.add_parser("evaluate", help="score records against gold files (the format in docs/annotation.md)")
    ev.add_argument("--gold", required=True, help="folder of <id>.gold.json files")
    ev.add_argument("predictions", help="JSON Lines of records")
    ev.add_argument("--totals", action="store_true", help="no per-article rows")

    sm = sub.add_parser("summary", help="a readable table of a results file")
    sm.add_argument("results", help="a JSON Lines file written by `nevextract extract`")

    sub.add_parser("schema", help="print the record's JSON Schema")
    return p


class _Stopped(BaseException):
    """A signal that ends the run, raised in the main thread so that every `with` block cleans
    up on the way out: the temporary output is dropped (the old file stays whole), the open
    store transaction is rolled back, the workers are stopped. A BaseException, so that no
    `except Exception` on the way turns it into an error record."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def main(argv: Sequence[str] | None = None) -> int:
    """The command line. Whatever stops a run ends it with one line on stderr and the usual
    status: 130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP, 141 (silently) when the reader
    of stdout went away (`nevextract schema | head`), 2 for an unusable store or cluster."""
    with _signals_raise():
        try:
            return _main(argv)
        except KeyboardInterrupt:
            return _stopped(signal.SIGINT)
        except _Stopped as exc:
            return _stopped(exc.signum)
        except BrokenPipeError:
            _drop_stdout()
            return 128 + getattr(signal, "SIGPIPE", 13)
        except (StoreError, DaskError) as exc:
            print(f"nevextract: {exc}", file=sys.stderr)
            return 2


@contextmanager
def _signals_raise() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP become exceptions for the length of a command (signals the
    process was started with ignored - `nohup`, `&` - stay ignored). A second signal while the
    first is being cleaned up after is ignored, so the clean-up cannot be cut short."""
    if threading.current_thread() is not threading.main_thread():
        yield  # handlers can only be set in the main thread; an embedding program keeps its own
        return
    stopping = False

    def handler(signum: int, frame: object) -> None:
        nonlocal stopping
        if stopping:
            return
        stopping = True
        if signum == signal.SIGINT:
            raise KeyboardInterrupt
        raise _Stopped(signum)

    previous: dict[int, Any] = {}
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is not None and signal.getsignal(signum) is not signal.SIG_IGN:
            previous[signum] = signal.signal(signum, handler)
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def _stopped(signum: int) -> int:
    print(f"nevextract: stopped by {signal.Signals(signum).name}", file=sys.stderr)
    return 128 + signum


def _drop_stdout() -> None:
    """The reader of stdout is gone: point stdout at /dev/null, or Python's final flush at
    exit reports the broken pipe once more."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass  # stdout is not a file descriptor (embedded, captured): nothing will flush to the pipe


def _main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "schema":
        print(json.dumps(ArticleRecord.model_json_schema(), indent=2))
        return 0
    if args.command == "summary":
        return _print_summary(args.results)
    try:
        if args.command == "show":
            return _show(args)
        if args.command == "evaluate":
            return _evaluate(args)
        if args.command == "export":
            return _export(args.db, args.out)
        if args.command == "sources":
            return _sources(args.patterns)
        if args.command == "patterns":
            return _check_patterns(args.dirs)
        return _extract(args)
    except PatternError as exc:
        print(f"nevextract: bad pattern file(s):\n{exc}", file=sys.stderr)
        return 2


def _extract(args: argparse.Namespace) -> int:
    from nevextract import __version__
    from nevextract.extractor import DEFAULT_MAX_CHARS, Extractor  # loads spaCy: only when needed

    files = expand(args.paths)
    if not files:
        print("nevextract: no input files found", file=sys.stderr)
        return 2
    started = time.perf_counter()
    settings = {"mode": args.mode, "patterns": args.patterns, "model": args.model,
                "max_chars": args.max_chars or DEFAULT_MAX_CHARS}
    # what else decides a record besides the page: a new version, mode or pattern set redoes it
    salt = "|".join([__version__, args.mode, args.model or "", *sorted(args.patterns)])
    tally: Counter[str] = Counter()
    failed: list[ErrorRecord] = []
    with ExitStack() as stack:
        store = stack.enter_context(Store(args.db)) if args.db else None
        if store is not None and store.notice:
            print(f"nevextract: {store.notice}", file=sys.stderr)
        out: AtomicJsonl | _Stdout | None = None
        if args.out:
            out = stack.enter_context(AtomicJsonl(args.out))
        elif store is None:
            out = _Stdout(sys.stdout)
        keys: deque[tuple[str, str | None]] = deque()
        todo = _to_process(read_all(files, None if args.format == "auto" else args.format), store, salt, args.force, keys, tally)
        records: Iterable[ArticleRecord | ErrorRecord]
        if args.dask:
            from nevextract.distributed import connect, pipe_dask

            client = stack.enter_context(connect(args.dask, max(args.workers, 2)))
            records = pipe_dask(todo, client, settings=settings, batch_size=args.batch_size,
                               worker_timeout=args.dask_timeout)
        else:
            records = Extractor(**settings).pipe(todo, batch_size=args.batch_size, n_process=args.workers)
        # on the way out, stop the workers first, then drop the temporary output and close the store
        stack.callback(_close, records)
        if len(files) > PROGRESS_AFTER and not (args.no_progress or args.quiet):
            from tqdm import tqdm

            countable = all(f.suffix.lower() != ".jsonl" and str(f) != STDIN for f in files)
            records = tqdm(records, total=len(files) if countable else None, unit="page", file=sys.stderr, desc="nevextract")
            stack.callback(_close, records)  # a stopped run's last line starts on a line of its own
        for rec in records:
            key, path = keys.popleft()
            if store is not None:
                store.put(rec, key, path)
            if out is not None:
                out.write(rec)
            if isinstance(rec, ErrorRecord):
                failed.append(rec)
            else:
                _count(tally, rec)
    if not args.quiet:
        print(_summary(tally, failed, time.perf_counter() - started, args.out or args.db), file=sys.stderr)
    return 1 if failed else 0


def _close(it: object) -> None:
    """Close a generator (or progress bar) now rather than whenever it is garbage-collected:
    closing the records generator is what stops the worker processes."""
    close = getattr(it, "close", None)
    if close is not None:
        close()


def _to_process(
    items: Iterable[dict[str, Any] | ErrorRecord], store: Store | None, salt: str, force: bool,
    keys: deque[tuple[str, str | None]], tally: Counter[str],
) -> Iterator[dict[str, Any] | ErrorRecord]:
    """Items to process, each (key, path) queued in input order. With a store, an item whose
    id is stored with the same key (same page, same settings) is skipped, unless --force; a
    changed page, an error or a record damaged on disk is done again."""
    seen: set[str] = set()
    for n, item in enumerate(items):
        if isinstance(item, ErrorRecord):
            ident, key, path = item.id, content_hash(item.path or item.id, "error"), item.path
        else:
            ident, key, path = str(item.get("id") or f"item-{n}"), _input_key(item, salt), item.get("path")
        if store is not None:
            if ident in seen:
                tally["repeated"] += 1  # two inputs, one id: the store keeps the later
            seen.add(ident)
            if not force and not isinstance(item, ErrorRecord):
                status = store.status(ident, key)
                if status == "same":
                    tally["skipped"] += 1
                    continue
                if status == "damaged":
                    tally["damaged"] += 1
        keys.append((key, path))
        yield item


def _input_key(item: dict[str, Any], salt: str) -> str:
    """What decides an input's record: the page, the settings (`salt`), the publication date
    and the url, source and format where given (a url picks the site profile; a format decides
    how the page is cleaned). Items without them keep the key of earlier versions, so their
    stores are not redone."""
    extras = [f"{k}={item[k]}" for k in ("url", "source", "format") if item.get(k)]
    if "text" not in item:
        extras.append("html")
    return content_hash(item.get("text", item.get("html")) or "", "|".join([salt, str(item.get("published")), *extras]))


def _show(args: argparse.Namespace) -> int:
    from pathlib import Path

    from nevextract.extractor import Extractor
    from nevextract.inputs import read_page
    from nevextract.show import write_review

    item = read_page(Path(args.page))
    if isinstance(item, ErrorRecord):
        print(f"nevextract: {args.page}: {item.error.type}: {item.error.message}", file=sys.stderr)
        return 1
    [rec] = Extractor(mode=args.mode, patterns=args.patterns).pipe([item])
    if isinstance(rec, ErrorRecord):
        print(f"nevextract: {args.page}: {rec.error.type}: {rec.error.message}", file=sys.stderr)
        return 1
    path = write_review(rec, item["text"], args.html)
    print(f"nevextract: review page → {path}", file=sys.stderr)
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from pathlib import Path

    from nevextract.evaluate import EvaluationError, evaluate

    try:
        report = evaluate(Path(args.gold), Path(args.predictions))
    except EvaluationError as exc:
        print(f"nevextract: {exc}", file=sys.stderr)
        return 2
    print(report.to_text(per_article=not args.totals))
    return 0


def _export(db: str, out_path: str) -> int:
    """Every record in the store that can be read back; one that cannot (a damaged store,
    bytes changed on disk) is skipped and named, and the exit status is then 1."""
    n = 0
    unreadable: list[Unreadable] = []
    with Store(db, create=False, salvage=True) as store:
        if store.notice:
            print(f"nevextract: {store.notice}", file=sys.stderr)
        if store.damage:
            print(f"nevextract: {db}: {store.damage}; exporting what can still be read", file=sys.stderr)
        with AtomicJsonl(out_path) as out:
            for rec in store.records():
                if isinstance(rec, Unreadable):
                    unreadable.append(rec)
                    continue
                out.write(rec)
                n += 1
        damaged = store.damage is not None
    line = f"nevextract: exported {n} records → {out_path}"
    if unreadable:
        line += f"; skipped {len(unreadable)} unreadable" + "".join(f"\n  unreadable: {u}" for u in unreadable)
    print(line, file=sys.stderr)
    return 1 if unreadable or damaged else 0


def _sources(patterns: list[str]) -> int:
    from nevextract.clean.profiles import load_boilerplate
    from nevextract.patterns import pattern_dirs

    for profile in load_boilerplate(pattern_dirs(patterns)).profiles:
        hosts = ", ".join(profile.match.hosts) or "-"
        print(f"{profile.name:<28} {hosts}")
    return 0


def _check_patterns(dirs: list[str]) -> int:
    """Every pattern file in the folders, loaded the way the extractor loads it; all
    problems reported, one per line."""
    from pathlib import Path

    from nevextract.clean.profiles import load_boilerplate
    from nevextract.nlp import build_pipeline
    from nevextract.normalize.organisations import OrganisationPatterns
    from nevextract.patterns import pattern_dirs, thorough_regex_checks

    missing = [d for d in dirs if not Path(d).is_dir()]
    if missing:
        print(f"nevextract: not a folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    problems: dict[str, Problem] = {}
    checks = (
        lambda: load_boilerplate(pattern_dirs(dirs)),
        lambda: OrganisationPatterns.load(dirs),
        lambda: build_pipeline("rules", patterns=dirs),
    )
    for check in checks:
        try:
            with thorough_regex_checks():  # also try each regex on lines as long as pages have
                check()
        except PatternError as exc:
            problems.update({str(p): p for p in exc.problems})
    for text in problems:
        print(text)
    if problems:
        print(f"nevextract: {len(problems)} problem(s) in pattern files", file=sys.stderr)
        return 1
    print(f"nevextract: patterns OK in {', '.join(dirs)}", file=sys.stderr)
    return 0


def _print_summary(path: str) -> int:
    """One row per record: what was found, and the organisations named most."""
    rows = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            data = json.loads(line)
            if "error" in data:
                rows.append(f"{data['id'][:24]:<24}  FAILED {data['error']['type']}: {data['error']['message']}")
                continue
            rec = ArticleRecord.model_validate(data)
            top = sorted(rec.organisations, key=lambda o: -len(o.mentions))[:3]
            rows.append(
                f"{rec.id[:24]:<24} {rec.source or '-':<16.16} {rec.published or '-':<10} "
                f"{len(rec.body.split()):>6} {len(rec.removed):>4} {len(rec.organisations):>5} "
                f"{len(rec.quantities):>5} {len(rec.dates):>5} {len(rec.claims):>6}  "
                + ", ".join(o.name for o in top)
            )
    print(f"{'id':<24} {'source':<16} {'published':<10} {'words':>6} {'rmvd':>4} {'orgs':>5} "
          f"{'qties':>5} {'dates':>5} {'claims':>6}  top organisations")
    print("\n".join(rows))
    return 0


class _Stdout:
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, record: ArticleRecord | ErrorRecord) -> None:
        self.stream.write(record.model_dump_json() + "\n")


def _count(tally: Counter[str], rec: ArticleRecord) -> None:
    tally["articles"] += 1
    tally["words"] += len(rec.body.split())
    for field in ("organisations", "quantities", "dates", "claims"):
        tally[field] += len(getattr(rec, field))


def _summary(tally: Counter[str], failed: Iterable[ErrorRecord], seconds: float, out: str | None) -> str:
    failed = list(failed)
    parts = [
        f"{tally['articles']} articles",
        f"{len(failed)} failed",
        f"{tally['organisations']} organisations",
        f"{tally['quantities']} quantities",
        f"{tally['dates']} dates",
        f"{tally['claims']} claims",
        f"{tally['skipped']} already stored" if tally["skipped"] else "",
        f"{tally['damaged']} damaged in the store and redone" if tally["damaged"] else "",
        f"{tally['repeated']} repeated ids (the store keeps the last)" if tally["repeated"] else "",
        f"{tally['words'] / seconds:,.0f} words/s" if seconds > 0 else "",
    ]
    line = "nevextract: " + ", ".join(p for p in parts if p) + f" in {seconds:.1f}s"
    if out:
        line += f" → {out}"
    for err in failed:
        line += f"\n  failed: {err.path or err.id}: {err.error.type}: {err.error.message}"
    return line


if __name__ == "__main__":
    raise SystemExit(main())
