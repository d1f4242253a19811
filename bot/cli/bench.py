"""`bench`: answer quality against baselines, latency, index build time and memory, as tables.

Quality is measured on the tuned set (tests/data/questions.yaml), the dev set (tests/data/dev) and the
held-out set (tests/data/heldout), each corpus with its own engine and baselines.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bot.cli.command import AddCommand
from bot.config import load_settings


def register(add: AddCommand) -> None:
    p = add("bench", "print benchmark figures (docs/benchmarks.md)", __doc__)
    p.add_argument("--synthetic", type=_sizes, default=(50_000,), metavar="SIZES",
                   help="synthetic corpus sizes, comma-separated, each system and size in its own process (0: skip)")
    p.add_argument("--cold-start", type=int, default=50_000, metavar="SIZE",
                   help="time `ask` from a synthetic corpus YAML of this many papers, then a restart (0: skip)")
    p.add_argument("--rounds", type=int, default=20, help="times each question is timed")
    p.add_argument(
        "--quality", action="store_true", help="only answer quality: tuned, dev and held-out sets, every corpus"
    )
    p.add_argument("--quick", action="store_true", help="skip latency, build time and the synthetic corpus")
    p.set_defaults(handler=run)


def _sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(x) for x in text.split(",") if x.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected sizes such as 1000,10000,50000, got {text!r}") from None
    return tuple(x for x in sizes if x > 0)


def run(args: argparse.Namespace) -> int:
    """Print every figure as Markdown tables: `--quality` only the quality tables; `--quick` no latency,
    build or synthetic-corpus figures."""
    # Imported here: they need the dev extra (bm25s), and scikit-learn for the plain TF-IDF baseline.
    from bot import benchmark, scale

    settings = load_settings(args.config)
    if not args.quality:
        benchmark.speed(settings, rounds=0 if args.quick else args.rounds)
        print()
        if not args.quick and args.synthetic:
            scale.growth(args.synthetic, max(1, args.rounds // 4))
            print()
        if not args.quick and args.cold_start > 0:
            with tempfile.TemporaryDirectory(prefix="paperbot-bench-") as folder:
                scale.cold_start(args.cold_start, Path(folder))
            print()
    benchmark.quality_tables(benchmark.quality(settings))
    return 0
