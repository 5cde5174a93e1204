"""nevextract on public, human-annotated corpora: every field, each corpus's standard metric,
nevextract's three modes beside the field's peers, and a sweep for error records.

    make accuracy DATA=~/corpora                      # all corpora found, all modes, peers
    python benchmarks/accuracy/run.py --data DIR [--corpus NAME ...] [--field F ...]
        [--mode hybrid --mode rules] [--no-peers] [--limit N] [--out docs/accuracy.md]

The data folder holds one sub-folder per corpus repository, unpacked as it is published
(see docs/accuracy.md, "Getting the corpora"); nothing of a corpus is in this repository.
Corpora that are not there are listed as missing and skipped. The report is written to
`--out` (docs/accuracy.md by default) and a JSON copy of the rows beside it (`.json`), so
figures can be compared between runs. Exit status 1 when the sweep met any error record.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE.parent))

from accuracy.core import MODES, Options, Row, SweepError, TaskResult  # noqa: E402  (needs the path above)
from accuracy.report import About, render  # noqa: E402

# Run order: the cheap fields first, so a quick look at the first lines is possible.
FIELDS = ("quantities", "dates", "organisations", "claims", "boilerplate")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, required=True, help="folder holding the unpacked corpora")
    ap.add_argument("--field", action="append", choices=FIELDS, help="only this field (repeatable)")
    ap.add_argument("--corpus", action="append", default=[], help="only this corpus name (repeatable)")
    ap.add_argument("--mode", action="append", choices=MODES, help="nevextract mode (repeatable; default all three)")
    ap.add_argument("--no-peers", action="store_true", help="nevextract only")
    ap.add_argument("--limit", type=int, help="at most N documents per corpus (a quick run)")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "accuracy.md", help="the report (Markdown)")
    ap.add_argument("--report-only", action="store_true",
                    help="measure nothing: render the report again from its JSON copy")
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.report_only:
        kept = _previous(args.out.with_suffix(".json"), skip=set())
        run = json.loads(args.out.with_suffix(".json").read_text(encoding="utf-8")).get("_run", {})
        about = {f: About.of(importlib.import_module(f"accuracy.tasks.{f}")) for f in kept}
        opts = Options(data=args.data, modes=tuple(run.get("modes", MODES)), peers=run.get("peers", True),
                       limit=run.get("limit"))
        _write(args.out, render(kept, opts, command=run.get("command", "?"), about=about))
        return 0
    if not args.data.is_dir():
        print(f"error: --data {args.data} is not a folder", file=sys.stderr)
        return 2
    opts = Options(
        data=args.data.resolve(), modes=tuple(args.mode or MODES), peers=not args.no_peers,
        limit=args.limit, corpora=tuple(args.corpus),
    )
    results: dict[str, TaskResult] = {}
    about: dict[str, About] = {}
    for field in args.field or FIELDS:
        task = importlib.import_module(f"accuracy.tasks.{field}")
        about[field] = About.of(task)
        start = time.perf_counter()
        print(f"[{field}] running …", file=sys.stderr, flush=True)
        results[field] = task.run(opts)
        res = results[field]
        print(
            f"[{field}] {len(res.rows)} rows, {len(res.errors)} errors, "
            f"{len(res.missing)} missing, {time.perf_counter() - start:.0f} s",
            file=sys.stderr, flush=True,
        )
    command = "python benchmarks/accuracy/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
    if args.field:  # one field measured again: the others stay as the last full report had them
        kept = _previous(args.out.with_suffix(".json"), skip=set(args.field))
        for field in kept:
            about[field] = About.of(importlib.import_module(f"accuracy.tasks.{field}"))
        results = {f: results.get(f) or kept[f] for f in FIELDS if f in results or f in kept}
        if kept:
            command += f" (rows of {', '.join(kept)} kept from the previous report)"
    text = render(results, opts, command=command, about=about)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    _write(args.out, text)
    copy: dict[str, Any] = {"_run": {"command": command, "modes": list(opts.modes), "peers": opts.peers, "limit": opts.limit}}
    copy.update({f: {"rows": [asdict(r) for r in res.rows], "errors": [asdict(e) for e in res.errors],
                     "missing": res.missing} for f, res in results.items()})
    _write(args.out.with_suffix(".json"), json.dumps(copy, indent=1, ensure_ascii=False) + "\n")
    print(text)
    return 1 if any(res.errors for res in results.values()) else 0


def _previous(path: Path, skip: set[str]) -> dict[str, TaskResult]:
    """The fields of an earlier run's JSON copy, but those in `skip`."""
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {
        field: TaskResult(
            rows=[Row(**r) for r in res["rows"]], errors=[SweepError(**e) for e in res["errors"]],
            missing=list(res["missing"]),
        )
        for field, res in data.items() if field not in skip and not field.startswith("_")
    }


def _write(path: Path, text: str) -> None:
    """Atomically: a run stopped half-way leaves the previous report whole."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


if __name__ == "__main__":
    raise SystemExit(main())
