"""The engine a running bot serves, swapped whole on reload: a broken file never replaces it."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.app import build_engine
from bot.config import load_settings
from bot.core.engine import Engine
from bot.core.models import Paper
from bot.errors import PaperbotError
from bot.ingest.update import UpdateResult, update_corpus
from bot.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RefreshResult:
    ok: bool  # every corpus file refreshed, or found unchanged
    lines: tuple[str, ...]  # what changed or failed, file by file, for an admin
    new: tuple[Paper, ...] = ()  # papers the refresh added, as the new index has them
    reload: ReloadResult | None = None  # when a file changed and the index was swapped


@dataclass(frozen=True)
class ReloadResult:
    ok: bool
    message: str  # what to tell the caller: the new figures, or the error with file and field (no content)
    took_ms: float


class LiveEngine:
    """Holds the current `Engine`. Readers take `.current` once per question and keep that one."""

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        config_path: Path | None = None,
        build: Callable[[Settings], Engine] = build_engine,
    ) -> None:
        self._state = (settings, engine)
        self.config_path = config_path
        self._build = build
        self._lock = threading.Lock()  # one reload at a time; readers never wait on it
        self._refreshing = threading.Lock()  # one refresh at a time: it may wait minutes on the network
        self.generation = 0

    @property
    def current(self) -> Engine:
        return self._state[1]

    @property
    def settings(self) -> Settings:
        return self._state[0]

    def refresh(self, update: Callable[[Path], UpdateResult] | None = None) -> RefreshResult:
        """Update every corpus file from its sources, then swap in the new index if any changed.

        A source that fails leaves its file as it was; the index keeps serving meanwhile, and readers
        never wait. Runs in a worker thread (the bot calls it with asyncio.to_thread).
        """
        settings = self.settings
        run = update or (lambda path: update_corpus(path, contact=settings.lab.contact))
        with self._refreshing:
            results = [run(path) for path in settings.corpus]
            lines = tuple(line for r in results for line in (r.lines() if r.ok else [f"{r.path}: {r.public}"]))
            ok = all(r.ok for r in results)
            for r in results:
                (log.info if r.ok else log.warning)("refresh: %s", "; ".join(r.lines()))
            if not any(r.written for r in results):
                return RefreshResult(ok, lines)
            reloaded = self.reload()
            added = {p.id for r in results for p in r.changes.new}
            new = tuple(p for p in self.current.corpus.papers if p.id in added)
            return RefreshResult(ok and reloaded.ok, (*lines, reloaded.message), new, reloaded)

    def reload(self) -> ReloadResult:
        """Re-read config and corpus; swap in the new engine only if everything loads."""
        start = time.perf_counter()
        with self._lock:
            try:
                settings = load_settings(self.config_path)
                engine = self._build(settings)
            except PaperbotError as err:
                took = (time.perf_counter() - start) * 1000
                log.error("reload failed, still serving the previous index: %s", err)
                # Members read this: the file and the field, never what the file holds.
                return ReloadResult(False, f"Reload failed, still serving the previous index: {err.public}", took)
            # One assignment of a tuple: a reader sees the old pair or the new one, never a mix.
            self._state = (settings, engine)
            self.generation += 1
        took = (time.perf_counter() - start) * 1000
        n = len(engine.corpus.papers)
        log.info("reloaded: %d papers of %s in %.0f ms", n, engine.corpus.name, took)
        return ReloadResult(True, f"Reloaded: {n} papers of {engine.corpus.name}.", took)
