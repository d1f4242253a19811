"""Reading a question: which structured filters it names, and what topic words are left."""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from collections import Counter
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass

from bot.core.acronyms import FIELD_WORD, typed_in_capitals
from bot.core.models import Corpus, Intent, Paper
from bot.core.names import is_spelling_of, spellings_merged
from bot.core.people import MEMBERSHIP, PARTICLES, PRONOUNS, People, member_tokens, unnicknamed
from bot.core.publications import THESES, kind_of
from bot.core.publications import WORDS as KIND_WORDS
from bot.core.publications import asked as kind_asked
from bot.core.rarity import rarity
from bot.core.text import STOPWORDS, fold, tokens
from bot.core.tfidf import distinct_tokens
from bot.core.venues import ACRONYM, series, short_names

# Words of a list question rarer than this in everyday English are a topic ("cats" 0.33); commoner
# ones no paper uses are how it was put ("came" 0, "stuff" 0.13).
PHRASING_RARITY = 0.3

_HELP = re.compile(
    r"^(help|\?+|what can (you|u|i) (do|ask)|how (do|can|should) i (use|ask)|usage|commands?"
    r"|(what|who) (is|s) this (bot\b|(thing|app|tool)$)|(what|who) are (you|u)$|what (do|does) (you|u|this bot) do)\b"
)
# Greetings and thanks, alone ("hi", "thx") or around a question ("hey, who is X?", "... pls"), in the
# languages members write in; after folding, so "schön" is "schon".
_GREETING = (r"(hi+|hey+|hello+|hallo|hullo|howdy|hiya|yo|greetings|good (morning|afternoon|evening|day)"
             r"|bonjour|salut|hola|buenos dias|servus|moin|guten (morgen|tag|abend))")  # fmt: skip
_THANKS = (r"(thanks?( (you|u|a lot|so much|again))?|thank you( so much)?|thx|tysm|ty|cheers|much appreciated"
           r"|merci( beaucoup)?|danke( (schon|sehr))?|vielen dank|gracias|muchas gracias)")  # fmt: skip
_ADDRESSED = r"( (there|all|everyone|folks|bot|paperbot))?"
_SOCIAL_LEAD = re.compile(rf"^(({_GREETING}|{_THANKS}){_ADDRESSED} )+")
_SOCIAL_TAIL = re.compile(rf"( ({_THANKS}|please|pls|plz){_ADDRESSED})+$")
_GREETING_ONLY = re.compile(rf"({_GREETING}{_ADDRESSED} ?)+")
_THANKS_ONLY = re.compile(rf"((ok|okay|great|cool|perfect|nice|awesome|super) )?({_THANKS}{_ADDRESSED} ?)+")
_PROFILE = {
    "h_index": re.compile(r"\bh ?index\b|\bhindex\b"),
    "citations": re.compile(r"\bcitations?\b|\bcited\b|\bcites\b"),
    "paper_count": re.compile(
        r"\bhow many (papers|publications|articles)\b|\bnumber of (papers|publications)\b|\bpaper count\b"
    ),
    "novelty": re.compile(r"\bnovelty\b"),
    "ai_score": re.compile(r"\bai score\b"),
    "all": re.compile(r"\b(profile|stats|statistics|metrics|figures|bibliometrics?)\b"),
}
_PROFILE_WORD = re.compile("|".join(rx.pattern for rx in _PROFILE.values()))
# "His most cited paper", "which work has the most citations": a ranking by citations per paper, which
# no source here gives (only a researcher's total).
_MOST_CITED = re.compile(
    r"\b(most|highest|best|top|widely) (cited|influential|impactful)\b"
    r"|\b(most|highest|largest) (number of )?citations\b"
)
_COAUTHORS = re.compile(
    r"\bco ?authors?\b|\bcollaborators?\b|\bcollaborates?\b|\bcollaborated\b|\bwho (does|did|has|do|have) "
    r"(he|she|they) (work|write|publish|collaborate)|\bworks? with (the )?most\b|\bwho (are|were) (his|her|their)\b"
)
_VENUE_CUE = r"\b(at|in)\s+(the\s+)?{0}\b|\b{0}\s+(papers?|publications?|articles?|conference|journal|workshop)\b"
# Cues strong enough for a venue's whole name typed in lower case: "published in nature", "a nature paper".
_LOWER_VENUE_CUE = (r"\b(publish|published|publishes|appear|appeared|appears) in (the )?{0}\b"
                    r"|(\b(a|any|his|her|their) |^){0} (paper|papers|publication|publications|article|articles)\b"
                    # "his papers in analytical chemistry": the name ends the question, not "cell biology".
                    r"|\b(papers|publications|articles) in (the )?{0}\s*[?.!]*$")
