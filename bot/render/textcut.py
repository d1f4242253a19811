"""Text made fit to show: printable (no control characters) and cut to a length limit at a word."""

from __future__ import annotations

from bot.core.text import printable

ELLIPSIS = "…"

def cut(text: str, limit: int) -> str:
    """`text` made printable, and if longer than `limit` characters, cut at a word and ended with '…'."""
    text = printable(text)
    if limit <= 0:
        return ""
    if len(text) <= limit:
        return text
    if limit == 1:
        return ELLIPSIS
    head = text[: limit - 1]
    # Prefer the last space in the second half, so a long unbroken token still leaves some text.
    space = head.rfind(" ")
    if space >= limit // 2:
        head = head[:space]
    return head.rstrip(" \t\n,;:") + ELLIPSIS
