"""How rare a word is in everyday English: a question word no paper uses weighs by it.

"Federated" or "microbiome" in a question about neuroscience papers says the question is about
something else; "vague" or "pictures" says nothing, it is only worded differently from the papers.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

# Zipf frequency (log10 of uses per billion words): "the" is 7.7, "network" 5.0, "haptic" 2.5.
COMMON = 5.5  # as common as this or more: no weight of its own
RARE = 2.5  # as rare as this or rarer (or not listed): full weight


@cache
def _frequencies() -> dict[str, float]:
    table: dict[str, float] = {}
    text = files("bot.core").joinpath("data/english-zipf.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            value, words = line.split("\t", 1)
            table.update(dict.fromkeys(words.split(), float(value)))
    return table


def rarity(word: str) -> float:
    """0 for an everyday word, 1 for a rare or unlisted one, in between by its Zipf frequency."""
    zipf = _frequencies().get(word, 0.0)
    return min(1.0, max(0.0, (COMMON - zipf) / (COMMON - RARE)))
