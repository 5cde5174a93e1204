"""The built wheel, installed into a fresh venv and run from another folder, works:
library, `nevextract` command, patterns and model included. Slow (it installs from PyPI)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_installs_and_runs_from_another_folder(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
        check=True, capture_output=True, text=True,
    )
    [wheel] = dist.glob("nevextract-*.whl")
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bin_dir = env_dir / "bin"
    subprocess.run([bin_dir / "python", "-m", "pip", "install", "--quiet", str(wheel)], check=True)

    work = tmp_path / "elsewhere"
    work.mkdir()
    seed = next((ROOT / "seeds").glob("000_*.txt"))
    shutil.copy(seed, work / "page.txt")
    out = work / "out.jsonl"
    run = subprocess.run(
        [bin_dir / "nevextract", "extract", "page.txt", "--out", str(out)],
        cwd=work, capture_output=True, text=True,
    )
    assert run.returncode == 0, run.stderr
    [rec] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rec["id"] == "page"
    assert rec["source"] == "Global Times"  # the shipped site profile was found
    assert rec["published"] == "2026-02-04"
    assert "China Passenger Car Association" in {o["name"] for o in rec["organisations"]}
    assert any(o["found_by"] == "both" for o in rec["organisations"])  # the model loaded
    assert "1 articles, 0 failed" in run.stderr
