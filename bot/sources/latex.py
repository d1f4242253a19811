"""LaTeX in text that is mostly plain (arXiv titles and abstracts), decoded to Unicode by pylatexenc."""

from __future__ import annotations

import re

from pylatexenc.latex2text import LatexNodes2Text

_UNESCAPED_PERCENT = re.compile(r"(?<!\\)%")
# Math stays as written ("$I$-$V$"): turned into text it loses meaning more often than it gains.
_DECODER = LatexNodes2Text(math_mode="verbatim", keep_braced_groups=False)


def latex_to_text(text: str) -> str:
    """`Landauer-B\\"uttiker` -> "Landauer-Büttiker"; text without a backslash or brace is returned as is."""
    if "\\" not in text and "{" not in text:
        return text
    try:
        # A bare "%" is a percent sign in an abstract, not the start of a LaTeX comment.
        return str(_DECODER.latex_to_text(_UNESCAPED_PERCENT.sub(r"\\%", text)))
    except Exception:  # pylatexenc raises several kinds on malformed input; the raw text still reads
        return text
