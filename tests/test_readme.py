"""The README's SPARQL examples print what the README says they print."""

from __future__ import annotations

import re
import shlex

import pytest
from click.testing import CliRunner

from kg.cli import main

from .conftest import ROOT

_EXAMPLE = re.compile(r"```sh\n(kg query out .*?)\n```\n\n```\n(.*?)```", re.S)
EXAMPLES = _EXAMPLE.findall((ROOT / "README.md").read_text(encoding="utf-8"))


def test_readme_has_a_query_example_per_vocabulary():
    text = " ".join(command for command, _ in EXAMPLES)
    for prefix in ("schema:", "org:", "skos:", "prov:", "dcterms:", "kg:"):
        assert prefix in text


@pytest.mark.parametrize("command, expected", EXAMPLES, ids=lambda x: x[:40] if x.startswith("kg") else "")
def test_readme_query_example_prints_what_it_says(examples_build, command, expected):
    out, _ = examples_build
    args = shlex.split(command)[1:]
    args[1] = str(out)
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    if "…" in expected:  # a shortened output: each line's first and last column, and the cut text's start
        for got, want in zip(result.stdout.splitlines(), expected.splitlines(), strict=True):
            assert got.split()[:1] == want.split()[:1] and got.split()[-1:] == want.split()[-1:]
            assert all(part in got for part in want.split("…")[0].split())
    else:
        assert result.stdout == expected


def test_readme_build_summary_is_what_the_build_prints(examples_build):
    _, result = examples_build
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("A summary goes to the terminal:", 1)[1].split("```", 2)[1]
    shown = [line for line in block.strip().splitlines() if not line.startswith(("wrote", "..."))]
    assert shown == result.report.summary().splitlines()[: len(shown)]
