"""The engine a running bot serves, swapped whole on reload: a broken file never replaces it."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.config import load_settings
from bot.core.engine import Engine
from bot.errors import PaperbotError
from bot.settings import Settings

log = logging.getLogger(__name__)


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
        build: Callable[[Settings], Engine] = Engine.from_settings,
    ) -> None:
        self._state = (settings, engine)
        self.config_path = config_path
        self._build = build
        self._lock = threading.Lock()  # one reload at a time; readers never wait on it
        self.generation = 0

    @property
    def current(self) -> Engine:
        return self._state[1]

    @property
    def settings(self) -> Settings:
        return self._state[0]

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
