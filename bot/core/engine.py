"""The answer engine: a question in, an `Answer` out, from the corpus and its TF-IDF index."""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from functools import cached_property, lru_cache

from bot.core.about import MEMBERS_LISTED, TYPICAL, about_facts, member_facts, per_year_facts, venue_facts
from bot.core.acronyms import FIELD_WORD
from bot.core.corpus import load_corpus
from bot.core.filters import Filters, describe
from bot.core.glossary import Glossary, load_glossary, mine_acronyms
from bot.core.intents import Query, QuestionReader
from bot.core.models import Answer, Corpus, Hit, Intent, Paper
from bot.core.prepared import PaperTables, Prepared
from bot.core.publications import KINDS, counted, counts, noun
from bot.core.rarity import rarity
from bot.core.reorder import Reorder
from bot.core.search import Index, Match
from bot.core.snapshot import Snapshot
from bot.core.stats import coauthor_counts
from bot.core.summary import summarise
from bot.core.text import clean_question, fold, listed, sentence_case, singular, tokens
from bot.core.venues import only_begun
from bot.settings import Settings

# Questions longer than this are read only up to it: enough for any real question, and it keeps
# a 100 KB paste from costing more than a normal one.
MAX_QUESTION_CHARS = 2000
NO_FIGURES = (("Figures", "none recorded"),)
# "Who is he?" finds the typical papers among this many of the newest (each costs a pass over its text).
MAX_TYPICAL_FROM = 32
RECENT = 3  # papers that answer "what's new?"
MEMBER_CARDS = 5  # a lab's members whose most typical paper "who is in the lab?" shows


_REPOSITORY = re.compile(r"[A-Za-z][A-Za-z0-9]{3,}")  # "hypercl", "mobr"; not "cl_in_rnns", "late-phase-weights"
_ACRONYM_IN_BRACKETS = re.compile(r"\(([A-Z][A-Za-z]*[A-Z][A-Za-z]?s?)\)")
_OWN_ACRONYM = re.compile(r"\b(we (introduce|propose|present|call|term|dub)|introducing|proposing|called|named)\b")


def paper_acronyms(paper: Paper, mined: Glossary, field_terms: Glossary) -> tuple[str, ...]:
    """Names a paper goes by: "MesaNet" before a title's colon, acronyms its title spells out or its
    abstract introduces."""
    names: list[str] = []
    head = paper.title.split(":")[0].strip()
    if ":" in paper.title and len(head.split()) == 1:
        names.append(head)
    for match in _ACRONYM_IN_BRACKETS.finditer(paper.title):
        # "Measurement of Biodiversity (MoB): ...": the title itself spells out the name it goes by.
        key = fold(match.group(1))
        spelt = any(g[0] == (key,) for g in mine_acronyms([paper.title[: match.end()]]).groups)
        if spelt and not field_terms.expand([key]):
            names.append(match.group(1))
    title = " ".join(tokens(paper.title))
    for match in _ACRONYM_IN_BRACKETS.finditer(paper.abstract):
        acronym = match.group(1)
        if field_terms.expand([fold(acronym)]):
            continue  # a field term like RL or RNN, not this paper's own name
        phrases = [" ".join(t) for g in mined.groups if g[0] == (fold(acronym),) for t in g[1:]]
        before = fold(paper.abstract[max(0, match.start() - 90) : match.start()])
        if any(p in title for p in phrases) or _OWN_ACRONYM.search(before):
            names.append(acronym)
    # Its code repository's name, when that is a word of its own: members ask for "hypercl" by it.
    repository = (paper.code or "").rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
    known = {fold(n) for n in names}
    if _REPOSITORY.fullmatch(repository) and rarity(repository) >= FIELD_WORD and fold(repository) not in known:
        names.append(repository)
    return tuple(dict.fromkeys(names))


def unambiguous(names: Sequence[tuple[str, ...]]) -> tuple[tuple[str, ...], ...]:
    """Each paper's names without those another paper goes by too, in the singular or the plural:
    "PET", which one title spells out and another abstract introduces, is a material two papers are
    about, and names neither; nor do "BNN" and "BNNs", introduced by two papers on Bayesian networks."""

    def key(name: str) -> str:
        return singular(fold(name), shortest=4) or fold(name)

    claims = Counter(key(name) for own in names for name in {key(n): n for n in own}.values())
    return tuple(tuple(name for name in own if claims[key(name)] == 1) for own in names)


