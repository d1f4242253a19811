"""What the engine draws from every paper at start, in one value: built from the corpus, or read back
from the data folder's snapshot, so that a restart at 50,000 papers takes a second or two, not ten."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.glossary import Glossary
from bot.core.intents import ReaderTables
from bot.core.spelling import Spelling
from bot.core.tfidf import Tfidf


@dataclass(frozen=True)
class PaperTables:
    """The engine's and question reader's tables drawn from every paper (not the index)."""

    mined: Glossary  # acronyms the abstracts define ("Deep Feedback Control (DFC)")
    acronyms: tuple[tuple[str, ...], ...]  # each paper's own names, in corpus order
    coauthors: tuple[tuple[str, int], ...]  # (coauthor, papers together), most first
    reader: ReaderTables


@dataclass(frozen=True)
class Prepared:
    """The index's parts and the tables, for one corpus and one configuration."""

    tfidf: Tfidf
    spelling: Spelling
    tables: PaperTables
