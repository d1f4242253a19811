"""`bench`: answer quality against baselines, latency, index build time and memory, as tables.

Quality is measured on the tuned set (tests/data/questions.yaml), the dev set (tests/data/dev) and the
held-out set (tests/data/heldout), each corpus with its own engine and baselines.
"""

from __future__ import annotations

import argparse

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
    from bot.benchmark import run as bench  # imported here: it needs the dev extra (bm25s)

    bench(
        load_settings(args.config),
        synthetic=args.synthetic,
        cold_start=args.cold_start,
        rounds=args.rounds,
        quick=args.quick,
        quality_only=args.quality,
    )
    return 0
