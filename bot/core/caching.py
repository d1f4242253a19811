"""Caches whose memory is bounded by size, not only by count, whatever text callers pass in."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

T = TypeVar("T")


def short_text_cache(maxsize: int, max_chars: int) -> Callable[[Callable[[str], T]], Callable[[str], T]]:
    """An LRU cache for a function of one string that keeps only strings of at most `max_chars`.

    Longer strings are computed every time. Memory then stays under `maxsize` entries of at most
    `max_chars` characters (and their results), however many distinct long questions arrive:
    keyed by whole questions, a plain `lru_cache` grew by 16 KB per question.
    """

    def wrap(function: Callable[[str], T]) -> Callable[[str], T]:
        cached = lru_cache(maxsize=maxsize)(function)

        def call(text: str) -> T:
            return cached(text) if len(text) <= max_chars else function(text)

        call.__doc__ = function.__doc__
        call.cache_info = cached.cache_info  # type: ignore[attr-defined]
        return call

    return wrap