def _as_topic(title: str) -> str:
    """A title as the topic of a question: without its subtitle ("Lynx X-Ray Observatory: an
    overview"), and lower case at the start only in a sentence-case title, whose first word is then
    an ordinary one ("neural networks with late-phase weights", but "Lynx X-Ray Observatory" and
    "Learning to Route with Sparse Trajectory Sets")."""
    title = title.split(": ")[0].strip() or title
    first, *rest = title.split()
    later = [w for w in rest if len(w) > 3 and w[0].isalpha()]  # "to", "of" are lower case in title case too
    sentence_cased = first[1:].islower() and 2 * sum(w[0].islower() for w in later) > len(later)
    return title[:1].lower() + title[1:] if sentence_cased else title


def possessive(name: str) -> str:
    """ "Alexander Meulemans'" and "Ada Lovelace's"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _tied_with(first: Paper, papers: Iterable[Paper]) -> list[Paper]:
    """The papers that may come as early or late as `first` (one of `papers`): `first` alone and,
    when its source gives only its year, every paper of that year."""
    if first.date_precision != "year":
        return [first]
    return [p for p in papers if p.date.year == first.date.year]


class Engine:
    """Answers questions about one corpus. Build once; `ask` is cheap and never raises."""

    def __init__(
        self,
        corpus: Corpus,
        settings: Settings,
        glossary: Glossary | None = None,
        prepared: Prepared | None = None,
        reorder: Reorder | None = None,
    ) -> None:
        """`prepared`: what was drawn from this very corpus with these settings before, read back from a
        snapshot; else it is built here. `reorder`: a second reading of the order of the papers that
        answer a topic question (the semantic extra's); without one, the index's order."""
        self.corpus = corpus
        self.settings = settings
        self.reorder = reorder
        field_terms = glossary or Glossary()
        self._mined = prepared.tables.mined if prepared else mine_acronyms(p.abstract for p in corpus.papers)
        merged = field_terms.merged(self._mined)
        self.index = (
            Index.restored(corpus.papers, settings.retrieval, merged, prepared.tfidf, prepared.spelling)
            if prepared
            else Index(corpus.papers, settings.retrieval, merged)
        )
        if prepared:
            self._paper_names = prepared.tables.acronyms
        else:
            self._paper_names = unambiguous(tuple(paper_acronyms(p, self._mined, field_terms) for p in corpus.papers))
        # Only papers with a name: hashing every paper took a tenth of a restart at 50,000 papers.
        self.acronyms: dict[Paper, tuple[str, ...]] = {
            p: names for p, names in zip(corpus.papers, self._paper_names, strict=True) if names
        }
        by_acronym = {fold(a): p for p, names in self.acronyms.items() for a in names}
        self.reader = QuestionReader(corpus, by_acronym, tables=prepared.tables.reader if prepared else None)
        self.filters = Filters(corpus.papers, self.reader)
        self.positions = self.filters.positions
        self._about_cached = lru_cache(maxsize=64)(self._about_parts)  # "who is he?": one per member
        self._venue_facts = lru_cache(maxsize=64)(self._venue_counts)  # a pass over every paper at most once
        self._coauthors = prepared.tables.coauthors if prepared else coauthor_counts(corpus)
        self.suggestions = self._examples()

    def _examples(self) -> tuple[str, ...]:
        """Example questions drawn from this corpus, so they work for any researcher's."""
        out: list[str] = []
        named = next(((p, a[0]) for p, a in self.acronyms.items() if a), None)
        if named:
            out.append(f"What is {named[1]}?")
        if self.corpus.papers:
            shortest = min(self.corpus.papers, key=lambda p: len(p.title))
            out.append(f"Anything about {_as_topic(shortest.title)}?")
        if self._coauthors:
            out.append(f"Which papers are with {self._coauthors[0][0]}?")
        years = sorted({p.date.year for p in self.corpus.papers})
        if years:
            out.append(f"Anything from {years[len(years) // 2]}?")
        out.extend(["What is the newest paper?", "Who are the most frequent coauthors?"])
        if any(m.h_index is not None for m in self.corpus.members):
            out.append("What is the h-index?")
        if len(self.corpus.members) > 1:
            last = self.corpus.members[-1].name.split()[-1]
            out.insert(1, f"What did {last} write most recently?")
        return tuple(out)

    @classmethod
    def from_settings(cls, settings: Settings, reorder_for: Callable[[Corpus], Reorder] | None = None) -> Engine:
        """Load the corpus files and glossary that `settings` name and build the index, or read both
        back from the data folder's snapshot when none of them changed since it was saved;
        `reorder_for` makes the corpus' second reading of the order, when there is one."""
        snapshot = Snapshot.of(settings)
        saved = snapshot.load() if snapshot else None
        glossary = load_glossary(settings.glossary)
        if saved:
            corpus, prepared = saved
            return cls(corpus, settings, glossary, prepared, reorder_for(corpus) if reorder_for else None)
        corpus = load_corpus(settings.corpus, lab=settings.lab.name)
        engine = cls(corpus, settings, glossary, reorder=reorder_for(corpus) if reorder_for else None)
        if snapshot:
            snapshot.save(engine.corpus, engine.prepared())
        return engine

    def prepared(self) -> Prepared:
        """What this engine drew from the papers at start: what a snapshot saves for the next one."""
        tables = PaperTables(self._mined, self._paper_names, self._coauthors, self.reader.tables)
        return Prepared(self.index.tfidf, self.index.spelling, tables)

    # -- questions -------------------------------------------------------------------------

    def ask(self, question: str) -> Answer:
        """Answer one question, whatever its text."""
        return self.answer(question)

    def answer(self, question: str, query: Query | None = None) -> Answer:
        """Answer one question; `query` when it has been read already (a follow-up read against a
        conversation), else its own reading."""
        start = time.perf_counter()
        text = clean_question(question[: MAX_QUESTION_CHARS * 2])[:MAX_QUESTION_CHARS]
        query = query or self.reader.read(text)
        answer = self._answer(question, text, query)
        if query.membership and len(self.corpus.members) > 1:
            # "Is João Sacramento in the lab?": say whether, then what there is of them.
            who = query.coauthor or query.member
            said = f"Yes, {who} is" if query.member and not query.coauthor else f"No, {who} is not"
            said += f" one of {possessive(self.corpus.name)} members."
            answer = replace(answer, headline=f"{said} {answer.headline}")
        took = (time.perf_counter() - start) * 1000
        return self._finish(answer, took)

    def _finish(self, answer: Answer, took_ms: float) -> Answer:
        return replace(answer, took_ms=took_ms, headline=sentence_case(answer.headline))

    def _answer(self, question: str, text: str, query: Query) -> Answer:
        name = self.corpus.name
        if query.intent is Intent.HELP:
            if query.social == "thanks":
                welcome = f"You're welcome! Ask me anything else about {possessive(name)} papers."
                return Answer(question, Intent.HELP, welcome)
            hello = "Hi! " if query.social == "greeting" else ""
            return Answer(
                question,
                Intent.HELP,
                f"{hello}I answer questions about the {len(self.corpus.papers)} papers of {name}{self._members_named}: "
                "topics, members, coauthors, years, venues, code, and the figures sources report.",
                suggestions=self.suggestions,
            )
        if query.intent is Intent.PAPER and query.paper is not None:
            return Answer(question, Intent.PAPER, "The paper you named:", (self._hit(query.paper, 1.0, ""),))
        if query.intent is Intent.PROFILE:
            facts = self.profile_facts(query.figures, query.member, query.members)
            whose = possessive(" and ".join((query.member, *query.members)) if query.member else name)
            # No source gives citations per paper: say so, with the total they do give.
            headline = f"{whose} figures:"
            if query.per_paper and facts == NO_FIGURES:
                headline, facts = f"I have no citation counts for {whose} papers, per paper or in total.", ()
            elif query.per_paper:
                several = len(self.corpus.members) > 1 and not query.member
                total = "the totals sources give per member" if several else f"{whose} total"
                headline = f"I have no citation counts per paper, only {total}:"
            return Answer(question, Intent.PROFILE, headline, facts=facts)
        if query.intent is Intent.ABOUT:
            return self._about(question, query.member)
        if query.intent is Intent.COAUTHORS:
            top = self.coauthor_counts(query.member)[:10]
            facts = tuple((n, counted(None, c)) for n, c in top)
            whose = query.member or name
            return Answer(question, Intent.COAUTHORS, f"{possessive(whose)} most frequent coauthors:", facts=facts)
        if query.intent is Intent.VENUES:
            return self._venues(question, query)
        if query.intent is Intent.YEARS:
            return self._per_year(question, query)
        if query.intent is Intent.WHO:
            return self._who(question, query.topic)
        if query.intent is Intent.NONE:
            return self._nothing(question, "I could not find a question in that.")
        if query.filtered or query.intent in (Intent.NEWEST, Intent.OLDEST, Intent.LIST):
            return self._filtered(question, query)
        answer = self._topic(question, query.topic or text, query.plural)
        if query.unfiled and not answer.hits:
            return self._no_such_kind(question, query.unfiled)  # "his thesis?" where none says it is one
        return answer

    @cached_property
    def _members_named(self) -> str:
        """A lab's members, for the help: " (its 5 members: Alexander Meulemans, ...)"; nothing for one."""
        names = [m.name for m in self.corpus.members]
        if len(names) < 2:
            return ""
        shown = ", ".join(names[:MEMBERS_LISTED]) + (" and others" if len(names) > MEMBERS_LISTED else "")
        return f" (its {len(names)} members: {shown})"

    def _topic(self, question: str, topic: str, plural: bool = False) -> Answer:
        matches = self.index.search(topic)
        r = self.settings.retrieval
        hits = self._keep(matches, question, r.max_listed, listing=True) if plural else self._keep(matches, question)
        if not hits:
            return self._nothing(question, f"None of {possessive(self.corpus.name)} papers is about that.")
        # A question from a neighbouring field often shares a few words with some paper: say so rather
        # than call that paper a match (it is still shown, in case it is one). Only the closest: on a
        # phone, three loose matches read as three answers. Not when the index is sure of another paper
        # that scores close to the best: "ICL with gradient descent" scores best on a paper about
        # gradient descent alone, and next on the one about both.
        tentative = not self._sure(hits)
        shown = hits[:1] if tentative else hits
        found = tuple(self._hit(self.corpus.papers[m.position], m.score, topic) for m in shown)
        if tentative:
            return Answer(question, Intent.TOPIC, "No paper is clearly about that. The closest:", found, tentative=True)
        papers = "paper matches" if len(hits) == 1 else "papers match"
        return Answer(question, Intent.TOPIC, f"{len(hits)} {papers} your question:", found)

    def _sure(self, hits: Sequence[Match]) -> bool:
        """Whether the index is sure of a paper among those that score close to the best."""
        r = self.settings.retrieval
        close = [m for m in hits if m.score >= hits[0].score * r.relative_cutoff]
        return any(m.confidence >= r.sure_confidence and m.coverage >= r.sure_coverage for m in close)

    def _venues(self, question: str, query: Query) -> Answer:
        """Where the papers (of a member, a span of years, a kind) appeared, most papers first."""
        if query.publication and query.publication not in self.reader.kinds:
            return self._no_such_kind(question, query.publication)
        facts = self._venue_facts(replace(query, topic=""))
        whose = possessive(query.member or self.corpus.name)
        if not facts:
            return self._nothing(question, f"I found no {noun(query.publication)}{describe(query)}.")
        kind = f" {noun(query.publication, n=2)}" if query.publication else " papers"
        span = describe(replace(query, member=None, publication=None))
        return Answer(question, Intent.VENUES, f"Where {whose}{kind}{span} appeared:", facts=tuple(facts))

    def _per_year(self, question: str, query: Query) -> Answer:
        """How many papers (of a member, a kind...) each year, newest first, the busiest named; in a lab,
        each year's papers by member."""
        papers = self.filters.passing(query)
        if not papers:
            return self._nothing(question, f"I found no {noun(query.publication)}{describe(query)}.")
        facts, busiest = per_year_facts(papers, by_member=len(self.corpus.members) > 1 and not query.member)
        whose = describe(query)
        kind = sentence_case(noun(query.publication, n=2))
        year, n = busiest
        return Answer(question, Intent.YEARS, f"{kind}{whose} per year (the busiest: {year}, {counted(None, n)}):",
                      facts=facts)  # fmt: skip

    def _elsewhere(self, question: str, query: Query, what: str) -> Answer:
        """A venue none of the papers appeared at ("anything at CVPR?"): say so, then where they did."""
        where = self._venues(question, replace(query, intent=Intent.VENUES, venue=None, topic=""))
        none = f"I found no {noun(query.publication)}{what}."
        return replace(where, headline=f"{none} {where.headline}") if where.found else where

    def _venue_counts(self, query: Query) -> tuple[tuple[str, str], ...]:
        """Each venue of the papers `query` keeps, with how many and which years, most papers first;
        then how many other venues and papers without one."""
        papers = self.filters.passing(query)
        kinds = [self.filters.kind(p) for p in papers]
        # In a lab, whose papers they are: "where does the lab publish" differs member by member.
        return venue_facts(papers, kinds, by_member=len(self.corpus.members) > 1 and not query.member)

    def _who(self, question: str, topic: str) -> Answer:
        """Which members wrote about a topic, most papers first, with the papers themselves."""
        # Every member who wrote about it, as a list question finds every paper about it.
        matches = self._keep(self.index.search(topic), question, self.settings.retrieval.max_listed, listing=True)
        papers = [self.corpus.papers[m.position] for m in matches]
        by_member: dict[str, list[Paper]] = {}
        for paper in papers:
            for member in paper.members:
                by_member.setdefault(member, []).append(paper)
        if not by_member:
            return self._nothing(question, f"None of {possessive(self.corpus.name)} papers is about that.")
        ranked = sorted(by_member.items(), key=lambda kv: -len(kv[1]))
        facts = tuple((m, f"{counted(None, len(ps))}: " + "; ".join(p.title for p in ps[:3])
                       + (f"; and {len(ps) - 3} more" if len(ps) > 3 else "")) for m, ps in ranked)  # fmt: skip
        hits = tuple(self._hit(self.corpus.papers[m.position], m.score, topic) for m in matches[: len(ranked) + 2])
        return Answer(question, Intent.WHO, f"Who in {self.corpus.name} wrote about {topic}:", hits, facts=facts)

    def _about(self, question: str, member: str | None) -> Answer:
        """Who a member, or the lab, is as the papers tell it, with the papers most typical of their work."""
        headline, facts, hits = self._about_cached(member)
        return Answer(question, Intent.ABOUT, headline, hits, facts=facts)

    def _about_parts(self, member: str | None) -> tuple[str, tuple[tuple[str, str], ...], tuple[Hit, ...]]:
        if member is None and len(self.corpus.members) > 1:
            return self._lab_parts()
        corpus = self.corpus.of_member(member) if member else self.corpus
        # Positions come in corpus order, newest first; the newest papers are enough to say what someone
        # works on, and bound the cost in a corpus of 50,000.
        positions = self.filters.member_positions(member)
        sample = list(positions[:MAX_TYPICAL_FROM])
        typical = self.index.typical(sample, TYPICAL)
        hits = tuple(self._hit(self.corpus.papers[m.position], m.score, "") for m in typical)
        n = len(positions)
        among = "them" if len(sample) == n else f"the newest {len(sample)}"
        shown = f" (below, the {len(hits)} most typical of {among})" if len(hits) > 1 else ""
        headline = f"About {member or self.corpus.name}, from the {n} paper{'s' * (n != 1)} here{shown}:"
        # What the papers say; the figures sources report are one question away ("his h-index?").
        return headline, about_facts(corpus, self.coauthor_counts(member), self.kind_counts(member)), hits

    def _lab_parts(self) -> tuple[str, tuple[tuple[str, str], ...], tuple[Hit, ...]]:
        """A lab of several members: who they are, most papers first, and each one's most typical paper."""
        facts = member_facts(self.corpus)
        members = [name for name, _ in facts if name in self.filters.by_member][:MEMBER_CARDS]
        hits: list[Hit] = []
        for name in members:
            typical = self.index.typical(list(self.filters.member_positions(name)[:MAX_TYPICAL_FROM]), 1)
            paper = self.corpus.papers[typical[0].position]
            if all(h.paper.id != paper.id for h in hits):
                hits.append(self._hit(paper, typical[0].score, ""))
        n = len(self.corpus.members)
        whose = "each" if len(members) == n else f"the {len(members)} with most"
        shown = f" (below, the most typical paper of {whose})"
        headline = f"About {self.corpus.name}: {n} members and {counted(None, len(self.corpus.papers))} here{shown}:"
        rest = about_facts(self.corpus, self.coauthor_counts(None), self.kind_counts(None))[1:]  # the total is said
        return headline, facts + rest, tuple(hits)

    def _keep(
        self, matches: list[Match], question: str, limit: int | None = None, listing: bool = False
    ) -> list[Match]:
        """Matches that answer `question` (they hold enough of it), in the second reading's order when
        there is one, and score close enough to the first, at most `max_results`. `listing` (papers
        asked for in the plural): down to `list_cutoff`, and after the first, down to `list_confidence`."""
        r = self.settings.retrieval
        ordered = matches
        if self.reorder is not None and any(self._answers(m) for m in matches):
            # Re-ordered before they are kept, as measured: the candidates are the index's best,
            # whether or not each answers.
            order = self.reorder.order(question, [m.position for m in matches], [m.score for m in matches])
            ordered = [matches[i] for i in order]
        kept = [m for m in ordered if self._answers(m)]
        if not kept:
            return []
        if listing:
            # Once a paper answers, the question is of the corpus' field: the other papers about it
            # need less of the index's certainty ("which papers are about RL" lists all his RL papers).
            first = kept[0]
            kept = [first, *(m for m in ordered if m is not first and self._answers(m, r.list_confidence))]
        best = kept[0].score
        cutoff = r.list_cutoff if listing else r.relative_cutoff
        return [m for m in kept if m.score >= best * cutoff][: limit or r.max_results]

    def _answers(self, match: Match, confidence: float | None = None) -> bool:
        """Whether a ranked paper answers the question, by the index's signals alone (at least
        `confidence`, else `min_confidence`)."""
        r = self.settings.retrieval
        floor = r.min_confidence if confidence is None else confidence
        return match.confidence >= floor and match.coverage >= r.min_coverage

    def _no_such_kind(self, question: str, key: str) -> Answer:
        """ "His journal articles" where the sources record none: what they record instead."""
        kinds = self.kind_counts()
        known = [counted(k, n) for k, n in kinds]
        if known and (unknown := len(self.corpus.papers) - sum(n for _, n in kinds)):
            known.append(f"{unknown} of no recorded kind")  # a thesis filed as an article may be one of them
        instead = f", as their sources record them: {listed(known)}" if known else " in their sources' records"
        return self._nothing(question, f"None of {possessive(self.corpus.name)} papers is a {KINDS[key].one}{instead}.")

    def _filtered(self, question: str, query: Query) -> Answer:
        if query.publication and query.publication not in self.reader.kinds:
            return self._no_such_kind(question, query.publication)
        if query.single and not query.topic:
            # "His first paper": the first that passes, from the right end, not every one that does.
            candidates = self.filters.candidates(query)
            checks = self.filters.checks_each(query)
            ordered = reversed(candidates) if query.order == "oldest" else iter(candidates)
            first = next((p for p in ordered if not checks or self.filters.passes(p, query)), None)
            as_new = _tied_with(first, candidates) if first is not None else []  # its year's, if only that is known
            papers = [p for p in as_new if not checks or self.filters.passes(p, query)]
        else:
            papers = self.filters.passing(query)
        what = describe(query)
        ranked: list[Match] = []
        loose = False
        if papers and query.topic:
            ranked, loose = self._about_topic(question, query, [self.positions[p.id] for p in papers])
        if query.code and query.topic and not ranked and (without := self._without_code(question, query)):
            return without
        if not papers:
            if query.venue and not self.filters.venues_at(query.venue):
                return self._elsewhere(question, query, what)
            return self._nothing(question, f"I found no {noun(query.publication)}{what}.")
        asides: list[str] = []  # said in brackets after the headline, in this order
        since = ""
        if query.topic:
            if ranked:
                hits = tuple(self._hit(self.corpus.papers[m.position], m.score, query.topic) for m in ranked)
                papers_of = sentence_case(noun(query.publication, n=2))  # the plural, whatever the count
                headline = f"{papers_of}{what} about {query.topic}" + (f", {query.order} first" if query.dated else "")
                if query.dated and query.single:
                    headline = f"The {query.order} {noun(query.publication)}{what} about {query.topic}"
                if loose:
                    return Answer(question, Intent.TOPIC, "No paper is clearly about that. The closest:", hits,
                                  coauthor=query.coauthor, tentative=True)  # fmt: skip
                return Answer(question, query.intent, f"{headline}:", hits, coauthor=query.coauthor)
            asides.append(f"none is about {query.topic}")
        if query.order == "oldest":  # candidates come newest first, as the corpus lists them
            papers.reverse()
        lead, newest = "", query.recent
        if query.since is not None:
            # A month or a week needs a paper's month, not only its year.
            within = [p for p in papers if p.date >= query.since and p.date_precision != "year"]
            if within:
                papers, since, newest = within, f" from {query.period}", False
            else:
                lead, newest = f"No paper from {query.period}. ", True
        tied = _tied_with(papers[0], papers) if query.single and papers else []
        if len(tied) > 1:
            # "The newest paper" where only years are known and several share the last one: all of them.
            papers = tied
            asides.append(f"all from {tied[0].date.year}, their sources give no month")
        elif query.single:
            papers = papers[:1]
        elif newest:
            papers = papers[:RECENT]
        count = counted(query.publication, len(papers))
        if newest and len(papers) > 1:
            count = f"the {len(papers)} newest {noun(query.publication, n=2)}"
        if query.venue and (others := only_begun(query.venue, (p.venue for p in papers if p.venue))):
            # "Nature" where no paper appeared in Nature itself: the journals whose names it begins.
            asides.append(f"none in {query.venue} itself: {listed(others)}")
        if query.venue and not query.publication and not query.single:
            # "8 papers at CHI (5 conference papers and 3 workshop papers)": a venue's workshops and
            # main track are not the same kind of paper.
            kinds = counts(self.filters.kind(p) for p in papers)
            asides += [listed([counted(k, n) for k, n in kinds])] if len(kinds) > 1 else []
        shown = papers[: self.settings.retrieval.max_listed]
        if len(shown) < len(papers):
            asides.append(f"the {len(shown)} {'oldest' if query.order == 'oldest' else 'newest'} shown")
        one = f"The {query.order} {noun(query.publication)}"
        if len(tied) > 1:
            one = f"The {len(tied)} {query.order} {noun(query.publication, n=2)}"
        if not (what or query.single or newest or since or query.publication):
            count = f"all {count}"  # "All 15 papers", not "15 papers in the corpus": members never say corpus
        note = f" ({'; '.join(asides)})" if asides else ""
        headline = lead + sentence_case(f"{one if query.single else count}{what}{since}{note}:")
        hits = tuple(self._hit(p, 1.0, query.topic) for p in shown)
        return Answer(question, query.intent, headline, hits, coauthor=query.coauthor)

    def _about_topic(self, question: str, query: Query, allowed: list[int]) -> tuple[list[Match], bool]:
        """The papers among `allowed` that a list question's topic keeps, and whether they are only
        loosely about it: by fit, or by date ("her latest paper on haptics": of every paper about it,
        as a list finds them, the newest)."""
        matches = self.index.search(query.topic, allowed)
        if not query.dated:
            return self._keep(matches, question), False
        about = self._keep(matches, question, self.settings.retrieval.max_listed, listing=True)
        if about and not self._sure(about):
            return about[:1], True  # of papers only loosely about it, the newest is no answer: the closest
        ranked = sorted(about, key=lambda m: m.position, reverse=query.order == "oldest")  # positions: newest first
        return (ranked[:1] if query.single else ranked), False

    def _without_code(self, question: str, query: Query) -> Answer | None:
        """ "Is there code for MesaNet?" when the paper it names, or the papers about its topic, link
        none: those papers, saying so, rather than that no paper has code. None when no paper is
        about the topic either."""
        plain = replace(query, code=False)
        paper = self.reader.direct_paper(" ".join(tokens(query.topic)))
        if paper is not None:
            if paper.code or not self.filters.passes(paper, plain):
                return None
            hits: tuple[Hit, ...] = (self._hit(paper, 1.0, query.topic),)
        else:
            ranked = self._keep(self.index.search(query.topic, self.filters.allowed(plain)), question)
            hits = tuple(self._hit(self.corpus.papers[m.position], m.score, query.topic) for m in ranked)
            if not hits:
                return None
        headline = "This paper has" if len(hits) == 1 else "These papers have"
        return Answer(question, Intent.CODE, f"{headline} no code link recorded:", hits, coauthor=query.coauthor)

    def _nothing(self, question: str, why: str) -> Answer:
        return Answer(
            question,
            Intent.NONE,
            f"{why} I answer questions about the {len(self.corpus.papers)} papers of {self.corpus.name}.",
            suggestions=self.suggestions[:4],
        )

    def summary(self, paper: Paper, focus: str = "") -> str:
        """The paper's summary for a question (`focus`), or its gist when there is none."""
        return summarise(self.index, self.positions[paper.id], focus, self.settings.summary)

    def _hit(self, paper: Paper, score: float, focus: str) -> Hit:
        return Hit(paper, round(float(score), 4), self.summary(paper, focus))

    # -- structured look-ups for front ends ----------------------------------------------

    def profile_facts(
        self, figures: tuple[str, ...] = ("all",), member: str | None = None, also: tuple[str, ...] = ()
    ) -> tuple[tuple[str, str], ...]:
        """The members' figures as label/value pairs (one member's when named, or `also` theirs); only
        those asked for unless "all". Figures that cannot all be true are shown as "reported by
        SOURCE", not as fact."""
        named = {member, *also} if member else set()
        members = [m for m in self.corpus.members if not named or m.name in named]
        prefix = len(members) > 1
        facts: list[tuple[str, str]] = []
        if prefix and ("paper_count" in figures or "all" in figures or not figures):
            # "How many papers does the lab have", "... do Alex and Christian have": theirs together
            # first, each shared paper once.
            theirs = Counter(i for m in members for i in self.filters.by_member.get(m.name, ()))
            together, both = len(theirs), sum(n > 1 for n in theirs.values())
            shared = f" ({both} shared, counted once)" if both else ""
            label = " and ".join(m.name for m in members) if named else "All members"
            facts.append((f"{label}: papers here", f"{together}{shared}"))
        for m in members:
            own = len(self.filters.by_member.get(m.name, ()))
            doubts = m.doubtful_figures(own)
            every = {
                "h_index": ("h-index", m.h_index),
                "citations": ("Citations", m.citations),
                "paper_count": ("Papers", m.paper_count),
                "novelty": ("Novelty", f"{m.novelty}%" if m.novelty is not None else None),
                "ai_score": ("AI score", m.ai_score),
            }
            keys = list(every) if "all" in figures or not figures else [k for k in every if k in figures]
            reported = f" (reported by {m.figures_source or 'the source'})" if doubts else ""
            for key, (label, value) in ((k, every[k]) for k in keys):
                if value is not None:
                    facts.append((f"{m.name}: {label}" if prefix else label, f"{value}{reported}"))
                elif prefix and key in figures and key != "paper_count":
                    # "Who has the most citations?": members without the figure say so, not vanish.
                    facts.append((f"{m.name}: {label}", "none recorded"))
            if "paper_count" in keys:
                facts.append((f"{m.name}: papers here" if prefix else "Papers in this corpus", str(own)))
            if doubts and any(every[k][1] is not None for k in keys):
                # Why, rather than a bare "it does not add up" on every line.
                facts.append((f"{m.name}: in doubt" if prefix else "In doubt", sentence_case("; ".join(doubts)) + "."))
        return tuple(facts) or NO_FIGURES

    def find_paper(self, key: str) -> Paper | None:
        """A paper by id, acronym, exact title, or the best title match."""
        key = clean_question(key)
        if not key:
            return None
        if (paper := self.corpus.by_id(key.strip())) is not None:
            return paper
        direct = self.reader.direct_paper(" ".join(tokens(key)))
        if direct is not None:
            return direct
        matches = self.index.search(key)
        if matches and self._answers(matches[0]):
            return self.corpus.papers[matches[0].position]
        return None

    def related(self, paper: Paper, k: int = 3) -> tuple[Hit, ...]:
        """The papers nearest to `paper` by TF-IDF."""
        position = self.positions.get(paper.id)
        if position is None:
            return ()
        return tuple(
            self._hit(self.corpus.papers[m.position], m.score, paper.title)
            for m in self.index.similar(position, k)
        )

    def list_papers(
        self, *, year: int | None = None, coauthor: str | None = None, topic: str | None = None,
        member: str | None = None, kind: str | None = None,
    ) -> tuple[Paper, ...]:  # fmt: skip
        """Papers matching all the given filters, newest first; `kind`: a key of `publications.KINDS`."""
        person = self.match_coauthor(coauthor) if coauthor else None
        who = self.match_member(member) if member else None
        if (coauthor and person is None) or (member and who is None) or (kind and kind not in KINDS):
            return ()
        query = Query(Intent.LIST, coauthor=person, member=who, years=None if year is None else (year, year),
                      publication=kind or None)  # fmt: skip
        if topic and topic.strip():
            keep = sorted(m.position for m in self.index.search(topic, self.filters.allowed(query)) if self._answers(m))
            return tuple(self.corpus.papers[i] for i in keep)  # newest first, as the corpus lists them
        return tuple(self.filters.passing(query))

    def kind_counts(self, member: str | None = None) -> tuple[tuple[str, int], ...]:
        """How many papers of each kind of publication the lab, or one member, has, the commonest first."""
        kinds = self.reader.paper_kinds
        return tuple(counts(kinds[i] for i in self.filters.member_positions(member)))

    def coauthor_counts(self, member: str | None = None) -> tuple[tuple[str, int], ...]:
        """Coauthors (members aside) and how many papers they share with the lab, or with one member."""
        if member is None:
            return self._coauthors
        return coauthor_counts(self.corpus.of_member(member))

    def match_coauthor(self, name: str) -> str | None:
        """The canonical coauthor name for a full or partial, accent-insensitive name."""
        exact = {fold(n): n for n, _ in self._coauthors}
        return exact.get(fold(name).strip()) or self.reader.people.find_person(name, require_cue=False)

    def complete_papers(self, text: str, limit: int = 25) -> tuple[tuple[str, str], ...]:
        """(label, paper id) choices whose title, id or acronym contains what was typed."""
        typed = fold(text).strip()
        scored: list[tuple[int, Paper]] = []
        for paper in self.corpus.papers:
            names = [fold(a) for a in self.acronyms.get(paper, ())]
            haystack = [fold(paper.title), paper.id, *names]
            if not typed:
                rank = 2
            elif typed in names:
                rank = 0
            elif any(h.startswith(typed) for h in haystack):
                rank = 1
            elif any(typed in h for h in haystack) or all(t in fold(paper.title) for t in typed.split()):
                rank = 2
            else:
                continue
            scored.append((rank, paper))
        scored.sort(key=lambda rp: (rp[0], -rp[1].date.toordinal()))
        out: list[tuple[str, str]] = []
        for _, paper in scored[:limit]:
            aliases = self.acronyms.get(paper, ())
            shown = aliases and aliases[0] not in paper.title
            label = f"{aliases[0]}: {paper.title}" if shown else paper.title
            out.append((label, paper.id))
        return tuple(out)

    def match_member(self, name: str) -> str | None:
        """The lab member a full or partial name (or an alias) names."""
        typed = fold(name).strip()
        for member in self.corpus.members:
            if typed in {fold(n) for n in (member.name, *member.aliases)}:
                return member.name
        found = self.reader.member_tokens.get(typed) or [
            m for t in tokens(typed) for m in self.reader.member_tokens.get(t, ())
        ]
        return found[0] if found else None

    def complete_members(self, text: str, limit: int = 25) -> tuple[str, ...]:
        """Member names containing what was typed."""
        typed = fold(text).strip()
        return tuple(m.name for m in self.corpus.members if typed in fold(m.name))[:limit]

    def complete_coauthors(self, text: str, limit: int = 25) -> tuple[str, ...]:
        """Coauthor names containing what was typed, most frequent first."""
        typed = fold(text).strip()
        return tuple(n for n, _ in self._coauthors if typed in fold(n))[:limit]
