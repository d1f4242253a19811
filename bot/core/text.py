"""Text normalisation shared by the index, the intent parser and the summariser."""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Sequence
from itertools import filterfalse

from bot.core.caching import short_text_cache


def _greek_letter(code: int) -> str | None:
    """The name of the plain Greek letter at `code` ("beta"), None for anything else (an accented
    letter decomposes to a plain one first)."""
    words = unicodedata.name(chr(code), "").lower().split()
    if words[:3] not in (["greek", "small", "letter"], ["greek", "capital", "letter"]):
        return None
    if len(words) == 5 and words[3] == "final":  # final sigma
        words = words[:3] + words[4:]
    return words[3].replace("lamda", "lambda") if len(words) == 4 else None  # Unicode spells it "lamda"


# Greek letters by their names, as people type them ("β-diversity" as "beta-diversity", "Aβ" as
# "Abeta", "µm" as "mum"): science writes them everywhere, and ASCII would drop them.
_GREEK = {chr(c): name for c in range(0x391, 0x3CA) if (name := _greek_letter(c))}

# Letters that Unicode does not decompose into a base letter plus an accent.
_FOLD = str.maketrans(
    {
        "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss", "æ": "ae", "Æ": "AE",
        "œ": "oe", "Œ": "OE", "ı": "i", "þ": "th", "ð": "d",
        "‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "‐": "-", "‑": "-",
        **_GREEK,
    }
)  # fmt: skip

# Text is tokenised by a byte table, several times faster than a pattern: folded, encoded as ASCII
# (any other character becomes "?"), then every byte but a-z and 0-9 becomes a space.
_ASCII_SPACES = bytes(c if chr(c) in string.ascii_lowercase + string.digits else 32 for c in range(256))

# Function words, and words every question about papers uses, that say nothing about a topic; with
# what is left of a negative contraction once its apostrophe splits it ("doesn" of "doesn't"), which
# no frequency list has, so it would otherwise weigh as a rare term.
# A list of our own: scikit-learn's English list drops words that matter here ("least", "first",
# "system", "full").
STOPWORDS: frozenset[str] = frozenset(
    """
    a about above after again against all also am an and any anything are as at be because been
    before being below between both but by can could did do does doing done down during each
    either else ever every for from further get gets got had has have having he her here hers
    herself him himself his how i if in into is it its itself just me might more most my myself
    no nor not now of off on once only or other others our ours out over own please same she
    should so some something such than that the their theirs them themselves then there these
    they this those through to too under until up upon us very was we were what whatever whats when
    where which while who whom whose why will with within without would you your yours yourself
    paper papers work works article articles publication publications research researcher study
    studies wrote write writes written writing publish published publishes tell explain describe
    know show give find list summary summarize summarise topic topics thing things say says said
    mean means main idea ideas key kind sort like want looking look interested interest rather
    whether instead another however thus therefore hence yet still already often well many much
    lot lots really quite new recent recently
    aren couldn didn doesn don hadn hasn haven isn mightn mustn needn shan shouldn wasn weren wouldn
    """.split()
)

# Single letters carry no meaning either ("a", "s" of "it's"); single digits do.
NOT_CONTENT = STOPWORDS | frozenset(string.ascii_lowercase)

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])")
# Abbreviations after which a full stop does not end a sentence.
_NO_BREAK = re.compile(r"(?:\bet al|\be\.g|\bi\.e|\bw\.r\.t|\bcf|\bvs|\bFig|\bEq|\bSec|\bapprox|\b[A-Z])\.$")


# C0 controls but the line break and the tab, DEL and C1 controls (escape sequences clear or retitle
# a terminal), and the bidirectional overrides and isolates (they make text read backwards).
_UNPRINTABLE = dict.fromkeys(
    [c for c in range(0x20) if chr(c) not in "\n\t"]
    + list(range(0x7F, 0xA0))
    + list(range(0x202A, 0x202F))
    + list(range(0x2066, 0x206A))
)


# Found first, since most text has none: a search runs in C, a translation looks up every character.
_ANY_UNPRINTABLE = re.compile("[" + "".join(re.escape(chr(c)) for c in _UNPRINTABLE) + "]")


def printable(text: str) -> str:
    """`text` without control characters or direction overrides; line breaks and tabs stay."""
    return text.translate(_UNPRINTABLE) if _ANY_UNPRINTABLE.search(text) else text


@short_text_cache(maxsize=16384, max_chars=80)  # names and words repeat; whole abstracts do not
def fold(text: str) -> str:
    """Lower case without accents: "Wołczyk" -> "wolczyk", "Agüera" -> "aguera"."""
    if text.isascii():  # most text: skip the per-character work
        return text.lower()
    # Only the runs of non-ASCII characters change, each on its own (decomposition and the order
    # of accents never reach across an ASCII character): a 50,000-paper corpus with a dash here
    # and there is then not folded character by character in Python.
    return _NON_ASCII.sub(_fold_run, text).lower()


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _fold_run(match: re.Match[str]) -> str:
    run = unicodedata.normalize("NFKD", match.group().translate(_FOLD))
    return "".join(ch for ch in run if not unicodedata.combining(ch)).translate(_FOLD)


