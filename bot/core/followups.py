"""Reading a follow-up question against the conversation it continues.

Words that point back take their papers from the conversation: "those", "them" (the last answer's
papers), "it", "this one" (the paper in focus), "the second one" (by its place in the last answer).
Words that only narrow ("only 2023", "with code", "the newest") refine the last answer. A question
that stands on its own starts a new topic. A follow-up with nothing clear to point at gets "which
paper do you mean?" with papers to choose from, never a guess. Nothing here knows a corpus: the
words are English, the papers and names come from the engine.
"""

from __future__ import annotations

import re
import time
from collections.abc import Hashable
from dataclasses import dataclass, replace

from bot.core.citation import bibtex
from bot.core.conversation import Conversation, ConversationStore
from bot.core.engine import MAX_QUESTION_CHARS, Engine
from bot.core.intents import Query
from bot.core.models import Answer, Hit, Intent, Paper
from bot.core.names import is_spelling_of
from bot.core.text import clean_question, tokens

MAX_CITED = 5  # entries for "cite them": more would not fit one message
MAX_CHOICES = 5  # papers offered by "which paper do you mean?"

_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "1st": 1, "2nd": 2, "3rd": 3, "last": -1, "former": 1, "latter": -1,
}  # fmt: skip
_ORDINAL = re.compile(
    r"\bthe (?P<word>" + "|".join(_ORDINAL_WORDS) + r"|\d{1,2}th)\b(?! (?:authors?|years?|time|month|week|place))"
    r"|\b(?:number|no|result|item) (?P<number>\d{1,2})\b"
)
# The paper in focus: "this one", "that paper" always; "it", "its", "this" only in a question with
# next to nothing of its own to ask ("does it have code?", not "why does a network change its weights?").
_ONE = re.compile(r"\b(this|that) (one|paper|article)\b")
_ONE_WEAK = re.compile(r"\b(it|its)\b|\b(this|that)$|\b(is|was|did|does) (this|that)\b(?! (lab|group|team|bot)\b)")
# The last answer's papers: "which of those", "the ones with X", "only 2023" always; "those", "them"
# only in a question with next to nothing of its own.
_MANY = re.compile(r"\bthe ones\b|\b(of|among|from) (those|these|them)\b|^(only|just|any of)\b")
# "Which one is newest?" after a list is of that list; as a first message it stands alone.
_WHICH_ONE = re.compile(r"^which ones?\b")
_MANY_WEAK = re.compile(r"\b(those|these|them)\b")
# Words a follow-up uses about its papers, not as a topic: "cite the second one", "the bibtex".
_FOLLOWUP_WORDS = frozenset(
    [*_ORDINAL_WORDS, "cite", "citation", "bibtex", "bib", "tex", "reference", "venue", "conference", "journal",
     "link", "url", "pdf", "arxiv", "doi", "author", "authors", "number", "result", "item", "similar", "related",
     "appear", "appeared", "come", "came", "please", "thanks", "ok", "okay"]
)  # fmt: skip
_RELATED = re.compile(
    r"\b(more|others?|anything|something|papers?|ones?) (like|similar to|related to)\b"
    r"|\bsimilar (papers?|ones?|work|to (it|this|that|these|those|them))\b|\brelated (papers?|work|ones)\b"
)
_PAPER_NOUN = re.compile(r"\b(papers?|publications?|articles?|works?)\b")
_RECORD_FACTS = frozenset({"code", "link", "cite"})
# The words of a fact asked of a paper, which say nothing of which paper: "the arxiv link for X".
_FACT_WORDS = frozenset(
    "code github gitlab source implementation repository repo open link links url pdf arxiv doi cite "
    "citation bibtex bib tex reference read download find get where".split()
)
_ELSE = re.compile(r"\b(else|other|others|besides|apart from)\b")
# Words a fragment that narrows starts with ("with code", "the newest", "from 2023"), and the length
# of a question short enough to be about the paper in focus ("is there code?").
_FRAGMENT_LEADS = frozenset("with without from in at since before after between by the newest latest oldest".split())
# The last question asked again of someone, some years or a topic: "what about alex?", "and in 2022?".
_WHAT_ABOUT = re.compile(r"^(what|how) about (?P<rest>.+)$")
# Words that only join a fragment to the conversation: "and the oldest?", "so only 2023".
_JOINERS = frozenset("and so also ok okay now then but".split())
_YEAR = re.compile(r"(19|20)\d\d")
_SHORT = 4
# What a follow-up may ask about one paper, in the order answers list them.
_FACTS = {
    "authors": re.compile(r"\bwho\b.*\b(wrote|write|written|authored|authors?|else|behind|on it)\b"
                          r"|\bauthors?\b|\bco ?authors?\b|\bwritten by\b"),
    "venue": re.compile(r"\bwhere\b.*\b(published|publish|appear|appeared|presented|out)\b|\bvenue\b"
                        r"|\b(which|what) (conference|journal|venue)\b|\bpublished (in|at)\b"),
    "date": re.compile(r"\bwhen\b|\b(what|which) year\b|\bhow (old|recent)\b|\bdate\b"),
    "code": re.compile(r"\b(code|github|source code|implementation|repository|repo|open source)\b"),
    "link": re.compile(r"\b(link|links|url|pdf|arxiv|doi)\b|\bwhere (can|do) i (read|find|get|download)\b"),
    "cite": re.compile(r"\bcite\b|\bbib ?tex\b|\bcitation\b|\breference\b"),
}  # fmt: skip
# Questions that never narrow a list, whatever words they share with one.
_NEVER_NARROWS = frozenset(
    {Intent.HELP, Intent.PROFILE, Intent.COAUTHORS, Intent.VENUES, Intent.YEARS, Intent.WHO, Intent.PAPER,
     Intent.NONE}
)


