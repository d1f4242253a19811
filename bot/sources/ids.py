"""Identifiers and dates as every source writes them, made bare and comparable."""

from __future__ import annotations

import re
from urllib.parse import unquote

# A DOI is "10." + registrant + "/" + suffix; anything before it (https://doi.org/, doi:) is dropped.
_DOI = re.compile(r"10\.\d{4,9}/\S+", re.IGNORECASE)
# New-style ids (2207.01332, 1601.00001) and old-style ones (math/0601001, hep-th/9901001v2).
_ARXIV_NEW = re.compile(r"(?<![\d.])(\d{4}\.\d{4,5})(?:v\d+)?(?![\d])")
_ARXIV_OLD = re.compile(r"\b([a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?\b")
_ARXIV_DOI = re.compile(r"10\.48550/arxiv\.(.+)$", re.IGNORECASE)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def bare_doi(value: str | None) -> str | None:
    """"https://doi.org/10.1063/1.4944470" -> "10.1063/1.4944470"; lower case, since DOIs ignore case."""
    if not value:
        return None
    # A DOI copied out of a link may keep the link's encoding: "10.1890%2F07-0842.1" is 10.1890/07-0842.1.
    match = _DOI.search(value.strip()) or _DOI.search(unquote(value.strip()))
    if not match:
        return None
    return match.group(0).rstrip(".,;").lower()


def bare_arxiv(value: str | None) -> str | None:
    """"http://arxiv.org/abs/1601.00001v1", "arXiv:2207.01332", "10.48550/arXiv.2207.01332" -> the id."""
    if not value:
        return None
    value = value.strip()
    doi = _ARXIV_DOI.search(value)
    if doi:
        value = doi.group(1)
    match = _ARXIV_NEW.search(value) or _ARXIV_OLD.search(value)
    return match.group(1) if match else None


def to_int(value: object) -> int | None:
    """An int from an int or a string of digits ("2021", " 9 "); None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def month_number(value: object) -> int | None:
    """A month 1..12 from 9, "09", "sep", "Sept.", "September" or "March"; None otherwise."""
    number = to_int(value)
    if number is None and isinstance(value, str):
        number = _MONTHS.get(value.strip().rstrip(".").lower())
    return number if number is not None and 1 <= number <= 12 else None


def year_number(value: object) -> int | None:
    """A plausible publication year from 2021 or "2021" (or "2021-11-15"); None otherwise."""
    number = to_int(value)
    if number is None and isinstance(value, str):
        number = date_parts(value)[0]
    return number if number is not None and 1000 <= number <= 2999 else None


def date_parts(value: str | None) -> tuple[int | None, int | None, int | None]:
    """(year, month, day) of "2024-01-17", "2024-01" or "2024"; missing parts are None."""
    match = _DATE.match(value or "")
    if not match:
        return None, None, None
    year, month, day = (int(g) if g else None for g in match.groups())
    if month is not None and not 1 <= month <= 12:
        month, day = None, None
    if day is not None and not 1 <= day <= 31:
        day = None
    return year, month, day