# A venue no paper appeared at, named after "at" ("anything at CVPR?") or after publishing "in"
# ("did she publish in Nature Methods?"), at the end of the question or before a year or "papers".
_ELSEWHERE = re.compile(
    r"(?i:\b(?:at|(?:publish|published|publishes|publishing|appear|appears|appeared)\s+in)\s+(?:the\s+)?)"
    r"(?P<name>[A-Z][\w&-]*(?:\s+[A-Z][\w&-]*){0,3}|[a-z][\w-]*)(?P<rest>.*)$",
    re.DOTALL,
)
MAX_SHORT_NAME = 7  # "neurips"; a longer word typed in lower case after "at" is no venue's short name
_ELSEWHERE_REST = frozenset("papers paper publications conference conferences journal proceedings yet ever".split())
# "who in the lab works on X", "who has written about X": members by topic.
_WHO = re.compile(r"^who\b(?!.*\bco ?authors?\b).*\b(work|works|working|worked|write|writes|wrote|written|research|"
                  r"researches|study|studies|studied|publish|published|knows?|ask|talk|contact|speak|experts?|"
                  r"does|do|did|doing)\b")
# "Is anyone here working on X?", "has somebody studied X": the members who did.
_ANYONE = re.compile(r"\b(anyone|anybody|someone|somebody|everyone|everybody)\b.*\b(work|works|working|worked|"
                     r"doing|do|does|did|done|study|studies|studying|studied|research|researching|write|wrote|"
                     r"written|writing|publish|published|know|knows)\b")
# Words that ask whom to go to, not what about: "who should I talk to about X", "who knows about X",
# "who researches X".
_WHO_WORDS = frozenset("""ask talk contact speak expert experts know knows research researches researching
                       study studies studying studied""".split())
# Words that name the lab itself, not one of its members: "who is in the lab", "what does the group do".
_LAB_WORDS = frozenset("lab labs group team members people ppl everyone everybody".split())
# "Which members work with each other": the lab's members who share papers, not their coauthors.
_EACH_OTHER = re.compile(r"\b(each other|one another|among themselves|with eachother|eachother)\b")
# "Papers per year", "which year was the busiest": how many papers each year.
_PER_YEAR = re.compile(r"\b(per|each|every|a|by) year\b|\byear by year\b|\b(busiest|most productive|best|biggest|"
                       r"strongest|top) year\b|\b(which|what) year\b.*\b(most|busiest|productive)\b")
_PER_YEAR_WORDS = frozenset("per each every busiest most productive best biggest strongest top which what".split())
# "Papers per person", "how many does each member have": the members side by side.
_PER_MEMBER = re.compile(r"\b(per|each|every|by) (person|member|people|ppl|author|head)\b")
_NEWEST = re.compile(
    r"\b(newest|latest|most recent|recent|recently|last (paper|work|publication|one)|lately|current|currently)\b"
    r"|\b(what s|whats|what is|anything|something|any) new\b|\bnew (papers|work|publications|preprints)\b"
)
# "Anything new this month?": papers since the start of a recent period, else saying there are none.
_PERIOD = re.compile(r"\b(this|last|past) (week|month)\b")
# Asking what is new rather than for the newest paper: a few of the newest answer it.
_RECENT_FEW = re.compile(r"\b(new|lately|recently|recent|these days|up to)\b")
_ONE_PAPER = re.compile(r"\b(paper|publication|article|preprint|one|thing|work)\b")
# "Is he still publishing?": whether there is recent work, answered by the newest; no topic in it.
_STILL = re.compile(r"\bstill (publishing|active|working|writing|doing research|research(ing)?)\b")
_OLDEST = re.compile(r"\b(first|earliest|oldest|debut)\b")
# "When did she start working with Strohmeier?": the oldest paper with him; the words ask, they are no topic.
_STARTED = re.compile(r"\b(start|started|starting|begin|began) (working|collaborating|publishing|to)\b")
# "Her latest paper on haptics", "the first one about singing": papers about a topic by date. Not
# "first-person interviews" nor "the current state of haptics", where the word is the topic's.
_DATED = re.compile(
    r"\b(newest|latest|most recent|recent|last|first|earliest|oldest|debut)( \w+){0,2}? "
    r"(paper|papers|work|works|publication|publications|one|ones|article|articles|preprint|preprints|thesis)\b"
)
# "Which papers is he first author on?": a place among the authors, not the oldest paper.
_POSITION = re.compile(r"\b(?P<place>first|lead|leading|last|senior) ?(author|authors|authored|authorship)\b")
_PLACES = {"first": "first", "lead": "first", "leading": "first", "last": "last", "senior": "last"}
_CODE_TERMS = ("code", "github", "source", "implementation", "implementations", "open source", "repository", "repo")
_CODE = re.compile(rf"\b({'|'.join(_CODE_TERMS)})\b")
_CODE_WORDS = frozenset(w for term in _CODE_TERMS for w in term.split())
# A code or figures word is asked for unless it is part of the topic's phrase. Words beside it that
# keep it asked: they say where or whether the thing is ("github link", "code available", "novelty score").
_REQUEST_WORDS = frozenset("link links url page available released public publicly online number total score".split())
# Words that ask where to read a paper, not what it is about; "the link between X and Y" is a topic.
_WHERE_TO_READ = frozenset("doi dois url urls pdf pdfs link links".split())
_LINK_TOPIC = re.compile(r"\blinks? between\b")
# Words that join a topic to the word before them ("figures in a news story", "repository of genetic data").
_ATTACHING = frozenset("in on about of from into across between during through within".split())
# Words that lead up to what is asked, over stopwords only: "come with code", "is there a repository",
# "where is the code", "show me his figures".
_ASKING = frozenset("with have has had there where show give see find get share release want need come comes".split())
# Not the topic of a question that asks for code: "which papers come with code?" is about no topic.
_CODE_ASKED = _CODE_WORDS | _REQUEST_WORDS | _ASKING
_LIST = re.compile(
    r"\ball (of )?(his |her |their |the )?(papers|publications|work)\b|\blist\b|\bevery (paper|publication)\b|"
    r"\beverything\b|\bpublication list\b|\bbibliography\b|\bwhat (papers|(has|have) \w+ (written|published))\b"
)
# Words of many organisations' or venues' names that name none of them: "papers at the conference"
# asks for conference papers, not for the one venue whose name begins "Conference on...".
_GENERIC_NAME_WORDS = frozenset(
    "research lab workshop workshops conference conferences proceedings journal journals international annual "
    "symposium transactions".split()
)
# "Which conferences has he published at?", "where does she publish?": the venues, not a topic.
_VENUES = re.compile(
    r"\b(venues|conferences|journals|workshops)\b|\b(where|(which|what) (venue|conference|journal|workshop)s?)\b"
    r".*\b(publish|published|publishes|publishing|present|presented|presents)\b"
)
_VENUES_WORDS = frozenset("venue venues conference conferences journal journals workshop workshops present presented "
                          "presents publishes publishing mostly usually often main top".split())  # fmt: skip
