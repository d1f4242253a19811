"""The JSON form of an `Answer`, as `python -m bot ask --json` prints it."""

from __future__ import annotations

from typing import Any

from bot.core.models import Answer
from bot.render.text import render_answer
from bot.settings import ReplySettings


def answer_to_dict(answer: Answer, reply: ReplySettings) -> dict[str, Any]:
    """{"question", "intent", "text", "papers": [...], "facts", "about", "bibtex", "took_ms"}, papers
    ranked best first; "about" is the paper a follow-up's facts are about (or null)."""
    about = answer.about
    return {
        "question": answer.question,
        "intent": answer.intent.value,
        "text": render_answer(answer, reply),
        "papers": [
            {
                "id": h.paper.id,
                "title": h.paper.title,
                "url": h.paper.link,
                "date": h.paper.date_iso,
                "authors": list(h.paper.authors),
                "members": list(h.paper.members),
                "score": h.score,
                "summary": h.summary,
            }
            for h in answer.hits
        ],
        "facts": [{"label": label, "value": value} for label, value in answer.facts],
        "about": {"id": about.id, "title": about.title, "url": about.link} if about else None,
        "bibtex": answer.bibtex,
        "took_ms": round(answer.took_ms, 3),
    }
