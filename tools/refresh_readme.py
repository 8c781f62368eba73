"""Rewrite the README's example outputs from a fresh build of examples/articles, after extraction changes.

    python tools/refresh_readme.py

Reruns every ```sh kg query out …``` example and puts what it prints into the
block after it (shortened outputs, with "…", are left for a person to redo),
and replaces the build summary with the one the build prints. tests/test_readme.py
checks both.
"""

from __future__ import annotations

import re
import shlex
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner

from kg.cli import main

ROOT = Path(__file__).resolve().parent.parent
_EXAMPLE = re.compile(r"(```sh\n(kg query out .*?)\n```\n\n```\n)(.*?)(```)", re.S)


def refresh() -> None:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        built = CliRunner().invoke(main, ["build", str(ROOT / "examples" / "articles"), "-o", str(out), "--no-html"])
        if built.exit_code != 0:
            sys.exit(built.output)

        def rerun(m: re.Match) -> str:
            if "…" in m.group(3):
                print(f"left as it is (shortened): {m.group(2)[:60]}")
                return m.group(0)
            args = shlex.split(m.group(2))[1:]
            args[1] = str(out)
            result = CliRunner().invoke(main, args)
            if result.exit_code != 0:
                sys.exit(f"{m.group(2)}: {result.output}")
            return m.group(1) + result.stdout + m.group(4)

        text = _EXAMPLE.sub(rerun, text)
        summary = built.output.strip().splitlines()
        head, rest = text.split("A summary goes to the terminal:", 1)
        before, block, after = rest.split("```", 2)
        lines = block.strip("\n").splitlines()
        kept = [line for line in lines if line.startswith(("wrote", "..."))]
        shown = [line for line in summary if not line.startswith("wrote")][: len(lines) - len(kept)]
        block = "\n" + "\n".join(shown + kept) + "\n"
        text = head + "A summary goes to the terminal:" + before + "```" + block + "```" + after
    readme.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    refresh()
