"""The example build scored against the gold with ../shared/tools/score.py, against pinned floors."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import kg

from .conftest import ROOT, SHARED

FLOORS = json.loads((Path(__file__).parent / "floors.json").read_text())
_TOTALS = re.compile(r"entity F1 ([\d.]+) relation F1 ([\d.]+)")

needs_shared = pytest.mark.skipif(
    not (SHARED / "tools" / "score.py").exists(), reason="../shared is not beside the repo"
)


def score(gold: Path, pred: Path) -> tuple[float, float]:
    done = subprocess.run(
        [sys.executable, str(SHARED / "tools" / "score.py"), "--gold", str(gold), "--pred", str(pred)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    m = _TOTALS.search(done.stdout)
    assert m, done.stdout
    return float(m.group(1)), float(m.group(2))


@needs_shared
def test_score_seed_gold_above_floor(examples_build):
    out, _ = examples_build
    entity_f1, relation_f1 = score(SHARED / "data" / "gold", out / "extractions.jsonl")
    assert entity_f1 >= FLOORS["seed"]["entity_f1"]
    assert relation_f1 >= FLOORS["seed"]["relation_f1"]


@needs_shared
def test_score_dev_gold_above_floor(tmp_path):
    kg.build([SHARED / "data" / "dev" / "articles"], tmp_path, kg.BuildOptions(html=False))
    entity_f1, relation_f1 = score(SHARED / "data" / "dev" / "gold", tmp_path / "extractions.jsonl")
    assert entity_f1 >= FLOORS["dev"]["entity_f1"]
    assert relation_f1 >= FLOORS["dev"]["relation_f1"]


@needs_shared
@pytest.mark.parametrize("gold", ["gold", "dev/gold"])
def test_score_kg_score_prints_what_score_py_prints(examples_build, tmp_path, gold):
    """`kg score` is the shared scorer as part of the product: the same table, errors and all."""
    from click.testing import CliRunner

    from kg.cli import main

    out, _ = examples_build
    gold_dir = SHARED / "data" / gold
    ours = CliRunner().invoke(main, ["score", str(out), "--gold", str(gold_dir), "--errors"])
    assert ours.exit_code == 0, ours.output
    theirs = subprocess.run(
        [sys.executable, str(SHARED / "tools" / "score.py"), "--gold", str(gold_dir),
         "--pred", str(out / "extractions.jsonl"), "--errors"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert ours.stdout == theirs.stdout


def test_score_missing_build_is_one_line(tmp_path):
    from click.testing import CliRunner

    from kg.cli import main

    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / "d.json").write_text('{"doc_id": "d", "entities": [], "relations": []}', encoding="utf-8")
    result = CliRunner().invoke(main, ["score", str(tmp_path / "nowhere"), "--gold", str(tmp_path / "gold")])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {tmp_path / 'nowhere'}: no such extractions.jsonl; build one first with kg build SOURCES -o OUT\n"
    )
