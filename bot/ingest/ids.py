"""Short, readable, stable paper ids: "least-control-principle", kept across re-ingests."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from bot.core.text import tokens

# Words left out of ids so that "A Theoretical Framework for ..." becomes theoretical-framework-target.
_ID_SKIP = frozenset("a an and as at by for from in into of on or the through to using via with".split())
# An id takes title words until it has this many word parts and characters: short, yet telling.
_ID_MIN_TOKENS = 3
_ID_MIN_CHARS = 16


def _id_words(title: str) -> list[str]:
    """The title's words as id parts: hyphenated words stay one ("multi-agent"), small words go."""
    words = []
    for word in title.replace("'", "").replace("’", "").split():
        parts = tokens(word)
        if parts and not (len(parts) == 1 and parts[0] in _ID_SKIP):
            words.append("-".join(parts))
    return words or ["paper"]


def _first_words(words: Sequence[str]) -> int:
    """How many words an id starts with: enough for its minimum of parts and characters."""
    n = 1
    while n < len(words):
        head = "-".join(words[:n])
        if head.count("-") + 1 >= _ID_MIN_TOKENS and len(head) >= _ID_MIN_CHARS:
            break
        n += 1
    return n


def paper_ids(titles: Sequence[str]) -> list[str]:
    """Short readable ids from titles: the first words, more of them where two titles begin alike."""
    words = [_id_words(t) for t in titles]
    lengths = [_first_words(w) for w in words]
    while True:
        ids = ["-".join(w[:n]) for w, n in zip(words, lengths, strict=True)]
        groups: defaultdict[str, list[int]] = defaultdict(list)
        for i, pid in enumerate(ids):
            groups[pid].append(i)
        grew = False
        for members in groups.values():
            for i in members if len(members) > 1 else ():
                if lengths[i] < len(words[i]):
                    lengths[i] += 1
                    grew = True
        if not grew:
            break
    # Titles with the very same words are told apart by number, in the order given.
    out: list[str] = []
    for pid in ids:
        candidate, n = pid, 1
        while candidate in out or (candidate != pid and candidate in ids):
            n += 1
            candidate = f"{pid}-{n}"
        out.append(candidate)
    return out


def stable_ids(titles: Sequence[str], previous: Sequence[str | None]) -> list[str]:
    """Ids for papers newest first: a paper's previous id where it had one, a new one from its title
    otherwise (never one already taken)."""
    taken = {p for p in previous if p}
    fresh = iter(paper_ids([t for t, p in zip(titles, previous, strict=True) if not p]))
    out = []
    for old in previous:
        if old:
            out.append(old)
            continue
        candidate = next(fresh)
        base, n = candidate, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}-{n}"
        taken.add(candidate)
        out.append(candidate)
    return out