# Words that ask about a person's work as a whole, not a topic: "what are her research interests?".
_ABOUT_WORDS = frozenset(
    """interest interests interested field fields area areas focus expertise background bio tldr tl dr overview
    gist""".split()
)
_PLURAL = re.compile(r"\b(papers|works|publications|articles|ones)\b")
# "Where should I start?", "best paper to start with", "must-reads": with nothing else asked, the most
# typical of the papers, as "what does she work on?" gives them.
_WHERE_TO_START = re.compile(
    r"\bwhere (do|should|can|would) (i|we|one) (start|begin)\b|\b(start|begin) (with|reading|here)\b"
    r"|\bread first\b|\b(good|best|which|what) (paper|one|papers|ones) to (start|begin|read)( with)?\b"
    r"|\bmust ?reads?\b|\bkey papers?\b|\bmost important (papers?|work)\b"
)
# "His work on Alzheimer's", "sam's alzheimer's research": all of it, as "his papers on" asks; not
# "what is RL about in his work?".
_BODY_OF_WORK = re.compile(r"(?<!\bin )\b(his|her|their|s|our|my) (\w+ )?(work|research)( (on|about|into)\b|$)")
_YEAR = re.compile(r"\b(19[89]\d|20\d\d)\b")
_SINCE = re.compile(r"\b(since|after|from)\s+(19[89]\d|20\d\d)\b(?=\s*(on|onwards?|forward|later)\b)|"
    r"\b(since|after)\s+(19[89]\d|20\d\d)\b")
_BEFORE = re.compile(r"\b(before|until|till|prior to|up to)\s+(19[89]\d|20\d\d)\b")
# "2021-2022" is "2021 2022" once the question is cut into words.
_RANGE = re.compile(r"\b(19[89]\d|20\d\d)\s*(?:-|to|and|until|\s)\s*(19[89]\d|20\d\d)\b")
# "last years papers" is last year's, as a phone types it; "the last years" are not one year.
_RELATIVE_YEAR = re.compile(r"\b(this|last|past) year(s(?= (papers?|works?|publications?|articles?)\b))?\b")
_LEAD_IN = re.compile(
    r"^(what|whats|who|which|tell me|tell us|explain|describe|summari[sz]e|show me|show|give me|"
    r"find|search|is there|are there|do you know|about|the paper|paper|papers|is|are|was|about the|s)\b\s*"
)  # "s": what is left of "what's" once folded
# Words that only steer the question ("his newest work with ..."), removed before topic search.
_CUE_WORDS = frozenset(
    """
    newest latest recent recently last first earliest oldest debut current currently lately year
    years coauthor coauthors co author authors collaborator collaborators collaborate collaborated together
    collab collabs collaboration collaborations
    joint since after before until till prior between anything everything stuff list every one ones
    published publish profile lab group team member members working worked people person anyone
    someone somebody anybody everyone everybody ppl per each fewest
    """.split()
)


