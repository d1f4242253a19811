"""The flood guard's member counts in a SQLite file that every process of one bot opens: a member's
second question within the cooldown is refused whichever process it reaches, and told to slow down
once, not once per process.

Each check is one transaction, taken under an exclusive lock of the file (flock): two processes
never both allow a member's question, and a process waiting for another's check wakes as soon as it
ends (SQLite's own wait for a busy database sleeps a millisecond or more at a time). The per-channel
and overall windows stay in each process' memory: every question a process allows rewrites what the
others read, and a shared table of every question asked cost a burst of 200 questions 100 to 190 ms
of CPU (docs/benchmarks.md). The file lives in the processes' directory, with the conversations.
"""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.discordbot.guard import MAX_TRACKED, MemoryBook
from bot.shared_sqlite import open_shared

# Surplus members are dropped every this many allowed questions, not at each.
TRIM_EVERY = 64


class SharedBook:
    """The guard's member counts in `path`, its windows in memory; safe from several threads and processes."""

    def __init__(self, path: Path) -> None:
        self._windows = MemoryBook()
        self._lock = threading.Lock()
        self._records = 0
        self._db = open_shared(
            path,
            "CREATE TABLE IF NOT EXISTS answered (member INTEGER PRIMARY KEY, at REAL)",
            "CREATE TABLE IF NOT EXISTS told (member INTEGER PRIMARY KEY, until REAL)",
        )
        self._turn = open(path.with_suffix(".lock"), "a")  # noqa: SIM115 (held open as long as the book)

    @contextmanager
    def held(self) -> Iterator[None]:
        with self._lock:
            fcntl.flock(self._turn, fcntl.LOCK_EX)
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    yield
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
            finally:
                fcntl.flock(self._turn, fcntl.LOCK_UN)

    def last(self, member: int) -> float | None:
        row = self._db.execute("SELECT at FROM answered WHERE member = ?", (member,)).fetchone()
        return None if row is None else float(row[0])

    def told_until(self, member: int) -> float:
        row = self._db.execute("SELECT until FROM told WHERE member = ?", (member,)).fetchone()
        return 0.0 if row is None else float(row[0])

    def tell(self, member: int, until: float) -> None:
        self._db.execute("INSERT OR REPLACE INTO told VALUES (?, ?)", (member, until))

    def asked(self, channel: int | None, since: float) -> tuple[int, float | None]:
        return self._windows.asked(channel, since)

    def record(self, member: int, channel: int, now: float) -> None:
        self._windows.count(channel, now)  # the member's time is in the file, not kept twice
        self._db.execute("INSERT OR REPLACE INTO answered VALUES (?, ?)", (member, now))
        self._records += 1
        if self._records % TRIM_EVERY == 0:
            self._trim()

    def tracked(self) -> int:
        with self._lock:
            row = self._db.execute("SELECT (SELECT count(*) FROM answered) + (SELECT count(*) FROM told)").fetchone()
            return int(row[0]) + self._windows.channels()

    def close(self) -> None:
        with self._lock:
            self._db.close()
            self._turn.close()

    def _trim(self) -> None:
        """As in memory, the most recent MAX_TRACKED members only."""
        for table, column in (("answered", "at"), ("told", "until")):
            self._db.execute(f"DELETE FROM {table} WHERE member IN (SELECT member FROM {table} "
                             f"ORDER BY {column} DESC LIMIT -1 OFFSET ?)", (MAX_TRACKED,))  # fmt: skip
