"""Write bot/core/data/english-zipf.txt: how common each everyday English word is, from wordfreq.

Run once by a maintainer (`pip install wordfreq`, then `python scripts/english_frequencies.py`);
the bot reads the file it writes and never needs wordfreq itself (58 MB of data in every image).
"""

from __future__ import annotations

import re
from collections import defaultdict
from importlib.metadata import version
from pathlib import Path

import wordfreq

OUT = Path(__file__).resolve().parent.parent / "bot" / "core" / "data" / "english-zipf.txt"
FLOOR = 2.5  # rarer words are all "a term of some field": the bot gives them full weight
WORD = re.compile(r"[a-z0-9]+")


def main() -> None:
    """Group words by Zipf frequency (to a tenth), one line per value, most common first."""
    by_value: dict[float, list[str]] = defaultdict(list)
    for word, _ in wordfreq.get_frequency_dict("en", wordlist="large").items():
        if not WORD.fullmatch(word):
            continue
        zipf = round(wordfreq.zipf_frequency(word, "en", wordlist="large"), 1)
        if zipf >= FLOOR:
            by_value[zipf].append(word)
    header = (
        f"# Zipf frequencies of English words (>= {FLOOR}), from wordfreq {version('wordfreq')}\n"
        "# (https://github.com/rspeer/wordfreq), 'large' English list. The data is by Robyn Speer and the\n"
        "# wordfreq contributors, under CC-BY-SA 4.0; this file is a derived work under the same licence.\n"
        "# Written by scripts/english_frequencies.py. Format: a Zipf value, a tab, its words.\n"
    )
    lines = [f"{value:.1f}\t{' '.join(sorted(words))}" for value, words in sorted(by_value.items(), reverse=True)]
    OUT.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
