"""Shared fixtures: the seed articles, the ../shared folder, one build of the examples."""

from __future__ import annotations

import json
import socket
import time
import urllib.request
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


def free_port() -> int:
    """A TCP port on loopback that nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_sparql(url: str, tries: int = 100) -> bool:
    """True once the SPARQL endpoint at `url` (…/query) answers an ASK; False if it never does."""
    for _ in range(tries):
        try:
            urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=1).read()
            return True
        except OSError:
            time.sleep(0.1)
    return False
