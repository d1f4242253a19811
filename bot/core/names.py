"""People's names as author lists spell them: "João Sacramento", "J. Sacramento", "Sacramento, Joao"."""

from __future__ import annotations

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


def is_spelling_of(author: str, names: tuple[str, ...]) -> bool:
    """Whether `author` spells one of `names` (a member's name and aliases), accents and case aside."""
    folded = fold(display_form(author))
    return any(folded == fold(n) or same_person(author, n) for n in names)
