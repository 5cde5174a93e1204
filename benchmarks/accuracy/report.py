"""docs/accuracy.md from the rows of one run: a table per field and corpus, the corpora
(split, size, licence, where to get them), the sweep, and the exact command."""

from __future__ import annotations

import datetime as dt
import platform
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from accuracy.core import Options, Row, TaskResult

# How each corpus folder under DATA is made (docs only: the harness never downloads).
GETTING = """\
Each corpus is a public repository; unpack only the development paths into a folder of
its own under DATA (never into this repository: licences differ, several are
non-commercial or research-only). With a bare clone of each repository in `$REPO`:

```sh
DATA=~/corpora
git --git-dir=$REPO/trafilatura archive HEAD tests/eval tests/evaldata.json | tar -x -C $DATA/trafilatura
git --git-dir=$REPO/FiNER-ORD archive HEAD data/train/train.csv data/train/val.csv | tar -x -C $DATA/finer-ord
git --git-dir=$REPO/Recognizers-Text archive HEAD Specs/Number/English Specs/NumberWithUnit/English | tar -x -C $DATA/recognizers-text
git --git-dir=$REPO/StructTempRel-EMNLP17 archive HEAD data/TempEval3/Training/TBAQ-cleaned/TimeBank \\
    data/TempEval3/Training/TBAQ-cleaned/AQUAINT | tar -x -C $DATA/structtemprel
git --git-dir=$REPO/PolNeAR archive HEAD data/train/text data/train/attributions \\
    data/dev/text data/dev/attributions | tar -x -C $DATA/polnear
```

| folder under DATA | repository | what is read |
|---|---|---|
| `trafilatura/` | github.com/adbar/trafilatura | `tests/evaldata.json`, `tests/eval/*.html` |
| `finer-ord/` | github.com/gtfintechlab/FiNER-ORD | `data/train/train.csv`, `data/train/val.csv` |
| `conll2003/` | any public copy of CoNLL-2003 | `train.txt` (the train split only) |
| `recognizers-text/` | github.com/microsoft/Recognizers-Text | `Specs/Number/English/`, `Specs/NumberWithUnit/English/` |
| `structtemprel/` | github.com/qiangning/StructTempRel-EMNLP17 | `data/TempEval3/Training/TBAQ-cleaned/{TimeBank,AQUAINT}/*.tml` |
| `polnear/` | github.com/networkdynamics/PolNeAR | `data/{train,dev}/{text,attributions}` |

**Held back for acceptance, never read by the harness or used for tuning:** the
scrapinghub article-extraction benchmark, FiNER-ORD `data/test/`, the NewsQuant test data
(CQE), the TempEval-3 platinum test set (`data/TempEval3/Evaluation/` in StructTempRel),
PolNeAR `data/test/`, and the test files of quantulum3 and dateparser. Published figures
quoted below for peers on those sets are marked as such: they are context, not this run.
"""

TITLES = {
    "boilerplate": "Boilerplate (main content)",
    "organisations": "Organisations",
    "quantities": "Quantities",
    "dates": "Dates (TimeML)",
    "claims": "Claims (attribution)",
}


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "/").replace("\n", " ")


def _fmt(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.1f}" if isinstance(value, float) and not value.is_integer() else f"{value:,.0f}" if value >= 100 else f"{value:g}"


def _metric_names(rows: Iterable[Row]) -> list[str]:
    names: list[str] = []
    for row in rows:
        names += [m for m in row.metrics if m not in names]
    return names


def _table(rows: list[Row]) -> list[str]:
    names = _metric_names(rows)
    out = [
        "| system | " + " | ".join(names) + " | words/s | note |",
        "|---|" + "---|" * len(names) + "---|---|",
    ]
    for r in rows:
        cells = [_fmt(r.metrics.get(m)) for m in names]
        note = _cell("; ".join(x for x in (r.note, f"source: {r.source}" if r.source else None) if x))
        speed = f"{r.words_per_s:,.0f}" if r.words_per_s is not None else "—"
        out.append(f"| {r.system} | " + " | ".join(cells) + f" | {speed} | {note} |")
    return out


@dataclass
class About:
    """What the report says of a field beyond its rows: the task's description, and where
    each corpus comes from (by corpus name)."""

    description: str = ""
    where: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, task: Any) -> About:
        """From a task module: its docstring's first paragraph and its `CORPORA` (`core.Corpus`)."""
        doc = (task.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")
        where = {c.name: c.source for c in getattr(task, "CORPORA", [])}
        return cls(doc, where)


def _corpora_table(results: Mapping[str, TaskResult], about: Mapping[str, About]) -> list[str]:
    out = ["| field | corpus | split | size | licence | where |", "|---|---|---|---|---|---|"]
    for fld in results:
        seen: dict[tuple[str, str], Row] = {}
        for r in results[fld].rows:
            if r.words_per_s is not None:
                seen.setdefault((r.corpus, r.split), r)
        where = about[fld].where if fld in about else {}
        for (corpus, split), r in seen.items():
            out.append(f"| {fld} | {corpus} | {split} | {r.size} | {r.licence} | {where.get(corpus, '')} |")
    return out


def render(
    results: Mapping[str, TaskResult], opts: Options, *, command: str, about: Mapping[str, About] | None = None
) -> str:
    about = about or {}
    lines = [
        "# Accuracy on public corpora",
        "",
        "Generated by `benchmarks/accuracy/run.py`; do not edit by hand. Every figure is on a",
        "**development** split (the data nevextract may be tuned on); held-back test sets are",
        "never read. Metrics are percentages; words/s is each system's extraction time on the",
        "same text after loading (white-space words of the input), on one core.",
        "",
        f"- run: `{command}`",
        f"- date: {dt.date.today().isoformat()}; Python {platform.python_version()}; "
        f"modes: {', '.join(opts.modes)}; peers: {'yes' if opts.peers else 'no'}"
        + (f"; **at most {opts.limit} documents per corpus**" if opts.limit else ""),
        "",
        "## Corpora",
        "",
        *_corpora_table(results, about),
        "",
    ]
    for fld, res in results.items():
        lines += [f"## {TITLES.get(fld, fld)}", ""]
        if fld in about and about[fld].description:
            lines += [about[fld].description, ""]
        # one table per corpus and split; published figures (measured on another split, as
        # their note says) stand beside the systems run here on each split of their corpus
        groups: dict[tuple[str, str], list[Row]] = {}
        for r in res.rows:
            if r.words_per_s is not None:
                groups.setdefault((r.corpus, r.split), []).append(r)
        for r in res.rows:
            if r.words_per_s is None:
                mine = [rows for (corpus, _), rows in groups.items() if corpus == r.corpus]
                for rows in mine or [groups.setdefault((r.corpus, r.split), [])]:
                    rows.append(r)
        for (corpus, split), rows in groups.items():
            lines += [f"### {corpus} — {split}", "", *_table(rows), ""]
        if res.missing:
            lines += ["Not found under the data folder (skipped): " + ", ".join(res.missing) + ".", ""]
    errors = [e for res in results.values() for e in res.errors]
    lines += ["## Sweep: error records", ""]
    if errors:
        lines += [f"{len(errors)} documents gave an error record or raised:", "",
                  "| corpus | document | error |", "|---|---|---|"]
        lines += [f"| {_cell(e.corpus)} | {_cell(e.document)} | {_cell(e.error[:200])} |" for e in errors]
    else:
        lines += ["Every document of every corpus above went through `Extractor.pipe` without an error record."]
    lines += ["", "## Getting the corpora", "", GETTING]
    return "\n".join(lines)