def token_bytes(text: str) -> bytes:
    """`text` folded to ASCII bytes in which every character but a-z and 0-9 is a space."""
    return fold(text).encode("ascii", "replace").translate(_ASCII_SPACES)


def tokens(text: str) -> list[str]:
    """Folded alphanumeric tokens (runs of a-z and 0-9), stopwords included."""
    return token_bytes(text).decode("ascii").split()


def content_tokens(text: str) -> list[str]:
    """Folded tokens that carry meaning: no stopwords, no single letters."""
    return list(filterfalse(NOT_CONTENT.__contains__, tokens(text)))


def analyse(text: str) -> str:
    """The form both documents and questions take before TF-IDF: folded content tokens."""
    return " ".join(content_tokens(text))


def singular(word: str, shortest: int = 3, ss_plural: bool = False) -> str | None:
    """`word` without the final "s" that may make it a plural ("lstms": "lstm"), or None when it has none.

    The one plural rule, its differences said by the caller: a word of `shortest` letters or more
    (an acronym folded to lower case takes 4, since a final s of three letters is more often a letter
    than a plural: "TTS", "GPS"), and not a word ending in "ss" ("loss", "class") unless `ss_plural`
    (an acronym's: "GPSs")."""
    if len(word) >= shortest and word.endswith("s") and (ss_plural or not word.endswith("ss")):
        return word[:-1]
    return None


# Plurals no stemmer joins to their singular: "mice" of a corpus that says "mouse", and back.
_IRREGULAR = {
    "mouse": "mice", "man": "men", "woman": "women", "child": "children", "person": "people", "foot": "feet",
    "tooth": "teeth", "goose": "geese", "louse": "lice", "ox": "oxen", "datum": "data", "criterion": "criteria",
    "phenomenon": "phenomena", "analysis": "analyses", "hypothesis": "hypotheses", "thesis": "theses",
    "basis": "bases", "diagnosis": "diagnoses", "index": "indices", "matrix": "matrices", "vertex": "vertices",
    "nucleus": "nuclei", "stimulus": "stimuli", "fungus": "fungi", "locus": "loci", "bacterium": "bacteria",
    "larva": "larvae", "genus": "genera", "medium": "media", "curriculum": "curricula", "leaf": "leaves",
    "wolf": "wolves", "life": "lives", "knife": "knives", "half": "halves",
}  # fmt: skip
_OTHER_NUMBER = _IRREGULAR | {plural: single for single, plural in _IRREGULAR.items()}


def other_number(word: str) -> str | None:
    """The irregular plural of a singular, or the singular of an irregular plural ("mice": "mouse")."""
    return _OTHER_NUMBER.get(word)


def sentences(text: str) -> list[str]:
    """Split an abstract into sentences, keeping "et al." and "e.g." inside theirs."""
    parts = _SENTENCE_END.split(text.strip())
    out: list[str] = []
    for part in parts:
        if out and _NO_BREAK.search(out[-1]):
            out[-1] = f"{out[-1]} {part}"
        else:
            out.append(part)
    return [s.strip() for s in out if s.strip()]


# The headings of structured abstracts, as journals print them ("Background.", "Materials and
# methods:", "Main conclusions"): the format's own words, which run into the text after them.
_HEADING = re.compile(
    r"(?:background|aims?|objectives?|purpose|introduction|context|rationale|scope|location|time period|"
    r"major taxa studied|design|setting|methods?|materials and methods|methodology|approach|results?|"
    r"results and discussion|findings|discussion|conclusions?|main conclusions|significance|implications|"
    r"synthesis and applications)(?:[.:]\s*|\s+(?=(?-i:[A-Z]))|$)",
    re.IGNORECASE,
)


def without_heading(sentence: str) -> str:
    """A sentence of a structured abstract without the heading it opens with: "Methods: A professional
    ensemble..." -> "A professional ensemble..."; "Background." -> ""."""
    match = _HEADING.match(sentence)
    # Only as written at the start: capitalised, and not a sentence that begins with the word ("Results show").
    if not match or not sentence[:1].isupper() or (match.end() < len(sentence) and sentence[match.end()].islower()):
        return sentence
    return sentence[match.end() :]


def clean_question(text: str) -> str:
    """A question made safe to process: no control or zero-width characters, spaces collapsed."""
    if text.isascii() and text.isprintable():  # most questions: no character to look at one by one
        return " ".join(text.split())
    kept = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat == "Cf":  # zero-width and direction marks: dropped, so "rein\u200bforcement" stays one word
            continue
        kept.append(" " if cat in ("Cc", "Cs", "Co", "Cn") else ch)
    return " ".join("".join(kept).split())


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


def listed(items: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return " and ".join(filter(None, (", ".join(items[:-1]), items[-1]))) if items else ""


def sentence_case(text: str) -> str:
    """The text with its first letter upper case, the rest as it is ("PhD theses" stays so)."""
    return text[:1].upper() + text[1:]
