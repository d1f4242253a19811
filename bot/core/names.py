"""People's names as author lists spell them: "João Sacramento", "J. Sacramento", "Sacramento, Joao"."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache

from bot.core.text import fold, tokens


def display_form(name: str) -> str:
    """ "Last, First" turned into "First Last"; other names as they are."""
    last, comma, first = name.partition(",")
    if comma and first.strip() and last.strip():
        return f"{first.strip()} {last.strip()}"
    return " ".join(name.split())


def name_key(name: str) -> tuple[str, str]:
    """(last name, first initial), folded: what two spellings of one person share."""
    words = tokens(display_form(name))
    if not words:
        return ("", "")
    return (words[-1], words[0][0] if len(words) > 1 else "")


def same_person(a: str, b: str) -> bool:
    """Whether two spellings name the same person: the same last name and first initial.

    "J. Sacramento", "Joao Sacramento" and "Sacramento, João" are one person; "João Sacramento" and
    "Maria Sacramento" are two. A spelling without a first name matches on the last name alone.
    """
    (last_a, first_a), (last_b, first_b) = name_key(a), name_key(b)
    if not last_a or last_a != last_b:
        return False
    return not first_a or not first_b or first_a == first_b


def is_spelling_of(author: str, names: Iterable[str]) -> bool:
    """Whether `author` spells one of `names` (a member's name and aliases), accents and case aside."""
    return any(_spells(author, n) for n in names)


# Every answer card asks this of each author against each member: a burst of 200 answers, ten
# thousand times over the same few names.
@lru_cache(maxsize=8192)
def _spells(author: str, name: str) -> bool:
    return fold(display_form(author)) == fold(name) or same_person(author, name)


def _first_name(name: str) -> str:
    """The folded first name, or "" when the spelling gives only an initial."""
    words = tokens(display_form(name))
    return words[0] if len(words) > 1 and len(words[0]) > 1 else ""


def spellings_merged(counts: Mapping[str, int]) -> dict[str, str]:
    """Each spelling -> the one to show for its person: "J. Sacramento", "Joao Sacramento" and
    "João Sacramento" are one person, shown as the most frequent spelling (then the longest, then the
    one with accents). Two different first names ("John Smith", "Jane Smith") stay two people; a
    spelling with only an initial joins the most frequent one it fits."""
    groups: dict[tuple[str, str], list[str]] = {}
    for name in counts:
        groups.setdefault(name_key(name), []).append(name)
    out: dict[str, str] = {}
    for names in groups.values():
        people: dict[str, list[str]] = {}
        for name in names:
            people.setdefault(_first_name(name), []).append(name)
        full = {first: ns for first, ns in people.items() if first}
        initials_only = people.get("", [])
        if full and initials_only:
            likeliest = max(full, key=lambda first: sum(counts[n] for n in full[first]))
            full[likeliest] = full[likeliest] + initials_only
        elif initials_only:
            full = {"": initials_only}
        for spellings in full.values():
            shown = max(spellings, key=lambda n: (counts[n], len(n), not n.isascii()))
            out.update(dict.fromkeys(spellings, shown))
    return out
