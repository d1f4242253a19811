"""Fuzzing the engine and every Discord renderer: whatever the text or the corpus, replies fit Discord."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import discord
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import DEFAULT_CONFIG, load_settings
from bot.core.corpus import with_members
from bot.core.engine import Engine
from bot.core.glossary import Glossary
from bot.core.models import Answer, Corpus, Paper, Profile
from bot.discordbot.embeds import about_embed, details_embed, help_embed, list_embed, paper_card, plain_text
from bot.discordbot.limits import ANY_REPLY, ONE_PAPER, embed_size, escape
from bot.discordbot.replies import answer_reply
from bot.discordbot.views import Asker, PaperView
from tests.discord_emulator.limits import message_problems

SETTINGS = load_settings(DEFAULT_CONFIG, env={})
NO_PINGS = discord.AllowedMentions.none().to_dict()
HOSTILE = st.sampled_from(
    ["@everyone", "@here", "<@&123456>", "<@42>", "```", "**", "||spoiler||", "\u200b", "\u202e", "\u0000",
     "🙂" * 50, "ﷺ", "Ⅻ", "\n" * 30, "<script>", "[link](https://evil.example)", "# heading", "> quote"]
)  # fmt: skip
QUESTION = st.one_of(st.text(max_size=3000), st.lists(st.one_of(HOSTILE, st.text(max_size=40))).map(" ".join))


def payload(content: str | None, embeds: list[discord.Embed], view: discord.ui.View | None = None) -> dict[str, Any]:
    components = view.to_components() if view is not None else []
    return {"content": content, "embeds": [e.to_dict() for e in embeds], "allowed_mentions": NO_PINGS,
            "components": components}  # fmt: skip


def assert_fits(content: str | None, embeds: list[discord.Embed], view: discord.ui.View | None = None) -> None:
    assert message_problems(payload(content, embeds, view)) == []


def assert_answer_fits(engine: Engine, answer: Answer) -> None:
    """The answer as a member would get it, with embeds and without: within Discord's limits and with
    at most 2,400 characters of embed text (1,400 for one paper)."""

    async def build() -> None:  # views need an event loop
        for embeds in (True, False):
            reply = answer_reply(answer, Asker(1, 60.0, lambda: engine, embeds), SETTINGS.reply, 5)
            assert_fits(reply.content, reply.embeds, reply.view)
            most = ONE_PAPER if len(answer.hits) == 1 and not answer.facts else ANY_REPLY
            assert sum(embed_size(e) for e in reply.embeds) <= most
            if reply.view is not None:
                reply.view.stop()

    asyncio.run(build())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(question=QUESTION)
def test_any_question_gives_replies_within_limits(engine: Engine, question: str) -> None:
    answer = engine.ask(question)
    assert_answer_fits(engine, answer)
    assert len(plain_text(answer, SETTINGS.reply)) <= 2000


@settings(max_examples=200, deadline=None)
@given(text=st.one_of(HOSTILE, st.text()))
def test_echoed_text_is_inert(text: str) -> None:
    safe = escape(text)
    assert "@everyone" not in safe.replace("@\u200beveryone", "")
    assert "@here" not in safe.replace("@\u200bhere", "")


words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=60)
paper_strategy = st.builds(
    lambda n, title, abstract, authors, org, venue, day: Paper(
        id=f"p{n}", title=title, date=dt.date(2000, 1, 1) + dt.timedelta(days=day), category="cs.LG",
        organisation=org, authors=tuple(authors), authors_truncated=bool(n % 2), abstract=abstract,
        url=f"https://arxiv.org/abs/{n}", pdf=f"https://arxiv.org/pdf/{n}", code="https://example.org/" + "c" * n,
        venue=venue or None, arxiv=str(n),
    ),
    n=st.integers(0, 10_000),
    title=words.filter(str.strip) | st.text(min_size=300, max_size=1200).filter(str.strip),
    abstract=st.lists(words, min_size=1, max_size=80).map(". ".join).filter(str.strip),
    authors=st.lists(words.filter(str.strip), min_size=1, max_size=400),
    org=st.text(max_size=2000),
    venue=st.text(max_size=600),
    day=st.integers(0, 9000),
)  # fmt: skip


@settings(max_examples=15, deadline=None)
@given(papers=st.lists(paper_strategy, min_size=1, max_size=12, unique_by=lambda p: p.id), question=QUESTION)
def test_any_valid_corpus_renders_within_limits(papers: list[Paper], question: str) -> None:
    owner = papers[0].authors[0]
    members = (Profile(name=owner, h_index=3),)
    corpus = Corpus(members, with_members(sorted(papers, key=lambda p: p.date, reverse=True), members))
    engine = Engine(corpus, SETTINGS, Glossary())
    for q in (question, papers[0].title, "list all papers", f"papers with {owner}", "newest"):
        answer = engine.ask(q)
        assert_answer_fits(engine, answer)
        assert len(plain_text(answer, SETTINGS.reply)) <= 2000

    async def paper_views() -> None:
        for paper in corpus.papers:
            card = paper_card(paper, paper.abstract)
            assert embed_size(card) <= ONE_PAPER
            view = PaperView(paper, Asker(1, 60.0, lambda: engine), others=[h for h in engine.related(paper)])
            assert_fits(None, [card], view)
            assert_fits(None, [details_embed(paper, ("X" * 90,) * 30, asked=owner)])
            view.stop()

    asyncio.run(paper_views())
    assert_fits(None, [list_embed("x" * 400, corpus.papers, footer="Page 1 of 1")])
    assert_fits(None, [about_embed(corpus, engine.coauthor_counts(), engine.kind_counts())])
    assert_fits(None, [help_embed(engine.suggestions, owner)])
    assert len(engine.complete_papers(question)) <= 25
