"""How fast kg build runs: documents per second with one process and with several, and a rebuild after new articles.

The corpus is bench/corpus.py's: articles recombined from the real seed, dev
and train ones, their names renamed by kind, so that distinct entities grow
with the corpus as in a real one. Prints, each in a fresh output folder:
- the build with --jobs 1 and with --jobs N (default: every core), their
  rates and ratio, and whether they wrote the same bytes;
- a rebuild of the same folder after --added new articles, against the full
  build, as a share of its time;
- the peak memory of the process (the builds run in this process).

With --large, only the build with --jobs N and the rebuild (the two others
would double the time of a 10,000-article run; tests check the bytes).

    python bench/build.py --articles 200 --added 10
    python bench/build.py --articles 10000 --added 100 --large
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

from corpus import generate

import kg


def timed(sources: list[Path], out: Path, jobs: int) -> tuple[float, kg.BuildResult]:
    started = time.perf_counter()
    result = kg.build(sources, out, kg.BuildOptions(html=False, jobs=jobs))
    return time.perf_counter() - started, result


def outputs(folder: Path) -> dict[str, bytes]:
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.relative_to(folder).parts[0] != "store")
    return {str(p.relative_to(folder)): p.read_bytes() for p in files}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--added", type=int, default=10)
    parser.add_argument(
        "--large", action="store_true", help="only the --jobs N build and the rebuild (for 10,000 articles)"
    )
    parser.add_argument("--seed", type=int, default=0, help="of the corpus generator")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        paths = generate(args.articles + args.added, root / "src", seed=args.seed)
        base, added = paths[: args.articles], paths
        mb = sum(p.stat().st_size for p in base) / 1e6
        if args.large:
            many, _ = timed(base, root / "many", args.jobs)
            print(
                f"--jobs {args.jobs}: {args.articles} articles ({mb:.1f} MB) in {many:.1f} s,"
                f" {args.articles / many:.2f} docs/s"
            )
            rebuild, result = timed(added, root / "many", args.jobs)
            print(
                f"rebuild after {args.added} new articles: {rebuild:.1f} s ({result.report.cached} from the cache),"
                f" {100 * rebuild / many:.1f}% of the full build"
            )
        else:
            one, _ = timed(base, root / "one", 1)
            print(f"--jobs 1: {args.articles} articles ({mb:.1f} MB) in {one:.1f} s, {args.articles / one:.2f} docs/s")
            many, _ = timed(base, root / "many", args.jobs)
            same = outputs(root / "one") == outputs(root / "many")
            print(
                f"--jobs {args.jobs}: {many:.1f} s, {args.articles / many:.2f} docs/s, {one / many:.2f}x --jobs 1;"
                f" same bytes: {same}"
            )
            rebuild, result = timed(added, root / "many", args.jobs)
            full, _ = timed(added, root / "full", args.jobs)
            same = outputs(root / "many") == outputs(root / "full")
            print(
                f"rebuild after {args.added} new articles: {rebuild:.1f} s ({result.report.cached} from the cache),"
                f" {100 * rebuild / full:.1f}% of a full build ({full:.1f} s); same bytes: {same}"
            )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MB in this process, {workers:.0f} MB in the largest extraction process")


if __name__ == "__main__":
    main()
