"""The reliability soak, as long as you like: `python -m benchmarks.soak --questions 20000`.

The test suite runs the same soak with 2,000 questions (tests/test_reliability.py); this prints the
report of a longer one, and how memory grows with the number of questions.
"""

from __future__ import annotations

import argparse
import asyncio
import logging

from tests.discord_emulator.soak import soak


async def main(sizes: list[int], members: int, channels: int) -> None:
    for size in sizes:
        report = await soak(size, members=members, channels=channels)
        print(f"== soak of {size} questions")
        print("\n".join(report.lines()))
        if report.errors_logged:
            print("errors:", *report.errors_logged[:5], sep="\n  ")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--members", type=int, default=50)
    parser.add_argument("--channels", type=int, default=5)
    args = parser.parse_args()
    logging.basicConfig(level=logging.CRITICAL)  # the report says what happened; the log would be noise
    asyncio.run(main(args.questions, args.members, args.channels))
