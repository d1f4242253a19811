"""Cutting text to a length limit at a word boundary, with an ellipsis."""

from __future__ import annotations

ELLIPSIS = "…"


def cut(text: str, limit: int) -> str:
    """`text` if it fits in `limit` characters, else cut at a word boundary and ended with '…'."""
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
