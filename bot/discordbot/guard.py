"""Flood control: a cooldown per member and sliding-window limits per channel and overall."""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from dataclasses import dataclass

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


class Guard:
    """Decides, per question, whether to answer now; never queues."""

    def __init__(self, settings: DiscordSettings) -> None:
        self.configure(settings)
        self._last: OrderedDict[int, float] = OrderedDict()  # member -> time of last answered question
        self._notified: OrderedDict[int, float] = OrderedDict()  # member -> until when they were told
        self._channels: OrderedDict[int, deque[float]] = OrderedDict()
        self._global: deque[float] = deque()

    def configure(self, settings: DiscordSettings) -> None:
        """Take new limits (after a reload), keeping what was counted so far."""
        self.cooldown = settings.cooldown_seconds
        self.per_channel = settings.rate_limits.per_channel_per_minute
        self.global_limit = settings.rate_limits.global_per_minute

    @staticmethod
    def _remember(table: OrderedDict[int, float], key: int, value: float) -> None:
        table[key] = value
        table.move_to_end(key)
        while len(table) > MAX_TRACKED:
            table.popitem(last=False)

    def check(self, member: int, channel: int, now: float | None = None) -> Verdict:
        """Allow a question from `member` in `channel`, or say who must wait and how long."""
        now = time.monotonic() if now is None else now
        last = self._last.get(member)
        if last is not None and now - last < self.cooldown:
            return self._refuse(member, "member", last + self.cooldown - now, now)
        window = self._channels.get(channel)
        if window is None:
            window = deque()
            self._channels[channel] = window
            while len(self._channels) > MAX_TRACKED:
                self._channels.popitem(last=False)
        self._channels.move_to_end(channel)
        for q in (window, self._global):
            while q and now - q[0] >= WINDOW:
                q.popleft()
        if len(window) >= self.per_channel:
            return self._refuse(member, "channel", window[0] + WINDOW - now, now)
        if len(self._global) >= self.global_limit:
            return self._refuse(member, "global", self._global[0] + WINDOW - now, now)
        window.append(now)
        self._global.append(now)
        self._remember(self._last, member, now)
        return Verdict(True)

    def _refuse(self, member: int, scope: str, wait: float, now: float) -> Verdict:
        told_until = self._notified.get(member, 0.0)
        notify = now >= told_until
        if notify:
            self._remember(self._notified, member, now + wait)
        return Verdict(False, max(wait, 0.1), scope, notify)

    def tracked(self) -> int:
        """How many members and channels are remembered (for the soak test's memory check)."""
        return len(self._last) + len(self._notified) + len(self._channels)
