"""Query-focused summaries: the abstract sentences most relevant to the question."""

from __future__ import annotations

from bot.core.search import Index
from bot.core.text import content_tokens, sentences
from bot.render.textcut import cut
from bot.settings import SummarySettings


def summarise(index: Index, position: int, focus: str, settings: SummarySettings) -> str:
    """The `max_sentences` sentences closest to `focus` (or to the title), in their original order."""
    paper = index.papers[position]
    parts, scores = index.sentence_scores(index.focus(focus), position) if focus.strip() else ([], [])
    if max(scores, default=0.0) <= 0:
        # Nothing in the question to focus on: the sentences sharing most words with the title give
        # the gist. Plain word overlap: a list of 25 papers must not cost 25 vectorisations.
        parts = sentences(paper.abstract)
        title = set(content_tokens(paper.title))
        scores = [len(title.intersection(words)) / (1 + len(words)) ** 0.5 for words in map(content_tokens, parts)]
    if not parts:
        return cut(paper.abstract, settings.max_chars)
    ranked = sorted(range(len(parts)), key=lambda i: (-scores[i], i))
    chosen: list[int] = []
    length = 0
    for i in ranked[: settings.max_sentences]:
        if chosen and length + len(parts[i]) + 1 > settings.max_chars:
            break
        chosen.append(i)
        length += len(parts[i]) + 1
    return cut(" ".join(parts[i] for i in sorted(chosen)), settings.max_chars)
