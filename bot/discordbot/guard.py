"""Flood control: a cooldown per member and sliding-window limits per channel and overall.

What the guard counts is kept in a `Book`: this process' memory (`MemoryBook`), or, when the bot
answers from several processes (the HTTP interactions endpoint), a file they all share for what
members asked (bot/discordbot/shared_book.py), so that a member's second question is refused
whichever process it reaches.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Protocol

from bot.settings import DiscordSettings

WINDOW = 60.0
# Members and channels remembered at most: memory stays flat whatever the number of spammers.
MAX_TRACKED = 10_000


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: float = 0.0
    scope: str = ""  # "member", "channel" or "global" when refused
    notify: bool = True  # False when this caller was already told to slow down in this window

    @property
    def notice(self) -> str:
        """What a refused member reads."""
        return f"Slow down: try again in {self.retry_after:.0f} s."


class Book(Protocol):
    """What the guard has counted. Times are `time.monotonic()` seconds, one clock for every process
    of the machine."""

    def held(self) -> AbstractContextManager[None]:
        """One check at a time: its reads and its record happen inside, as one step."""
        ...

    def last(self, member: int) -> float | None:
        """When `member`'s last allowed question was asked."""
        ...

    def told_until(self, member: int) -> float:
        """Until when `member` was told to slow down (0: never)."""
        ...

    def tell(self, member: int, until: float) -> None:
        """Note that `member` was told to slow down until `until`."""
        ...

    def asked(self, channel: int | None, since: float) -> tuple[int, float | None]:
        """Allowed questions after `since` in `channel` (None: everywhere), and the oldest one's time."""
        ...

    def record(self, member: int, channel: int, now: float) -> None:
        """An allowed question."""
        ...

    def tracked(self) -> int:
        """How many members and channels are remembered."""
        ...


class Guard:
    """Decides, per question, whether to answer now; never queues."""

    def __init__(self, settings: DiscordSettings, book: Book | None = None) -> None:
        self.configure(settings)
        self.book: Book = book or MemoryBook()

    def configure(self, settings: DiscordSettings) -> None:
        """Take new limits (after a reload), keeping what was counted so far."""
        self.cooldown = settings.cooldown_seconds
        self.per_channel = settings.rate_limits.per_channel_per_minute
        self.global_limit = settings.rate_limits.global_per_minute

    def check(self, member: int, channel: int, now: float | None = None) -> Verdict:
        """Allow a question from `member` in `channel`, or say who must wait and how long."""
        now = time.monotonic() if now is None else now
        with self.book.held():
            last = self.book.last(member)
            if last is not None and now - last < self.cooldown:
                return self._refuse(member, "member", last + self.cooldown - now, now)
            for scope, where, limit in (("channel", channel, self.per_channel), ("global", None, self.global_limit)):
                count, oldest = self.book.asked(where, now - WINDOW)
                if count >= limit:
                    return self._refuse(member, scope, (oldest or now) + WINDOW - now, now)
            self.book.record(member, channel, now)
            return Verdict(True)

    def _refuse(self, member: int, scope: str, wait: float, now: float) -> Verdict:
        notify = now >= self.book.told_until(member)
        if notify:
            self.book.tell(member, now + wait)
        return Verdict(False, max(wait, 0.1), scope, notify)

    def tracked(self) -> int:
        """How many members and channels are remembered (for the soak test's memory check)."""
        return self.book.tracked()


class MemoryBook:
    """The guard's counts in this process' memory."""

    def __init__(self) -> None:
        self._last: OrderedDict[int, float] = OrderedDict()  # member -> time of last answered question
        self._told: OrderedDict[int, float] = OrderedDict()  # member -> until when they were told
        self._channels: OrderedDict[int, deque[float]] = OrderedDict()
        self._global: deque[float] = deque()

    @contextmanager
    def held(self) -> Iterator[None]:
        yield  # one event loop, and no await inside a check: nothing interleaves

    def last(self, member: int) -> float | None:
        return self._last.get(member)

    def told_until(self, member: int) -> float:
        return self._told.get(member, 0.0)

    def tell(self, member: int, until: float) -> None:
        _remember(self._told, member, until)

    def asked(self, channel: int | None, since: float) -> tuple[int, float | None]:
        window = self._global if channel is None else self._channel(channel)
        while window and window[0] <= since:
            window.popleft()
        return len(window), (window[0] if window else None)

    def record(self, member: int, channel: int, now: float) -> None:
        self.count(channel, now)
        _remember(self._last, member, now)

    def count(self, channel: int, now: float) -> None:
        """An allowed question in the windows only (its member's time kept elsewhere)."""
        self._channel(channel).append(now)
        self._global.append(now)

    def tracked(self) -> int:
        return len(self._last) + len(self._told) + self.channels()

    def channels(self) -> int:
        """How many channels' windows are remembered."""
        return len(self._channels)

    def _channel(self, channel: int) -> deque[float]:
        window = self._channels.get(channel)
        if window is None:
            window = self._channels[channel] = deque()
            while len(self._channels) > MAX_TRACKED:
                self._channels.popitem(last=False)
        self._channels.move_to_end(channel)
        return window


def _remember(table: OrderedDict[int, float], key: int, value: float) -> None:
    table[key] = value
    table.move_to_end(key)
    while len(table) > MAX_TRACKED:
        table.popitem(last=False)
