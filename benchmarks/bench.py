"""Speed and memory of nevextract against bare en_core_web_sm, on the same raw pages.

    python benchmarks/bench.py            # writes docs/performance.md and prints it

Each measurement runs in its own process so peak memory (ru_maxrss) is that measurement's
alone. Words are counted on the raw pages (whitespace-separated), the same for every row,
so words/s compare like with like.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT.parent / "shared" / "eval" / "dev").glob("*.txt"))


def _pages(repeat: int) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in PAGES] * repeat


def _measure(kind: str, repeat: int, workers: int) -> dict[str, float]:
    """Runs in a child process: one measurement, timed after loading."""
    texts = _pages(repeat)
    words = sum(len(t.split()) for t in texts)
    if kind == "spacy":
        from nevextract.nlp import load_model

        nlp = load_model(exclude=())
        list(nlp.pipe(texts[:2]))
        start = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=16):
            pass
    else:
        from nevextract import Extractor

        ex = Extractor(mode=kind)  # type: ignore[arg-type]
        items = [{"id": str(i), "text": t} for i, t in enumerate(texts)]
        list(ex.pipe(items[:2]))  # warm: first-use compilation and caches are not throughput
        start = time.perf_counter()
        for _ in ex.pipe(items, batch_size=16, n_process=workers):
            pass
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"words": words, "seconds": seconds, "wps": words / seconds, "peak_mb": peak_mb}


def run(kind: str, repeat: int = 1, workers: int = 1) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(repeat), str(workers)],
        check=True, capture_output=True, text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--child", nargs=3, metavar=("KIND", "REPEAT", "WORKERS"))
    ap.add_argument("--repeat", type=int, default=3, help="pages repeated for the mode comparison")
    ap.add_argument("--out", default=str(ROOT / "docs" / "performance.md"))
    args = ap.parse_args()
    if args.child:
        kind, repeat, workers = args.child
        print(json.dumps(_measure(kind, int(repeat), int(workers))))
        return

    lines = [
        "# Performance",
        "",
        f"Measured by `python benchmarks/bench.py` on {platform.machine()} / Python {platform.python_version()}, "
        f"{len(PAGES)} raw pages (seeds + dev set), each measurement in its own process, timed after loading.",
        "",
        f"## Modes against bare `en_core_web_sm` `nlp.pipe` (pages × {args.repeat})",
        "",
        "| pipeline | words/s | ratio to bare spaCy | peak memory (MB) |",
        "|---|---|---|---|",
    ]
    base = run("spacy", args.repeat)
    rows = {"bare en_core_web_sm": base}
    for mode in ("hybrid", "rules", "statistical"):
        rows[f"nevextract {mode}"] = run(mode, args.repeat)
    for name, r in rows.items():
        lines.append(f"| {name} | {r['wps']:,.0f} | {r['wps'] / base['wps']:.2f}× | {r['peak_mb']:,.0f} |")

    lines += ["", "## Growth with input size (rules mode)", "", "| pages | words | seconds | words/s |", "|---|---|---|---|"]
    for repeat in (1, 10, 100):
        r = run("rules", repeat)
        lines.append(f"| {len(PAGES) * repeat} | {r['words']:,} | {r['seconds']:.2f} | {r['wps']:,.0f} |")

    lines += ["", "## Workers (hybrid mode, `n_process`)", "", "| workers | words/s | speed-up |", "|---|---|---|"]
    one = run("hybrid", args.repeat * 2, 1)
    two = run("hybrid", args.repeat * 2, 2)
    lines.append(f"| 1 | {one['wps']:,.0f} | 1.00× |")
    lines.append(f"| 2 | {two['wps']:,.0f} | {two['wps'] / one['wps']:.2f}× |")
    text = "\n".join(lines) + "\n" + _sections_not_written(Path(args.out), lines)
    Path(args.out).write_text(text, encoding="utf-8")
    print(text)


def _sections_not_written(path: Path, lines: list[str]) -> str:
    """The `## ` sections of the existing file that this script does not write (figures
    measured another way, such as peak memory on very large pages), kept as they are."""
    if not path.is_file():
        return ""
    ours = {line for line in lines if line.startswith("## ")}
    kept, keep = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            keep = line not in ours
        if keep:
            kept.append(line)
    return ("\n" + "\n".join(kept) + "\n") if kept else ""


if __name__ == "__main__":
    main()
