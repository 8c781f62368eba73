"""Shared fixtures: the seed articles, the ../shared folder, one build of the examples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import kg

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "articles"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def examples_build(tmp_path_factory) -> tuple[Path, kg.BuildResult]:
    """The examples built once for the whole session: (output folder, result)."""
    out = tmp_path_factory.mktemp("examples-build")
    return out, kg.build([EXAMPLES], out)


@pytest.fixture(scope="session")
def examples_records(examples_build) -> list[dict]:
    out, _ = examples_build
    return [json.loads(line) for line in (out / "extractions.jsonl").read_text(encoding="utf-8").splitlines()]


def seed_text(name_prefix: str) -> str:
    """The raw text of the seed article whose file name starts with `name_prefix`."""
    (path,) = EXAMPLES.glob(f"{name_prefix}*.txt")
    return path.read_text(encoding="utf-8")