@dataclass(frozen=True)
class Query:
    """What a question asks for, as filters plus the topic words left over."""

    intent: Intent
    topic: str = ""
    coauthor: str | None = None
    years: tuple[int, int] | None = None
    organisation: str | None = None
    venue: str | None = None
    code: bool = False
    order: str = "relevance"  # relevance, newest or oldest
    single: bool = False  # "his newest paper": one paper, not a list
    dated: bool = False  # "her latest paper on haptics": the papers about a topic by date, not by fit
    figures: tuple[str, ...] = ()
    paper: Paper | None = None
    member: str | None = None  # a lab member the question names: only their papers
    members: tuple[str, ...] = ()  # more members it names, on the same papers: "reed and mcglinn"
    among: frozenset[str] | None = None  # a follow-up's "those": only these paper ids
    publication: str | None = None  # only papers of this kind (a key of publications.KINDS): "journal", "phd"
    unfiled: str = ""  # a kind asked for that no source files a paper as ("thesis"): looked for as a topic
    also: tuple[str, ...] = ()  # more coauthors, all on the same papers: "Swarup and Miyoshi"
    per_paper: bool = False  # figures asked of each paper ("his most cited paper"), not of the researcher
    social: str = ""  # a greeting or thanks alone ("greeting", "thanks"): said back before the help
    position: str = ""  # "first" or "last": only papers the coauthor (else the member) is that author of
    plural: bool = False  # "which papers are about X?": every paper that answers, not the best few
    membership: bool = False  # "is X in the lab?": whether the person named is one of its members
    recent: bool = False  # "what's new?": the few newest papers (`RECENT`), not one nor all of them
    since: dt.date | None = None  # "this month": only papers dated from this day on
    period: str = ""  # the period as asked ("this month"), for the reply

    @property
    def filtered(self) -> bool:
        return bool(self.coauthor or self.member or self.members or self.years or self.organisation or self.venue
                    or self.code or self.among is not None or self.publication or self.position)  # fmt: skip


@dataclass(frozen=True)
class ReaderTables:
    """What the question reader draws from every paper: built at start, or read back with the saved index
    (at 50,000 papers they took most of a restart's 10 s)."""

    spellings: dict[str, str]  # each coauthor spelling -> the one name shown for that person
    coauthor_counts: dict[str, int]  # shown name -> author slots (members aside)
    name_tokens: dict[str, list[str]]  # a word of a coauthor's name -> their shown names
    organisations: dict[str, str]  # a distinctive word -> the organisation
    venues: dict[str, str]  # a distinctive word -> the venue
    titles: tuple[str, ...]  # each paper's folded title, in corpus order
    topic_words: list[str]  # every word the papers use, sorted

    @classmethod
    def of(cls, corpus: Corpus, owner_tokens: frozenset[str]) -> ReaderTables:
        """The tables of this corpus; `owner_tokens`: the members' name words, never a coauthor's."""
        counts: Counter[str] = Counter()
        for paper in corpus.papers:
            counts.update(a for a in paper.authors if not is_spelling_of(a, paper.members))
        shown = spellings_merged(counts)
        # Every spelling's words lead to the one name shown for that person.
        coauthor_counts: Counter[str] = Counter()
        for spelling, count in counts.items():  # one pass: per name over every spelling took 10 s at 50,000 papers
            coauthor_counts[shown[spelling]] += count
        name_tokens: dict[str, list[str]] = {}
        for spelling, _ in counts.most_common():
            name = shown[spelling]
            for tok in tokens(spelling):
                if len(tok) > 1 and tok not in PARTICLES and tok not in owner_tokens:
                    listed = name_tokens.setdefault(tok, [])
                    if name not in listed:
                        listed.append(name)
        return cls(
            shown,
            dict(coauthor_counts),
            name_tokens,
            _keywords(p.organisation for p in corpus.papers),
            _venue_keywords(corpus),
            tuple(fold(" ".join(tokens(p.title))) for p in corpus.papers),
            # Words the papers themselves use: such a word in a question is a topic unless cued otherwise.
            sorted(distinct_tokens(f"{p.title} {p.abstract}" for p in corpus.papers)),
        )


def asks_for(cue: re.Pattern[str], norm: str, names: Sequence[Container[str]]) -> bool:
    """Whether a question (`norm`: its folded words) asks for what `cue` names (code, figures), rather than
    using the cue's word in its topic: "is there a repository?", "show his figures", "COCOA code", but
    not "a disease-agnostic genetic repository", "open-source trainers" or "figures in a news story".

    A cue word is part of the topic when a topic word stands right beside it, or, unless asking words
    lead up to it ("is there an implementation of ..."), when a preposition joins one to it. `names`:
    people's and papers' names, which say whose code or figures, not what about. When in doubt the
    topic is searched: the paper found shows its code link and figures anyway.
    """
    found = list(cue.finditer(norm))
    if not found:
        return False
    words = norm.split(" ")

    def topical(at: int) -> bool:
        w = words[at] if 0 <= at < len(words) else ""
        return (len(w) > 1 and not w.isdigit() and w not in STOPWORDS and w not in _CUE_WORDS
                and w not in _CODE_ASKED and not any(w in known for known in names)
                and not _PROFILE_WORD.fullmatch(w))  # fmt: skip

    for m in found:
        start, end = norm.count(" ", 0, m.start()), norm.count(" ", 0, m.end()) + 1
        if topical(start - 1) or topical(end):
            continue
        led = start - 1
        while led >= 0 and words[led] in STOPWORDS and words[led] not in _ASKING:
            led -= 1
        asked = led >= 0 and words[led] in _ASKING
        joined = end
        if joined < len(words) and words[joined] in _ATTACHING:
            joined += 1
            while joined < len(words) and words[joined] in STOPWORDS:
                joined += 1
            if topical(joined) and not asked:
                continue
        return True
    return False


