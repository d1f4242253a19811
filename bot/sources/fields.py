"""Safe look-ups in parsed JSON, whose shape a source may change or a file may get wrong."""

from __future__ import annotations

from collections.abc import Iterator


def dig(value: object, *keys: str) -> object:
    """value[k1][k2]... where each step is a mapping holding the key; None as soon as one is not."""
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def text(value: object) -> str | None:
    """A non-empty string, or None (numbers are not text here: a title of 5 is a broken record)."""
    return value if isinstance(value, str) and value.strip() else None


def items(value: object) -> Iterator[dict[str, object]]:
    """The mappings in a list; anything else in it is skipped."""
    if isinstance(value, list):
        for item in value:
            if isinstance(item, dict):
                yield item
