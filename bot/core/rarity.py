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


# A comparative ("richer") is read as its adjective ("rich") only when that is this much more common,
# and not a function word ("forest" is not "for"'s): those are all more common than FUNCTION_WORD.
BASE_MORE_COMMON = 0.5
FUNCTION_WORD = 6.5


@cache
def _frequencies() -> dict[str, float]:
    table: dict[str, float] = {}
    text = files("bot.core").joinpath("data/english-zipf.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            value, words = line.split("\t", 1)
            table.update(dict.fromkeys(words.split(), float(value)))
    return table


def zipf(word: str) -> float:
    """The word's Zipf frequency in everyday English; 0 when the list does not have it (rarer than RARE)."""
    return _frequencies().get(word, 0.0)


def rarity(word: str) -> float:
    """0 for an everyday word, 1 for a rare or unlisted one, in between by its Zipf frequency."""
    return min(1.0, max(0.0, (COMMON - zipf(word)) / (COMMON - RARE)))


def comparative_base(word: str) -> str | None:
    """The adjective of a comparative or superlative ("richer", "poorest", "bigger", "happier":
    "rich", "poor", "big", "happy"), which stemmers keep apart; None when `word` is not one: the
    adjective must be an English word far more common than `word` ("layer" is not "lay"'s)."""
    for ending in ("est", "er"):
        if len(word) < len(ending) + 3 or not word.endswith(ending):
            continue
        stem = word[: -len(ending)]
        candidates = [stem, stem + "e"]  # "wider": "wide"
        if stem.endswith("i"):
            candidates.append(stem[:-1] + "y")  # "happier": "happy"
        if len(stem) > 2 and stem[-1] == stem[-2]:
            candidates.append(stem[:-1])  # "bigger": "big"
        for base in candidates:
            if zipf(word) + BASE_MORE_COMMON <= zipf(base) < FUNCTION_WORD:
                return base
    return None
