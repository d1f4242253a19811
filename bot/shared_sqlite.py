"""A SQLite file that the bot's processes share, opened the same way by each of its users."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def open_shared(path: Path, *tables: str) -> sqlite3.Connection:
    """`path` opened in autocommit (transactions by hand), waiting for another process' write rather
    than failing, in WAL mode and without fsync: the file lives as long as the processes, and
    losing it loses only what they remember for a while. `tables`: CREATE statements, run if new."""
    db = sqlite3.connect(path, timeout=5.0, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    for table in tables:
        db.execute(table)
    return db
