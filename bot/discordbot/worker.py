"""Where the engine's CPU work runs during a burst: inline when it is cheap, else on one thread.

Several worker threads answering at once only take turns under the GIL, and each turn also
delays the event loop (a thread holding the GIL keeps it for up to the switch interval, 5 ms,
every time the loop wants it back), so a burst is answered all at once at the end instead of
one after the other. One dedicated thread answers in the order members asked. Cheap work (a
question on a small corpus costs about a millisecond) is run inline: that costs the loop less
than the hand-over to a thread, and a millisecond never holds up the gateway's heartbeat. Work
never runs inline while the thread still has some, so answers keep the order of the questions.

Which one is decided by recent costs, but not by one outlier: otherwise a garbage collection or
one rare expensive question sends the next 32 calls to the thread, and since calls queue behind
each other in a burst, the whole burst with them (376 of 500 in a measured run, on a corpus whose
questions all cost under 2 ms), paying the hand-over and the fight for the GIL.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")

# Work whose recent cost stayed under this runs on the event loop. A whole burst of 200 such
# questions then holds the loop for well under a second in total, in slices of a few
# milliseconds, far from the 10 s after which discord.py reports a blocked heartbeat.
INLINE_MS = 4.0
# How many recent runs the estimate looks at, and the share of the most expensive of them it
# ignores: a kind of question that is slow and common (more than 1 in 8 recent ones) sends the
# next ones to the thread; a rare one does not.
RECENT = 32
OUTLIERS = 1 / 8


class EngineWorker:
    """Runs engine calls for the event loop, timing each to decide where the next one runs."""

    def __init__(self, inline_ms: float = INLINE_MS) -> None:
        self.inline_ms = inline_ms
        self._recent: deque[float] = deque(maxlen=RECENT)
        self._pool: ThreadPoolExecutor | None = None
        self._queued = 0  # calls handed to the thread and not finished yet
        self.inline_runs = 0
        self.thread_runs = 0

    def cheap(self) -> bool:
        """Whether recent work, but for a few outliers, was cheap enough to run inline (nothing
        measured yet: no)."""
        if not self._recent:
            return False
        ordered = sorted(self._recent)
        return ordered[len(ordered) - 1 - int(len(ordered) * OUTLIERS)] <= self.inline_ms

    def warm(self, work: Callable[[], object]) -> None:
        """Run `work` twice now, on this thread, and count the second run's cost: start-up's warm-up
        questions, so that the first members' questions find the caches full and are placed by what
        they cost warm (a first run also loads tables once, which would count as slow work)."""
        work()
        self._recent.append(_timed(work)[1])

    def inline(self) -> bool:
        """Whether the next call runs inline: cheap, and nothing waiting on the thread before it."""
        return self._queued == 0 and self.cheap()

    async def run(self, work: Callable[[], T]) -> T:
        """`work()`'s result: computed inline when cheap, else on the dedicated thread."""
        if self.inline():
            self.inline_runs += 1
            result, took_ms = _timed(work)
        else:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="paperbot-engine")
            self.thread_runs += 1
            self._queued += 1
            try:
                result, took_ms = await asyncio.get_running_loop().run_in_executor(self._pool, _timed, work)
            finally:
                self._queued -= 1
        self._recent.append(took_ms)  # only the loop's thread touches the estimate
        return result

    def close(self) -> None:
        """Let the thread finish what it holds and end (new work would start another)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False)
            self._pool = None


def _timed(work: Callable[[], T]) -> tuple[T, float]:
    """`work()`'s result and the CPU milliseconds it took: CPU, not wall time, so that a busy
    machine pausing the thread does not make cheap work look expensive."""
    start = time.thread_time()
    result = work()
    return result, (time.thread_time() - start) * 1000
