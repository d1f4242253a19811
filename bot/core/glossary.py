"""Synonyms and abbreviations: the field glossary, plus acronyms the abstracts define."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.core.text import fold, singular, tokens
from bot.errors import ConfigError, got
from bot.yamlfile import read_yaml

# "Counterfactual Contribution Analysis (COCOA)": an acronym in parentheses after its expansion.
_DEFINED = re.compile(r"\(([A-Z][A-Za-z]*[A-Z][A-Za-z]?s?)\)")


@dataclass(frozen=True)
class Glossary:
    """Groups of equivalent terms, each term a tuple of folded tokens."""

    groups: tuple[tuple[tuple[str, ...], ...], ...] = ()
    # term -> indexes of the groups it belongs to
    _index: dict[tuple[str, ...], tuple[int, ...]] = field(default_factory=dict, compare=False, repr=False)
    _longest: int = field(default=1, compare=False, repr=False)

    @classmethod
    def of(cls, groups: Iterable[Iterable[str]]) -> Glossary:
        """A glossary from groups of plain-text terms."""
        folded = tuple(
            tuple(dict.fromkeys(t for t in (tuple(tokens(term)) for term in group) if t)) for group in groups
        )
        folded = tuple(g for g in folded if len(g) > 1)
        index: dict[tuple[str, ...], list[int]] = {}
        for i, group in enumerate(folded):
            for term in group:
                index.setdefault(term, []).append(i)
        longest = max((len(t) for t in index), default=1)
        return cls(folded, {k: tuple(v) for k, v in index.items()}, longest)

    def knows(self, word: str) -> bool:
        """Whether a folded word is a term of some group ("lstm")."""
        return (word,) in self._index

    def words(self) -> tuple[str, ...]:
        """The terms of one word, in order ("backprop", "forgetting", "rl"...)."""
        return tuple(sorted(t[0] for t in self._index if len(t) == 1))

    def terms(self, word: str) -> list[tuple[str, ...]]:
        """The terms equivalent to one folded word, each as its tokens ("rl": ("reinforcement", "learning"))."""
        return [t for g in self._index.get((word,), ()) for t in self.groups[g] if t != (word,)]

    def phrases(self, words: Sequence[str]) -> list[tuple[range, list[tuple[str, ...]]]]:
        """The terms of two or more words found in `words`, as where they are and the terms
        equivalent to each ("neural nets": "neural networks", "nn"...)."""
        found: list[tuple[range, list[tuple[str, ...]]]] = []
        for start in range(len(words)):
            for size in range(min(self._longest, len(words) - start), 1, -1):
                term = tuple(words[start : start + size])
                if term in self._index:
                    others = [t for g in self._index[term] for t in self.groups[g] if t != term]
                    found.append((range(start, start + size), others))
                    break
        return found

    def merged(self, other: Glossary) -> Glossary:
        """This glossary with the groups of another added."""
        return Glossary.of([[" ".join(t) for t in g] for g in self.groups + other.groups])

    def expand(self, words: list[str]) -> list[str]:
        """The equivalent terms of every glossary term found in `words` (folded tokens), as tokens."""
        extra: list[str] = []
        seen: set[int] = set()
        n = len(words)
        for start in range(n):
            for size in range(min(self._longest, n - start), 0, -1):
                term = tuple(words[start : start + size])
                for g in self._index.get(term, ()):
                    if g in seen:
                        continue
                    seen.add(g)
                    for other in self.groups[g]:
                        if other != term:
                            extra.extend(other)
        return extra


def load_glossary(path: Path | None) -> Glossary:
    """Read `groups:` from a glossary YAML file; errors name the file and the group."""
    if path is None:
        return Glossary()
    data = read_yaml(path, "a glossary (config key: glossary)", ConfigError, allow_empty=True)
    if data is None:
        return Glossary()
    if not isinstance(data, dict) or set(data) - {"groups"}:
        raise ConfigError(f"{path}: expected a mapping with one key, groups: a list of lists of terms")
    groups = data.get("groups") or []
    if not isinstance(groups, list):
        raise ConfigError(f"{path}: groups: expected a list of lists of terms")
    for i, group in enumerate(groups, 1):
        if not isinstance(group, list) or len(group) < 2 or not all(isinstance(t, str) and t for t in group):
            raise ConfigError(f"{path}: groups[{i}]: expected a list of two or more terms, got {got(group)}")
    return Glossary.of(groups)


def _initials_match(acronym: str, words: list[str]) -> bool:
    """True when the acronym's letters run through the words in order, starting with the first."""
    # As written ("RNNs"), a plural's "s" is lower case, so three letters will do: "TTS" keeps its S.
    letters = fold(singular(acronym, ss_plural=True) or acronym)
    joined = "".join(fold(w) for w in words)
    if not joined or joined[0] != letters[0]:
        return False
    pos = 0
    for ch in letters:
        pos = joined.find(ch, pos)
        if pos < 0:
            return False
        pos += 1
    # Every word must contribute its initial, or the phrase reaches too far back.
    return all(fold(w)[0] in letters for w in words)


def mine_acronyms(texts: Iterable[str]) -> Glossary:
    """Acronyms that the texts define themselves, e.g. "Deep Feedback Control (DFC)", as a glossary."""
    groups: dict[str, set[str]] = {}
    for text in texts:
        for match in _DEFINED.finditer(text):
            acronym = match.group(1)
            before = re.findall(r"[\w'-]+", text[: match.start()])[-len(acronym) - 2 :]
            words: list[str] = []
            for size in range(1, len(before) + 1):
                candidate = before[-size:]
                if _initials_match(acronym, candidate):
                    words = candidate
                    break
            if words:
                groups.setdefault(fold(acronym), set()).add(" ".join(words))
    return Glossary.of([[acr, *sorted(phrases)] for acr, phrases in sorted(groups.items())])
