"""What conversations cost: `python -m benchmarks.conversations [--rounds N] [--active N]`.

Time: a follow-up answered in its conversation (`converse`) against the same question asked alone
(`Engine.ask`, no conversation), medians over rounds, on the shipped corpus. Memory: the store
filled past `--active` conversations that each remember a full list, measured with tracemalloc.
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc
from pathlib import Path

from bot.config import load_settings
from bot.core.conversation import Conversation, Conversations
from bot.core.engine import Engine
from bot.core.followups import converse

ROOT = Path(__file__).resolve().parent.parent
CHAINS = [
    ("what did he write with Nicolas Zucchet?", "which of those are from 2023?"),
    ("What is COCOA?", "does it have code?"),
    ("What is COCOA?", "who else wrote it?"),
    ("papers on credit assignment", "only the newest"),
    ("papers on credit assignment", "cite the second one"),
    ("What is COCOA?", "more like this"),
]


def median_ms(run: list[float]) -> float:
    return statistics.median(run) * 1000


def timing(engine: Engine, rounds: int) -> None:
    print(f"{'follow-up':<32} {'in conversation':>16} {'asked alone':>12} {'ratio':>6}")
    for first, follow_up in CHAINS:
        before = converse(engine, first, Conversation()).conversation
        within, alone = [], []
        for _ in range(rounds):
            start = time.perf_counter()
            converse(engine, follow_up, before)
            within.append(time.perf_counter() - start)
            start = time.perf_counter()
            engine.ask(follow_up)
            alone.append(time.perf_counter() - start)
        a, b = median_ms(within), median_ms(alone)
        print(f"{follow_up:<32} {a:>13.2f} ms {b:>9.2f} ms {a / b:>6.2f}")


def memory(engine: Engine, active: int) -> None:
    listed = converse(engine, "list all papers", Conversation()).conversation
    store = Conversations(idle_minutes=10, max_active=active)
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for i in range(active * 2):
        # A conversation of its own per key, as each member's would be after a list question.
        store.put(("channel", i), Conversation(papers=tuple(listed.papers), focus=listed.papers[0],
                                               query=listed.query, recent=listed.recent))  # fmt: skip
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    print(f"{active * 2:,} conversations put, {len(store):,} kept (max_active {active:,}); "
          f"{held / 2**20:.1f} MiB held, {held / len(store):,.0f} bytes per conversation "
          f"({len(listed.papers)} papers remembered each)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--active", type=int, default=10_000)
    args = parser.parse_args()
    engine = Engine.from_settings(load_settings(ROOT / "config" / "config.yaml", env={}))
    timing(engine, args.rounds)
    memory(engine, args.active)


if __name__ == "__main__":
    main()
