"""How long /stats takes to draw its picture: `python -m benchmarks.stats_picture [--rounds N]`.

Prints, per corpus, the first picture in a fresh process (which also imports matplotlib) and the median
and slowest of the next ones, with the PNG's size; the machine's load average beside them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bot.core.corpus import load_corpus
from bot.core.stats import coauthor_counts
from bot.render.chart import stats_picture

ROOT = Path(__file__).resolve().parent.parent
MEULEMANS = ROOT / "corpus" / "alexander-meulemans.yaml"
OTHERS = sorted((ROOT / "tests" / "data" / "corpora").glob("*.yaml"))
# Each corpus alone, and a lab of two members (a series per member).
CORPORA = [("", [path]) for path in [MEULEMANS, *OTHERS]] + [("the Grewe lab", [MEULEMANS, *OTHERS[:1]])]
FIRST = (
    "import sys, time; from pathlib import Path; from bot.core.corpus import load_corpus; "
    "from bot.core.stats import coauthor_counts; from bot.render.chart import stats_picture; "
    "c = load_corpus([Path(p) for p in sys.argv[2:]], lab=sys.argv[1]); s = time.perf_counter(); "
    "stats_picture(c, coauthor_counts(c)); print(time.perf_counter() - s)"
)


def first_picture(lab: str, paths: list[Path]) -> float:
    """Seconds for the first picture of a fresh process, matplotlib's import included."""
    out = subprocess.run([sys.executable, "-c", FIRST, lab, *map(str, paths)], capture_output=True, text=True,
                         check=True, cwd=ROOT)  # fmt: skip
    return float(out.stdout.strip())


def main(rounds: int) -> None:
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; {rounds} pictures per corpus")
    print(f"{'corpus':<24} {'papers':>6} {'first (import)':>15} {'median':>8} {'slowest':>8} {'PNG':>9}")
    for lab, paths in CORPORA:
        corpus = load_corpus(paths, lab=lab)
        coauthors = coauthor_counts(corpus)
        first = first_picture(lab, paths)
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            picture = stats_picture(corpus, coauthors)
            times.append(time.perf_counter() - start)
        print(f"{lab or paths[0].stem:<24} {len(corpus.papers):>6} {first:>14.2f}s {statistics.median(times):>7.2f}s "
              f"{max(times):>7.2f}s {len(picture.png):>8,}B")  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=10)
    main(parser.parse_args().rounds)
