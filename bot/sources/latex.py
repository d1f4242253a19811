"""LaTeX in text that is mostly plain (arXiv titles and abstracts), decoded to Unicode by pylatexenc."""

from __future__ import annotations

import re

from pylatexenc.latex2text import LatexNodes2Text

_UNESCAPED = re.compile(r"(?<!\\)([%&])")
# Math stays as written ("$I$-$V$"): turned into text it loses meaning more often than it gains.
_DECODER = LatexNodes2Text(math_mode="verbatim", keep_braced_groups=False)


def literal_specials(text: str) -> str:
    """`text` with its bare "%" and "&" escaped: in a title or abstract they are a percent sign and an
    ampersand ("50%", "Place & Technology"), which LaTeX would read as a comment dropping the rest of
    the line and a table's column break."""
    return _UNESCAPED.sub(r"\\\1", text)


def latex_to_text(text: str) -> str:
    """`Landauer-B\\"uttiker` -> "Landauer-Büttiker"; text without a backslash or brace is returned as is."""
    if "\\" not in text and "{" not in text:
        return text
    try:
        return str(_DECODER.latex_to_text(literal_specials(text)))
    except Exception:  # pylatexenc raises several kinds on malformed input; the raw text still reads
        return text
