"""What a conversation remembers between questions, and the bounded store of conversations.

A front end keeps one conversation per place and person (a Discord thread and member, a terminal
session) under a key of its choosing. The state is small and capped: paper ids, not papers, so a
reload that changes the corpus leaves nothing stale but ids that no longer resolve. Nothing is
written anywhere: a restart forgets every conversation.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from typing import Protocol

from bot.core.intents import Query
from bot.core.models import Answer, Intent

# Per conversation: the papers of the last answer (a list question shows at most 100) and those
# discussed lately, which "which paper do you mean?" offers.
MAX_PAPERS = 100
MAX_RECENT = 10


@dataclass(frozen=True)
class Conversation:
    """One conversation's memory: the last answer's papers, the paper in focus, the filters in force."""

    papers: tuple[str, ...] = ()  # ids of the last answer's papers, in the order shown ("the second one")
    focus: str | None = None  # the id of the paper "it" means, when one is clear
    query: Query | None = None  # the filters the last list was found with, carried into refinements
    recent: tuple[str, ...] = ()  # ids of papers discussed lately, most recent first
    # The list the last answer narrowed ("only the newest" of five): "the second one" still counts in it.
    wider: tuple[str, ...] = ()

    def after(self, answer: Answer, query: Query | None) -> Conversation:
        """The conversation once `answer` has been given (to a question read as `query`)."""
        if answer.intent is Intent.FACT or (answer.intent is Intent.NONE and not answer.hits):
            # Facts leave the list as it was; so does finding nothing: "those" still means what it meant.
            if answer.about is None:
                return self
            return replace(self, focus=answer.about.id, recent=_recent(answer.about.id, self.recent))
        ids = tuple(dict.fromkeys(h.paper.id for h in answer.hits))[:MAX_PAPERS]
        focus = ids[0] if len(ids) == 1 else None
        kept = None if query is None else replace(query, paper=None, figures=(), among=None)
        recent = self.recent
        for paper_id in reversed(ids[:MAX_RECENT]):
            recent = _recent(paper_id, recent)
        narrowed = bool(ids) and len(ids) < len(self.papers) and set(ids) <= set(self.papers)
        wider = (self.wider or self.papers) if narrowed else ()
        return Conversation(papers=ids, focus=focus, query=kept, recent=recent, wider=wider)


def _recent(paper_id: str, recent: tuple[str, ...]) -> tuple[str, ...]:
    return (paper_id, *(r for r in recent if r != paper_id))[:MAX_RECENT]


class ConversationStore(Protocol):
    """Where a front end keeps its conversations: this module's `Conversations` in memory, or one the
    processes of a bot share (bot/shared_conversations.py)."""

    max_active: int

    def configure(self, idle_minutes: float, max_active: int) -> None: ...
    def get(self, key: Hashable) -> Conversation: ...
    def put(self, key: Hashable, conversation: Conversation) -> None: ...
    def forget(self, key: Hashable) -> None: ...


class Conversations:
    """Conversations by key, dropped when idle longer than `idle_minutes` or, least recently used
    first, when more than `max_active` exist. Safe to use from several threads."""

    def __init__(self, idle_minutes: float, max_active: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.idle_seconds = idle_minutes * 60
        self.max_active = max_active
        self._clock = clock
        self._lock = threading.Lock()
        self._held: OrderedDict[Hashable, tuple[float, Conversation]] = OrderedDict()  # least recent first

    def configure(self, idle_minutes: float, max_active: int) -> None:
        """New limits (after a reload); they apply from the next question on."""
        with self._lock:
            self.idle_seconds = idle_minutes * 60
            self.max_active = max_active
            self._drop(self._clock())

    def get(self, key: Hashable) -> Conversation:
        """The conversation under `key`, or a new one when there is none or it has gone idle."""
        with self._lock:
            now = self._clock()
            self._drop(now)
            held = self._held.get(key)
            return held[1] if held is not None else Conversation()

    def put(self, key: Hashable, conversation: Conversation) -> None:
        """Keep `conversation` under `key` as the most recently used."""
        with self._lock:
            now = self._clock()
            self._held[key] = (now, conversation)
            self._held.move_to_end(key)
            self._drop(now)

    def forget(self, key: Hashable) -> None:
        """Drop the conversation under `key`, if any."""
        with self._lock:
            self._held.pop(key, None)

    def __len__(self) -> int:
        with self._lock:
            self._drop(self._clock())
            return len(self._held)

    def _drop(self, now: float) -> None:
        # Oldest first: both idle conversations and those over the cap are at the front.
        while self._held:
            key, (used, _) = next(iter(self._held.items()))
            if now - used <= self.idle_seconds and len(self._held) <= self.max_active:
                break
            del self._held[key]
