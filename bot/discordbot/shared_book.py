"""The flood guard's counts in a SQLite file that every process of one bot opens: a member's second
question within the cooldown is refused whichever process it reaches, and the per-channel and
overall limits count every process' answers, as an admin set them.

Each check is one write transaction (BEGIN IMMEDIATE), so two processes never both allow the
question that fills a window. The file lives in the processes' directory, with the conversations.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.discordbot.guard import MAX_TRACKED, WINDOW

# Old rows are dropped every this many allowed questions, not at each.
TRIM_EVERY = 64


class SharedBook:
    """The guard's counts in `path`; safe from several threads and processes."""

    def __init__(self, path: Path) -> None:
        self._lock = threading.Lock()
        self._records = 0
        # Transactions by hand, a wait for another process' write rather than an error, and no
        # fsync: the file lives as long as the processes, and losing it forgets only who asked.
        self._db = sqlite3.connect(path, timeout=5.0, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute("CREATE TABLE IF NOT EXISTS answered (member INTEGER PRIMARY KEY, at REAL)")
        self._db.execute("CREATE TABLE IF NOT EXISTS told (member INTEGER PRIMARY KEY, until REAL)")
        self._db.execute("CREATE TABLE IF NOT EXISTS asked (channel INTEGER, at REAL)")
        self._db.execute("CREATE INDEX IF NOT EXISTS asked_in ON asked (channel, at)")
        self._db.execute("CREATE INDEX IF NOT EXISTS asked_at ON asked (at)")

    @contextmanager
    def held(self) -> Iterator[None]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def last(self, member: int) -> float | None:
        row = self._db.execute("SELECT at FROM answered WHERE member = ?", (member,)).fetchone()
        return None if row is None else float(row[0])

    def told_until(self, member: int) -> float:
        row = self._db.execute("SELECT until FROM told WHERE member = ?", (member,)).fetchone()
        return 0.0 if row is None else float(row[0])

    def tell(self, member: int, until: float) -> None:
        self._db.execute("INSERT OR REPLACE INTO told VALUES (?, ?)", (member, until))

    def asked(self, channel: int | None, since: float) -> tuple[int, float | None]:
        if channel is None:
            row = self._db.execute("SELECT count(*), min(at) FROM asked WHERE at > ?", (since,)).fetchone()
        else:
            row = self._db.execute(
                "SELECT count(*), min(at) FROM asked WHERE channel = ? AND at > ?", (channel, since)
            ).fetchone()
        return int(row[0]), (None if row[1] is None else float(row[1]))

    def record(self, member: int, channel: int, now: float) -> None:
        self._db.execute("INSERT INTO asked VALUES (?, ?)", (channel, now))
        self._db.execute("INSERT OR REPLACE INTO answered VALUES (?, ?)", (member, now))
        self._records += 1
        if self._records % TRIM_EVERY == 0:
            self._trim(now)

    def tracked(self) -> int:
        with self._lock:
            row = self._db.execute(
                "SELECT (SELECT count(*) FROM answered) + (SELECT count(*) FROM told)"
                " + (SELECT count(DISTINCT channel) FROM asked)"
            ).fetchone()
            return int(row[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _trim(self, now: float) -> None:
        """Questions out of every window; as in memory, the most recent MAX_TRACKED members only."""
        self._db.execute("DELETE FROM asked WHERE at <= ?", (now - WINDOW,))
        for table, column in (("answered", "at"), ("told", "until")):
            self._db.execute(f"DELETE FROM {table} WHERE member IN (SELECT member FROM {table} "
                             f"ORDER BY {column} DESC LIMIT -1 OFFSET ?)", (MAX_TRACKED,))  # fmt: skip