@dataclass(frozen=True)
class Turn:
    """One question answered in a conversation: the answer, and the conversation after it."""

    answer: Answer
    conversation: Conversation


def converse(engine: Engine, question: str, conversation: Conversation) -> Turn:
    """Answer `question` in `conversation`: a follow-up is read against it, anything else starts anew."""
    start = time.perf_counter()
    text = clean_question(question[: MAX_QUESTION_CHARS * 2])[:MAX_QUESTION_CHARS]
    reading = _Followup(engine, question, text, conversation)
    answer, query = reading.answer()
    if answer is None:
        query = reading.query  # read once: a question that stands alone is answered as read
        answer = engine.answer(question, query)
    answer = replace(answer, took_ms=(time.perf_counter() - start) * 1000)
    return Turn(answer, conversation.after(answer, query))


def ask_in(
    conversations: ConversationStore, key: Hashable, engine: Engine, question: str, anew: bool = False
) -> Answer:
    """Answer `question` in the conversation kept under `key`, and keep that conversation. `anew`:
    start a new one there instead (the old one is replaced, so it need not be read or dropped first)."""
    turn = converse(engine, question, Conversation() if anew else conversations.get(key))
    conversations.put(key, turn.conversation)
    return turn.answer


class _Followup:
    """One question read against one conversation."""

    def __init__(self, engine: Engine, question: str, text: str, conversation: Conversation) -> None:
        self.engine = engine
        self.question = question
        self.text = text
        words = tokens(text)
        self.lead = words[0] if words else ""  # "and" of "and Reed?", which asks the last question again
        self.norm = " ".join(words[1:] if len(words) > 1 and self.lead in _JOINERS else words)
        self.conversation = conversation
        self.papers = self._papers(conversation.papers)
        self.wider = self._papers(conversation.wider)
        self.focus = self._papers((conversation.focus,) if conversation.focus else ())
        self.facts = [kind for kind, pattern in _FACTS.items() if pattern.search(self.norm)]
        self.related = bool(_RELATED.search(self.norm))
        self.query = engine.reader.read(text)
        # "Which papers have code?", "code for all of them": a list, not one paper's fact.
        self.papers_asked = self.query.plural or "all" in self.norm.split()
        # A question with words of its own to ask about stands alone, whatever pronouns it uses.
        own = [w for w in self.query.topic.split() if w not in _FOLLOWUP_WORDS]
        self.refers = len(own) <= 1

    def _papers(self, ids: tuple[str, ...]) -> tuple[Paper, ...]:
        # Ids a reload removed resolve to nothing: such a paper is simply no longer in the conversation.
        known = self.engine.reader.ids
        return tuple(known[i] for i in ids if i in known)

    def answer(self) -> tuple[Answer | None, Query | None]:
        """The follow-up's answer and the query it was read as; (None, None) for a question that
        stands on its own."""
        if not self.norm or self.query.intent is Intent.HELP:
            return None, None  # "what is this bot?" asks about the bot, not "this" paper
        if (again := self._asked_again()) is not None:
            return again
        named = self._named_paper()
        if named is not None:
            # "does COCOA have code?": a fact about the paper named; "what is COCOA?" starts anew.
            return (self._about([named]), None) if self.facts or self.related else (None, None)
        many = bool(_MANY.search(self.norm) or (self.papers and _WHICH_ONE.search(self.norm)))
        if (match := _ORDINAL.search(self.norm)) and (self.refers or many):
            if not (self.papers or self.wider) and self.query.intent in (Intent.OLDEST, Intent.NEWEST):
                return None, None  # "what was his first paper?" with nothing listed yet: his oldest
            picked = self._pick(match)
            return (self._about([picked]) if picked else self._clarify()), None
        if _ONE.search(self.norm) or (self.refers and _ONE_WEAK.search(self.norm)):
            one = self.focus or (self.papers if len(self.papers) == 1 else ())
            return (self._about(list(one)) if one else self._clarify()), None
        if many or (self.refers and _MANY_WEAK.search(self.norm)):
            if not self.papers:
                # "only 2023" alone asks anew; "which of those..." with nothing listed cannot be answered.
                return (None, None) if re.match(r"(only|just)\b", self.norm) else (self._clarify(), None)
            return self._about_many()
        asks_record = any(k in _RECORD_FACTS for k in self.facts)  # not "when", "who": topics use them
        if asks_record and not self.papers_asked and (paper := self._paper_meant()) is not None:
            # "bibtex for the least control paper", "doi for the cocaine paper": one paper, by its words.
            return self._about([paper]), None
        if self.papers and self._bare():
            # "any code?", "authors?", "anything similar?": the paper in focus; "with code", "the newest",
            # "2023": the last answer narrowed. "anything from 2021?" asks anew.
            words = self.norm.split()
            if self.focus and (self.facts or self.related) and len(words) <= _SHORT:
                return self._about(list(self.focus)), None
            if words[0] in _FRAGMENT_LEADS or _YEAR.fullmatch(words[0]) or len(words) <= 2:
                return self._about_many()
        return None, None

    def _asked_again(self) -> tuple[Answer, Query] | None:
        """ "What about alex?" or "and alex?" after "what did christian publish in 2021?": the last
        question, with the member, coauthor, years or topic it names instead of its own. None when it
        is no such question, or names a topic where the last question had none (then it stands alone)."""
        old = self.conversation.query
        match = _WHAT_ABOUT.match(self.norm)
        rest = match.group("rest") if match else self.norm if self.lead == "and" else None
        if old is None or rest is None or old.intent in (Intent.HELP, Intent.NONE):
            return None
        new = self.engine.reader.read(rest)
        if match is None and (new.topic or not (new.member or new.coauthor or new.years)):
            return None  # "and X?" asks again only of someone or some years: "and the oldest?" narrows
        if new.member or new.coauthor:
            query = replace(old, member=new.member, coauthor=new.coauthor, also=new.also, members=new.members)
        elif new.years:
            query = replace(old, years=new.years)
        elif new.topic and new.intent is Intent.TOPIC and old.topic:
            query = replace(old, topic=new.topic)  # a topic for a topic: "what about meta-learning?"
        else:
            return None
        return self.engine.answer(self.question, query), query

    # -- reading ----------------------------------------------------------------------------

    def _named_paper(self) -> Paper | None:
        """A paper the question names by an acronym of its own ("COCOA", "MesaNet"); an acronym several
        papers use ("AD") names none of them."""
        acronyms = self.engine.reader.acronyms  # each names one paper (bot.core.engine.unambiguous)
        return next((acronyms[t] for t in self.norm.split() if t in acronyms), None)

    def _paper_meant(self) -> Paper | None:
        """The one paper a question asking a fact of it describes ("the least control paper"): what the
        question reads as, without the words of the fact, answered by exactly one paper the engine is
        sure of."""
        words = [w for w in self.query.topic.split() if w not in _FOLLOWUP_WORDS and w not in _FACT_WORDS]
        # Not among papers with code only: "is there code for the impact regularizer one" is about a
        # paper with none.
        query = replace(self.query, topic=" ".join(words), code=False)
        if not (words or query.filtered) or query.intent in _NEVER_NARROWS:
            return None
        answer = self.engine.answer(self.question, query)
        return answer.hits[0].paper if len(answer.hits) == 1 and not answer.tentative else None

    def _pick(self, match: re.Match[str]) -> Paper | None:
        """The paper at the place an ordinal names, in the last answer's order (or in the list it
        narrowed, when the last answer has no such place)."""
        word = match.group("word") or match.group("number")
        place = _ORDINAL_WORDS.get(word) or int(re.sub(r"\D", "", word))
        papers = self.papers if abs(place) <= len(self.papers) else self.wider
        if not papers or place == 0 or abs(place) > len(papers):
            return None
        return papers[place - 1] if place > 0 else papers[place]

    def _bare(self) -> bool:
        """Whether the question is only a narrowing or a fact, with nothing of its own to ask about:
        no topic words, no "papers", no person or lab member ("with code", "the newest", "authors?")."""
        if _PAPER_NOUN.search(self.norm) or any(t in self.engine.reader.owner_tokens for t in self.norm.split()):
            return False
        return not self.query.topic and self.query.intent not in _NEVER_NARROWS

    # -- answering --------------------------------------------------------------------------

    def _about(self, papers: list[Paper]) -> Answer:
        """What the question asks about one paper: facts, papers like it, or the paper itself."""
        paper = papers[0]
        if self.facts:
            return self._facts(paper)
        if self.related:
            return self._like((paper,))
        hit = Hit(paper, 1.0, self.engine.summary(paper))
        return Answer(self.question, Intent.PAPER, "The paper you mean:", (hit,))

    def _about_many(self) -> tuple[Answer | None, Query | None]:
        """A question about the last answer's papers: papers like them, facts about each, or fewer of them."""
        if self.related:
            return self._like(self.papers), None
        per_paper = [k for k in self.facts if k in ("authors", "venue", "date", "link")]
        if per_paper and "code" not in self.facts:
            facts = tuple((p.title, "; ".join(v for _, v in self._paper_facts(p, per_paper))) for p in self.papers)
            return Answer(self.question, Intent.FACT, "About those papers:", facts=facts), None
        if "cite" in self.facts and len(self.papers) > 1:
            return self._cite_all(), None
        if "cite" in self.facts:
            return self._facts(self.papers[0]), None
        return self._narrow()

    def _narrow(self) -> tuple[Answer | None, Query | None]:
        """The last answer narrowed by the filters the question adds to those in force."""
        new = self.query
        if new.intent in _NEVER_NARROWS:
            return None, None
        old = self.conversation.query or Query(Intent.LIST)
        # Both are said of an order; a filter of its own ("which one has code?") narrows instead.
        if new.order != "relevance" and not new.topic and not new.filtered and (old.dated or old.single):
            # "Her latest paper on haptics", then "and the oldest?": the oldest about haptics; "the
            # oldest" of a list, then "the newest": of that list, not of the one paper in view.
            among = frozenset(p.id for p in self.wider) if self.wider else None  # the list it was picked from
            query = replace(old, order=new.order, single=new.single, among=among)
            return self.engine.answer(self.question, query), query
        intent = new.intent if new.intent is not Intent.TOPIC or new.topic else Intent.LIST
        query = replace(
            new, intent=intent, coauthor=new.coauthor or old.coauthor, member=new.member or old.member,
            years=new.years or old.years, organisation=new.organisation or old.organisation,
            venue=new.venue or old.venue, code=new.code or old.code, among=frozenset(p.id for p in self.papers),
        )  # fmt: skip
        return self.engine.answer(self.question, query), query

    def _like(self, papers: tuple[Paper, ...]) -> Answer:
        """The papers nearest to these, themselves excluded, nearest first."""
        own = {p.id for p in papers}
        best: dict[str, Hit] = {}
        for paper in papers[:MAX_CHOICES]:
            for hit in self.engine.related(paper, k=self.engine.settings.retrieval.max_results + len(own)):
                if hit.paper.id not in own and hit.score > best.get(hit.paper.id, hit).score - 1e-12:
                    best[hit.paper.id] = hit
        hits = sorted(best.values(), key=lambda h: -h.score)[: self.engine.settings.retrieval.max_results]
        what = f"“{papers[0].title}”" if len(papers) == 1 else "those"
        if not hits:
            return Answer(self.question, Intent.NONE, f"No other paper is like {what}.")
        return Answer(self.question, Intent.RELATED, f"Papers like {what}:", tuple(hits))

    def _cite_all(self) -> Answer:
        """BibTeX entries for the last answer's papers ("cite them"), the first few of a long list."""
        cited = self.papers[:MAX_CITED]
        more = f" (the first {len(cited)} of {len(self.papers)})" if len(self.papers) > len(cited) else ""
        entries = "\n\n".join(bibtex(p) for p in cited)
        return Answer(self.question, Intent.FACT, f"BibTeX for those papers{more}:", bibtex=entries)

    def _facts(self, paper: Paper) -> Answer:
        """The facts asked about one paper, from its record only."""
        kinds = [k for k in self.facts if k != "cite"]
        facts = self._paper_facts(paper, kinds)
        cite = bibtex(paper) if "cite" in self.facts else ""
        title = f"“{paper.title}”"
        heads = {
            "authors": f"Who else wrote {title}:" if self._others() else f"Who wrote {title}:",
            "venue": f"Where {title} was published:", "date": f"When {title} was published:",
            "code": f"Code for {title}:", "link": f"Where to read {title}:", "cite": f"BibTeX for {title}:",
        }  # fmt: skip
        headline = heads[self.facts[0]] if len(self.facts) == 1 else f"About {title}:"
        return Answer(self.question, Intent.FACT, headline, facts=facts, about=paper, bibtex=cite)

    def _others(self) -> bool:
        return bool(_ELSE.search(self.norm))

    def _paper_facts(self, paper: Paper, kinds: list[str]) -> tuple[tuple[str, str], ...]:
        out: dict[str, str] = {}
        for kind in kinds:
            if kind == "authors":
                out.update([self._authors(paper)])
            elif kind in ("venue", "date"):
                if kind == "venue":
                    out["Venue"] = paper.venue or "none recorded"
                out["Published"] = paper.date_text
            elif kind == "code":
                out["Code"] = paper.code or "none listed in its sources"
            elif kind == "link":
                out["Link"] = paper.link
                if paper.pdf:
                    out["PDF"] = paper.pdf
        return tuple(out.items())

    def _authors(self, paper: Paper) -> tuple[str, str]:
        etal = " et al." if paper.authors_truncated else ""
        if not self._others():
            return "Authors", ", ".join(paper.authors) + etal
        others = [a for a in paper.authors if not is_spelling_of(a, paper.members)]
        if not others:
            return "Other authors", f"none: {' and '.join(paper.members)} wrote it alone"
        return "Other authors", ", ".join(others) + etal

    def _clarify(self) -> Answer:
        """ "Which paper do you mean?" with the papers just discussed, else the newest ones, to choose from."""
        papers = self.papers or self._papers(self.conversation.recent) or self.engine.corpus.papers
        hits = tuple(Hit(p, 0.0, "") for p in papers[:MAX_CHOICES])
        headline = "Which paper do you mean? Ask again with its name, or say which one (“the second one”):"
        return Answer(self.question, Intent.CLARIFY, headline, hits)
