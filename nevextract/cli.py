"""The `nevextract` command line.

    nevextract extract seeds/ --out results.jsonl     # pages → one JSON line per article
    nevextract schema                                 # the record's JSON Schema
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from typing import TextIO

from nevextract.inputs import expand, read_all
from nevextract.nlp import MODES
from nevextract.outputs import AtomicJsonl
from nevextract.patterns import PatternError
from nevextract.records import ArticleRecord, ErrorRecord

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
    ex.add_argument("--batch-size", type=int, default=16)
    ex.add_argument("--no-progress", action="store_true", help="no progress bar")
    ex.add_argument("--quiet", "-q", action="store_true", help="no summary line")

    sm = sub.add_parser("summary", help="a readable table of a results file")
    sm.add_argument("results", help="a JSON Lines file written by `nevextract extract`")

    sub.add_parser("schema", help="print the record's JSON Schema")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "schema":
        print(json.dumps(ArticleRecord.model_json_schema(), indent=2))
        return 0
    if args.command == "summary":
        return _print_summary(args.results)
    try:
        return _extract(args)
    except PatternError as exc:
        print(f"nevextract: bad pattern file(s):\n{exc}", file=sys.stderr)
        return 2


def _extract(args: argparse.Namespace) -> int:
    from nevextract.extractor import Extractor  # loads spaCy: only for commands that need it

    files = expand(args.paths)
    if not files:
        print("nevextract: no input files found", file=sys.stderr)
        return 2
    started = time.perf_counter()
    extractor = Extractor(mode=args.mode, patterns=args.patterns, model=args.model)
    records = extractor.pipe(read_all(files), batch_size=args.batch_size)
    if len(files) > PROGRESS_AFTER and not args.no_progress:
        from tqdm import tqdm

        records = tqdm(records, total=len(files), unit="page", file=sys.stderr, desc="nevextract")
    sink = AtomicJsonl(args.out) if args.out else nullcontext(_Stdout(sys.stdout))
    tally: Counter[str] = Counter()
    failed: list[ErrorRecord] = []
    with sink as out:
        for rec in records:
            out.write(rec)
            if isinstance(rec, ErrorRecord):
                failed.append(rec)
            else:
                _count(tally, rec)
    if not args.quiet:
        print(_summary(tally, failed, time.perf_counter() - started, args.out), file=sys.stderr)
    return 1 if failed else 0


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
