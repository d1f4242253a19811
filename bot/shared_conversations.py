"""Conversations kept in a SQLite file that every process of one bot opens, so that a question
continues the member's conversation whichever process it reaches: the gateway's (mentions, DMs,
replies) or any of the HTTP interactions endpoint's (/ask).

The same store as `bot.core.conversation.Conversations` (idle expiry, a cap, least recently used
dropped first), in a file the processes' directory holds and removes: a restart still forgets
every conversation.
"""

from __future__ import annotations

import pickle
import threading
import time
from collections.abc import Callable, Hashable
from pathlib import Path

from bot.core.conversation import Conversation
from bot.shared_sqlite import open_shared

# Expired and surplus conversations are dropped every this many writes, not at each: a write then
# costs one statement.
TRIM_EVERY = 64


class SharedConversations:
    """Conversations by key, in `path`; safe from several threads and processes."""

    def __init__(
        self, path: Path, idle_minutes: float, max_active: int, clock: Callable[[], float] = time.time
    ) -> None:
        self.idle_seconds = idle_minutes * 60
        self.max_active = max_active
        self._clock = clock  # wall time: the processes compare each other's
        self._lock = threading.Lock()
        self._writes = 0
        self._db = open_shared(
            path,
            "CREATE TABLE IF NOT EXISTS conversations (key TEXT PRIMARY KEY, used REAL, state BLOB)",
            "CREATE INDEX IF NOT EXISTS by_use ON conversations (used)",
        )

    def configure(self, idle_minutes: float, max_active: int) -> None:
        """New limits (after a reload); they apply from the next question on."""
        with self._lock:
            self.idle_seconds = idle_minutes * 60
            self.max_active = max_active
            self._trim()

    def get(self, key: Hashable) -> Conversation:
        """The conversation under `key`, or a new one when there is none or it has gone idle."""
        with self._lock:
            row = self._db.execute("SELECT used, state FROM conversations WHERE key = ?", (repr(key),)).fetchone()
        if row is None or self._clock() - row[0] > self.idle_seconds:
            return Conversation()
        # Written by this bot's own processes only, in their private directory.
        state = pickle.loads(row[1])
        return state if isinstance(state, Conversation) else Conversation()

    def put(self, key: Hashable, conversation: Conversation) -> None:
        """Keep `conversation` under `key` as the most recently used."""
        state = pickle.dumps(conversation, protocol=pickle.HIGHEST_PROTOCOL)
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO conversations VALUES (?, ?, ?)", (repr(key), self._clock(), state))
            self._writes += 1
            if self._writes % TRIM_EVERY == 0:
                self._trim()

    def forget(self, key: Hashable) -> None:
        """Drop the conversation under `key`, if any."""
        with self._lock:
            self._db.execute("DELETE FROM conversations WHERE key = ?", (repr(key),))

    def __len__(self) -> int:
        with self._lock:
            self._trim()
            return int(self._db.execute("SELECT count(*) FROM conversations").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _trim(self) -> None:
        self._db.execute("DELETE FROM conversations WHERE used < ?", (self._clock() - self.idle_seconds,))
        self._db.execute("DELETE FROM conversations WHERE key IN (SELECT key FROM conversations ORDER BY used DESC "
                         "LIMIT -1 OFFSET ?)", (self.max_active,))  # fmt: skip