def _venue_keywords(corpus: Corpus) -> dict[str, str]:
    """Folded words that name a venue -> what the question asks for: the first word of its name
    ("NeurIPS", "Nature"), else a short name it goes by ("NIME", "CHI"; bot/core/venues.py)."""
    venues = sorted({p.venue for p in corpus.papers if p.venue})
    out = _keywords(v.split(" ")[0] for v in venues)
    for venue in venues:
        for name in sorted(short_names(venue)):
            out.setdefault(fold(name), name)
    return out


def _keywords(names: Iterable[str]) -> dict[str, str]:
    """Folded distinctive words of organisation or venue names -> the name itself."""
    out: dict[str, str] = {}
    for name in names:
        for tok in tokens(name):
            if len(tok) > 2 and tok not in STOPWORDS and tok not in _GENERIC_NAME_WORDS:
                out.setdefault(tok, name)
    return out


class QuestionReader:
    """Knows the corpus' people, organisations, venues and acronyms, and reads questions with them."""

    def __init__(
        self, corpus: Corpus, acronyms: dict[str, Paper], today: dt.date | None = None,
        tables: ReaderTables | None = None,
    ) -> None:  # fmt: skip
        """`tables`: this corpus' tables, read back from a snapshot; else built here."""
        self.corpus = corpus
        self.today = today or dt.date.today()
        self.acronyms = acronyms
        members = member_tokens(corpus)
        self.member_tokens = members
        # With one member, "he" and "his" are that member: the words steer nothing.
        self.owner_tokens = frozenset(members) | PRONOUNS
        self.tables = tables or ReaderTables.of(corpus, self.owner_tokens)
        self.name_tokens = self.tables.name_tokens
        self.organisations = self.tables.organisations
        self.venues = self.tables.venues
        self.titles = dict(zip(self.tables.titles, corpus.papers, strict=True))
        self.ids = {p.id: p for p in corpus.papers}
        self._topic_words = self.tables.topic_words
        self.people = People(
            corpus, members, self.tables.spellings, self.tables.coauthor_counts, self.name_tokens,
            lambda word: self.topic_word(word, exact=True), self._known,
        )  # fmt: skip

    def _known(self, word: str) -> bool:
        """Whether the corpus uses a word as anything but a person's name: a paper's word, an
        organisation's, a venue's, a paper's acronym."""
        return (word in self.organisations or word in self.venues or word in self.acronyms
                or self.topic_word(word, exact=True))  # fmt: skip

    def stranger_venue(self, question: str) -> str | None:
        """A venue the question names that no paper appeared at: "anything at CVPR?" -> "CVPR",
        "did she publish in Nature Methods" -> "Nature Methods"; not "at scale", "in Nature" where a
        paper did, nor "at ETH" where the papers name that organisation."""
        m = _ELSEWHERE.search(question)
        rest = tokens(m["rest"]) if m else []
        if m is None or not all(w in _ELSEWHERE_REST or w in STOPWORDS or _YEAR.fullmatch(w) for w in rest):
            return None
        name, words = m["name"], tokens(m["name"])
        if not words or any(w in self.venues or w in self.organisations or w in self.name_tokens
                            or w in self.acronyms or w in STOPWORDS or w in _GENERIC_NAME_WORDS for w in words):
            return None  # fmt: skip
        published = not m.group().lower().startswith("at")
        # As written, an acronym ("CVPR", "NeurIPS"), or capitals after "published in"; typed in lower
        # case, an acronym's length of a word nothing else here uses and everyday English does not
        # ("cvpr"; not "scale", nor "initialisation" in "a lottery ticket at initialisation").
        if (len(name) >= 3 and ACRONYM.fullmatch(name)) or (published and name[:1].isupper()):
            return name
        if len(words) == 1 and len(name) <= MAX_SHORT_NAME and self.people.stranger(words[0]):
            return name.upper() if len(name) <= 5 else name
        # "did he publish in nature": after publishing "in", a lone word ends the question.
        if published and len(words) == 1 and not rest:
            return name.capitalize()
        return None

    def read(self, question: str) -> Query:
        """The `Query` a question asks."""
        norm = " ".join(tokens(question))
        if _THANKS_ONLY.fullmatch(norm):
            return Query(Intent.HELP, social="thanks")
        if _GREETING_ONLY.fullmatch(norm):
            return Query(Intent.HELP, social="greeting")
        # "hey, who is X?", "the arxiv link pls": the rest is the question.
        norm = _SOCIAL_TAIL.sub("", _SOCIAL_LEAD.sub("", norm))
        if self._lab_phrase and (named := self._lab_phrase[0].search(norm)):
            # "the Grewe lab" is the lab, not papers with Benjamin Grewe.
            norm = f"{norm[: named.start()]}lab{norm[named.end() :]}"
            question = self._lab_phrase[1].sub("lab", question)
        norm = re.sub(r"\bwhos\b", "who is", norm)  # as phones type "who's"
        words = norm.split()
        if nicknames := self.people.nicknames(words):
            # "what did alex write about RL": Alexander, however the rest of the reader spells him.
            words = [nicknames.get(w, w) for w in words]
            norm = " ".join(words)
            question = re.sub(r"\w+", lambda m: unnicknamed(m.group(), nicknames), question)
        if not words:
            # "???" alone asks what to ask.
            return Query(Intent.HELP) if re.fullmatch(r"\s*\?+\s*", question) else Query(Intent.NONE)
        if _HELP.search(norm):
            return Query(Intent.HELP)
        direct = self.direct_paper(norm)
        if direct is not None:
            return Query(Intent.PAPER, paper=direct)

        member, others = self.people.find_members(question)
        people = self.people.find_people(question) or tuple(filter(None, [self.people.stranger_named(norm)]))
        person = people[0] if people else None
        person_tokens = {t for p in people for t in self.people.words_naming(p, words)}
        names = (person_tokens, self.owner_tokens, self.acronyms)
        years = self._years(norm)
        capitalised = {fold(w) for w in re.findall(r"[\w'-]+", question) if w[:1].isupper()}
        org = next((self.organisations[t] for t in words if t in self.organisations
                    and self._named(t, norm, capitalised)), None)  # fmt: skip
        # A venue named whole ("in Nature Genetics") is that venue, not every one its first word begins.
        whole = self._venue_named_whole(words, norm, capitalised)
        venue = whole[0] if whole else next((self.venues[t] for t in words if t in self.venues
                                             and self._named(t, norm, capitalised | self._acronyms)), None)  # fmt: skip
        elsewhere = self.stranger_venue(question) if venue is None and not whole else None
        venue = venue or elsewhere
        code = asks_for(_CODE, norm, names)
        publication = kind_asked(norm)
        # Sources often file a thesis as an article: without any entry of that type, the words stay
        # in the topic and find the thesis that says it is one.
        unfiled = ""
        if publication in THESES and publication not in self.kinds and "thesis" in self.paper_kinds:
            publication = "thesis"  # "his PhD" where his thesis' degree is not recorded: that thesis
        if publication in THESES and publication not in self.kinds:
            unfiled, publication = publication, None
        if not person and _MOST_CITED.search(norm):
            return Query(Intent.PROFILE, figures=("citations",), member=member, per_paper=True)
        per_year = bool(_PER_YEAR.search(norm))
        if not person:
            figures = tuple(k for k, rx in _PROFILE.items() if asks_for(rx, norm, names))
            # "How many papers in 2022?" counts a slice: the list's headline gives it, not the profile.
            counts_a_slice = figures == ("paper_count",) and bool(years or org or venue or code or publication
                                                                  or per_year)
            if figures and not counts_a_slice:
                return Query(Intent.PROFILE, figures=figures, member=member, members=others)
            if _COAUTHORS.search(norm):
                if len(self.corpus.members) > 1 and not member and _EACH_OTHER.search(norm):
                    return Query(Intent.ABOUT)  # "which members work with each other": the lab, its shared papers
                return Query(Intent.COAUTHORS, member=member)
        order = "relevance"
        still = _STILL.search(norm)
        placed = _POSITION.search(norm)
        position = _PLACES[placed.group("place")] if placed else ""
        ordered = _WHERE_TO_START.sub(" ", _POSITION.sub(" ", norm))  # "what should I read first": no order
        period = _PERIOD.search(norm)
        started = _STARTED.search(ordered)
        if _NEWEST.search(ordered) or still or period:
            order = "newest"
        elif _OLDEST.search(ordered) or started:
            order = "oldest"
        plural = bool(_PLURAL.search(norm) or (order == "relevance" and _BODY_OF_WORK.search(norm)))
        # "What's new?", "what has she been up to lately": the few newest, not the one newest paper.
        asks_new = bool(_RECENT_FEW.search(ordered)) and not _ONE_PAPER.search(ordered)
        recent = order == "newest" and not plural and not still and (asks_new or bool(period))
        single = order != "relevance" and not plural and not recent

        # A venue's words leave the topic only when they name the venue: "timbre at NIME" asks about
        # timbre, "the NIME community's idea of timbre" about NIME too.
        named_venue = {w for w in words if venue is not None and self.venues.get(w) == venue}
        named_venue |= set(whole[1]) if whole else set(tokens(elsewhere or ""))
        used = person_tokens | set(self.organisations) | named_venue | set(still.group().split() if still else ())
        used |= set(started.group().split()) if started else set()
        starting = _WHERE_TO_START.search(norm)
        topic_words = [
            w for w in words
            if (len(w) > 1 or w.isdigit()) and w not in STOPWORDS and w not in _CUE_WORDS and w not in used
            and w not in self.owner_tokens and not _YEAR.fullmatch(w) and not (code and w in _CODE_ASKED)
            and not (publication and (w in KIND_WORDS or w in _REQUEST_WORDS))  # "link to his thesis"
            and not (w in _WHERE_TO_READ and not _LINK_TOPIC.search(norm))  # "doi for the mulching review"
            and not (placed and w in placed.group().split())
            and not (venue and w in _GENERIC_NAME_WORDS)  # "in Ecology (the journal)"
            and not (period and w in period.group().split())
            and not (starting and w in starting.group().split())
        ]  # fmt: skip
        lab_named = any(w in _LAB_WORDS or w in self._lab_name_words for w in words)
        filters = (years, venue, person, member, lab_named, org, code, publication, position, period)
        if any(filters) and all(
            not self.topic_word(w, exact=True) and rarity(w) < PHRASING_RARITY for w in topic_words
        ):
            # A list's question left with everyday words no paper uses ("what came out in 2021",
            # "stuff with Xiao", "what does the lab actually do") is how it was put, not a topic
            # that none of its papers is about.
            topic_words = []
        membership = bool((person or member) and MEMBERSHIP.search(norm))
        if membership:
            topic_words = []  # "is Sam part of the group": whether, and who Sam is
        who = bool(_WHO.search(norm) or _ANYONE.search(norm)) and len(self.corpus.members) > 1
        if who:
            topic_words = [w for w in topic_words if w not in _WHO_WORDS]
        # An acronym keeps its capitals, so the index spells it out rather than correct it as a slip.
        capitals = typed_in_capitals(question)
        topic = " ".join(capitals.get(w, w) for w in topic_words)

        if per_year and not (years or org or venue or code or self._topical(topic_words)):
            return Query(Intent.YEARS, coauthor=person, also=people[1:], member=member, members=others,
                         publication=publication)  # fmt: skip
        if _VENUES.search(norm) and not (org or venue or code) and set(topic_words) <= _VENUES_WORDS:
            return Query(Intent.VENUES, coauthor=person, also=people[1:], years=years, member=member,
                         publication=publication)  # fmt: skip

        # Nothing left to search or filter on, but someone to ask about: "who is he?", "what does
        # she work on?", "tell me about Samuel Morabito", "who is Anna?"; "his papers" lists them.
        about_only = all(w in _ABOUT_WORDS for w in topic_words)
        bare = about_only and not (person or years or org or venue or code or publication) and order == "relevance"
        someone = member is not None or any(w in self.owner_tokens for w in words)
        # The lab itself, by a word for it or its name ("the lab's papers" lists them), or asked
        # "who ...?" with nothing else to go on ("who has the most papers"): its members, and what
        # each works on.
        lab = not someone and lab_named
        per_member = not someone and len(self.corpus.members) > 1 and bool(_PER_MEMBER.search(norm))
        plural_of = bare and (someone or lab) and bool(_PLURAL.search(norm))  # "the lab's papers"
        listing = not per_member and (bool(_LIST.search(norm)) or plural_of)
        whose = someone or lab or per_member or (words[0] == "who" and len(self.corpus.members) > 1) or bool(starting)
        about = bare and whose and not listing and not others
        if person:
            intent = Intent.COAUTHOR
        elif who and topic:
            intent = Intent.WHO
        elif about:
            intent = Intent.ABOUT
        elif member:
            intent = Intent.MEMBER
        elif years:
            intent = Intent.YEAR
        elif org:
            intent = Intent.ORGANISATION
        elif venue:
            intent = Intent.VENUE
        elif code:
            intent = Intent.CODE
        elif publication or position:
            intent = Intent.LIST
        elif order == "newest":
            intent = Intent.NEWEST
        elif order == "oldest":
            intent = Intent.OLDEST
        elif listing and not topic:
            intent = Intent.LIST
        else:
            intent = Intent.TOPIC
        return Query(
            intent,
            topic=topic,
            coauthor=person,
            also=people[1:],
            years=years,
            organisation=org,
            venue=venue,
            code=code,
            order=order if order != "relevance" or topic else "newest",
            single=single,
            dated=order != "relevance" and bool(_DATED.search(ordered)),
            member=member,
            members=others,
            publication=publication,
            unfiled=unfiled,
            position=position,
            plural=plural,
            membership=membership,
            recent=recent,
            since=self._since(period),
            period=("the " if period and period.group(1) == "past" else "") + (period.group() if period else ""),
        )

    def _since(self, period: re.Match[str] | None) -> dt.date | None:
        """The first day of "this week" (Monday), "this month", "last month"; "past" is the last 7 or 30 days."""
        if period is None:
            return None
        which, unit = period.groups()
        if which == "past":
            return self.today - dt.timedelta(days=7 if unit == "week" else 30)
        if unit == "week":
            return self.today - dt.timedelta(days=self.today.weekday() + (7 if which == "last" else 0))
        first = self.today.replace(day=1)
        return (first - dt.timedelta(days=1)).replace(day=1) if which == "last" else first

    def _topical(self, words: Sequence[str]) -> bool:
        """Whether words left of a question on papers per year name a topic: words the papers use,
        or rarer than everyday English ("papers per year on haptics"), not how it was asked."""
        return any((self.topic_word(w, exact=True) or rarity(w) >= PHRASING_RARITY) for w in words
                   if w not in _PER_YEAR_WORDS)  # fmt: skip

    @functools.cached_property
    def _lab_phrase(self) -> tuple[re.Pattern[str], re.Pattern[str]] | None:
        """The lab's name of two words or more, as folded words and as typed: "grewe lab"."""
        words = [w for w in tokens(self.corpus.lab or "") if w not in STOPWORDS]
        if len(words) < 2:
            return None
        typed = r"\W+".join(map(re.escape, words))
        folded = " ".join(map(re.escape, words))
        return re.compile(rf"\b{folded}\b"), re.compile(rf"(?i)\b{typed}\b")

    @functools.cached_property
    def _lab_name_words(self) -> frozenset[str]:
        """The words of the lab's name that are no member's: "grewe" of "the Grewe lab"."""
        words = set(tokens(self.corpus.name)) - STOPWORDS - set(self.member_tokens)
        return frozenset(words) if len(self.corpus.members) > 1 else frozenset()

    @functools.cached_property
    def paper_kinds(self) -> tuple[str | None, ...]:
        """Each paper's kind of publication, in corpus order: read on the first question that names one."""
        return tuple(map(kind_of, self.corpus.papers))

    @functools.cached_property
    def kinds(self) -> frozenset[str]:
        """The kinds of publication the corpus has (every thesis kind makes it have "thesis")."""
        found = {k for k in self.paper_kinds if k is not None}
        return frozenset(found | ({"thesis"} if found & set(THESES) else set()))

    def topic_word(self, word: str, exact: bool = False) -> bool:
        """Whether the papers use this word, or (unless `exact`) a longer word it begins ("neuron" in
        "neurons")."""
        at = bisect.bisect_left(self._topic_words, word)
        if at == len(self._topic_words):
            return False
        found = self._topic_words[at]
        return found == word or (not exact and len(word) >= 4 and found.startswith(word))

    @functools.cached_property
    def _venue_phrases(self) -> dict[str, list[tuple[tuple[str, ...], str]]]:
        """Each venue's name of several words, as folded words, under its first word."""
        out: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for venue in sorted({p.venue for p in self.corpus.papers if p.venue}):
            phrase = tuple(tokens(venue))
            if len(phrase) > 1:
                out.setdefault(phrase[0], []).append((phrase, venue))
        return out

    def _venue_named_whole(
        self, words: list[str], norm: str, capitalised: set[str]
    ) -> tuple[str, tuple[str, ...]] | None:
        """The venue whose whole name of several words the question names, with those words (the
        longest such name), when they mean the venue as `_named` says of one word: "her Cell Reports
        papers", not "single-cell reports of microglia"."""
        found: tuple[str, tuple[str, ...]] | None = None
        for i, word in enumerate(words):
            for phrase, venue in self._venue_phrases.get(word, ()):
                if tuple(words[i : i + len(phrase)]) == phrase and (found is None or len(phrase) > len(found[1])):
                    found = (venue, phrase)
        return found if found and self._named(" ".join(found[1]), norm, capitalised | self._acronyms) else None

    @functools.cached_property
    def _acronyms(self) -> set[str]:
        """Venue words that are short names ("nime" for NIME, "chi"): a phone's "her nime papers"
        means the venue as surely as "her NIME papers" does, given the cue. Not an everyday word a
        journal writes in capitals: "microplastics in soil" is not about the journal SOIL."""
        return {
            word
            for word, name in self.venues.items()
            if any(c.isupper() for c in name[1:]) and rarity(word) >= FIELD_WORD
        }

    def _named(self, name: str, norm: str, capitalised: set[str]) -> bool:
        """Whether a venue or organisation word (or a venue's whole name, its folded words) means the
        venue: always when the papers do not otherwise use its first word (NeurIPS), else only
        capitalised (or a venue's acronym) with a cue ("in Cell", "Cell papers", "nime papers"), not
        "cell types" or "in human and mouse"."""
        first = name.split(" ")[0]
        if not self.topic_word(first):
            return True
        if name in self._series_names and re.search(_LOWER_VENUE_CUE.format(re.escape(name)), norm):
            return True  # "did he publish in nature", "a nature paper": a whole venue's name, in lower case
        return first in capitalised and bool(re.search(_VENUE_CUE.format(re.escape(name)), norm))

    @functools.cached_property
    def _series_names(self) -> frozenset[str]:
        """Every venue's series name, as folded words: "nature", "ecology", "neurips"."""
        return frozenset(" ".join(tokens(series(v)[0])) for v in {p.venue for p in self.corpus.papers if p.venue})

    def direct_paper(self, norm: str) -> Paper | None:
        """The paper a question names outright: "COCOA", "what is MesaNet?", a title or an id."""
        rest = norm
        for _ in range(4):
            stripped = _LEAD_IN.sub("", rest)
            if stripped == rest:
                break
            rest = stripped
        # "the cocoa paper" names COCOA; "the least control principle" is a topic, unless a title.
        rest = re.sub(r"^the (.+) paper$", r"\1", rest)
        rest = re.sub(r"\s+(about|paper|all about)$", "", rest).strip()
        if not rest:
            return None
        return self.acronyms.get(rest) or self.titles.get(rest) or self.ids.get(rest.replace(" ", "-"))

    def _years(self, norm: str) -> tuple[int, int] | None:
        if m := _RANGE.search(norm):
            a, b = sorted((int(m.group(1)), int(m.group(2))))
            return (a, b)
        if m := _SINCE.search(norm):
            word, year = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(5))
            return (int(year) + (1 if word == "after" else 0), 9999)
        if m := _BEFORE.search(norm):
            return (0, int(m.group(2)) - 1)
        if m := _YEAR.search(norm):
            return (int(m.group(1)), int(m.group(1)))
        if m := _RELATIVE_YEAR.search(norm):
            y = self.today.year - (0 if m.group(1) == "this" else 1)
            return (y, y)
        return None


