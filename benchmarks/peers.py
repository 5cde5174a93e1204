"""nevextract against the best-known open-source tool for each field, on the dev set, in one run.

    pip install quantulum3 textacy      # the peers (not nevextract dependencies)
    python benchmarks/peers.py          # writes docs/peers.md and prints it

Every tool reads the same article bodies (nevextract's cleaning of the dev pages) and is
scored by the dev set's own scorer (../shared/eval/score.py); words/s is the tool's own
extraction time on those bodies, after loading.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
DEV = EVAL / "dev"


def _bodies() -> list[dict[str, Any]]:
    from nevextract import Extractor

    ex = Extractor(mode="rules")
    out = []
    for page in sorted(DEV.glob("*.txt")):
        rec = ex.extract(page.read_text(encoding="utf-8"), id=page.stem)
        out.append({"id": rec.id, "body": rec.body, "published": rec.published})
    return out


def _quantulum(body: str, published: str | None) -> dict[str, list[dict[str, Any]]]:
    from quantulum3 import classifier, parser

    # its pickled classifier does not load with current scikit-learn; it then runs as it
    # does without scikit-learn installed (rule-based disambiguation)
    classifier.USE_CLF = False

    items = []
    for q in parser.parse(body):
        unit = q.unit
        if unit.entity.name == "currency":
            kind, code = "money", getattr(unit, "currency_code", None) or "USD"
        elif unit.name in ("percentage", "percent"):
            kind, code = "percent", "percent"
        elif unit.entity.name == "dimensionless":
            kind, code = "count", "unit"
        else:
            kind, code = "other", unit.name
        items.append({"text": q.surface, "value": q.value, "unit": code, "kind": kind})
    return {"quantities": items}


def _search_dates(body: str, published: str | None) -> dict[str, list[dict[str, Any]]]:
    from dateparser.search import search_dates

    base = dt.datetime.fromisoformat(published) if published else None
    found = search_dates(body, languages=["en"], settings={"RELATIVE_BASE": base} if base else None) or []
    return {"dates": [{"text": t, "value": d.date().isoformat(), "granularity": "day"} for t, d in found]}


_TEXTACY_NLP: Any = None


def _textacy(body: str, published: str | None) -> dict[str, list[dict[str, Any]]]:
    from textacy.extract.triples import direct_quotations

    doc = _TEXTACY_NLP(body)
    claims = []
    for speaker, cue, content in direct_quotations(doc):
        claims.append({"speaker": " ".join(t.text for t in speaker), "cue": " ".join(t.text for t in cue),
                       "kind": "direct", "content": content.text})
    return {"claims": claims}


def _score(preds: list[dict[str, Any]], field: str) -> tuple[float, float, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as fh:
        for p in preds:
            fh.write(json.dumps(p) + "\n")
    out = subprocess.run(
        [sys.executable, str(EVAL / "score.py"), "--gold", str(DEV), "--pred", fh.name],
        check=True, capture_output=True, text=True,
    ).stdout
    row = next(line for line in out.splitlines() if line.startswith(field))
    p, r, f = (float(x) for x in row.split()[1:4])
    return p, r, f


def _run(tool: Callable[[str, str | None], dict[str, list[dict[str, Any]]]], bodies: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], float]:
    preds = []
    start = time.perf_counter()
    for b in bodies:
        fields = {"organisations": [], "quantities": [], "dates": [], "claims": []}
        fields.update(tool(b["body"], b["published"]))
        preds.append({"id": b["id"], "body": b["body"], **fields})
    return preds, time.perf_counter() - start


def main() -> None:
    global _TEXTACY_NLP
    from nevextract import Extractor
    from nevextract.nlp import load_model

    bodies = _bodies()
    words = sum(len(b["body"].split()) for b in bodies)
    rows = []
    nev = {mode: Extractor(mode=mode) for mode in ("hybrid", "rules")}
    nev_preds = {}
    nev_time = {}
    for mode, ex in nev.items():
        ex.extract(bodies[0]["body"], clean=False)  # warm
        start = time.perf_counter()
        items = [{"id": b["id"], "text": b["body"], "published": b["published"], "clean": False} for b in bodies]
        recs = list(ex.pipe(items))
        nev_time[mode] = time.perf_counter() - start
        nev_preds[mode] = [r.model_dump(mode="json") for r in recs]
    _TEXTACY_NLP = load_model(exclude=())  # textacy finds cue verbs by lemma
    peers = {
        "quantities": ("quantulum3 0.10", _quantulum),
        "dates": ("dateparser search_dates", _search_dates),
        "claims": ("textacy direct_quotations", _textacy),
    }
    for field, (name, tool) in peers.items():
        preds, seconds = _run(tool, bodies)
        p, r, f = _score(preds, field)
        rows.append((field, name, p, r, f, words / seconds))
        for mode in ("hybrid", "rules"):
            p, r, f = _score(nev_preds[mode], field)
            rows.append((field, f"nevextract {mode} (all fields)", p, r, f, words / nev_time[mode]))
    lines = [
        "# nevextract against the peers (dev set, one run)",
        "",
        "Produced by `python benchmarks/peers.py`. Each tool reads the same cleaned bodies; scores by",
        "`../shared/eval/score.py`; words/s is extraction time after loading. nevextract's time covers",
        "all four fields at once, the peer's only its own field.",
        "",
        "| field | tool | P | R | F1 | words/s |",
        "|---|---|---|---|---|---|",
    ]
    lines += [f"| {f} | {n} | {p:.1f} | {r:.1f} | {f1:.1f} | {w:,.0f} |" for f, n, p, r, f1, w in rows]
    text = "\n".join(lines) + "\n"
    (ROOT / "docs" / "peers.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
