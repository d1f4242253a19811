"""Who a question names: the lab's members, their coauthors (however the papers spell them), people
who wrote none of the papers, and members by nickname."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cached_property

from bot.core.acronyms import FIELD_WORD
from bot.core.models import Corpus, Paper
from bot.core.names import is_spelling_of
from bot.core.rarity import rarity
from bot.core.text import STOPWORDS, fold, tokens

MAX_PEOPLE = 3  # coauthors one question may name together
MIN_NICKNAME = 3  # "sam", "dan"; shorter starts too many names
# Nicknames are no rarer than this in everyday English ("max", "ben" 0.27), the commonest words are
# ("step" 0.13, "will" 0, "art" 0.07): a question's word is not read as somebody's name.
NICKNAME_RARITY = 0.2
# Name particles that alone never identify a person.
PARTICLES = frozenset(["von", "van", "der", "den", "de", "da", "del", "di", "du", "le", "la", "y", "bin", "al", "el"])

# "What did Sacramento write?", "what has kobayashi published": one word, then what a person does.
_DID = re.compile(
    r"\b(what|which|anything) (did|has|have|does) (?P<who>\w+) (write|written|publish|published|put out|work on|"
    r"worked on)\b"
)
# "Who is chase?": the one word after "who is" is a person too.
_WHO_IS = re.compile(r"^who ?(is|s) (?P<who>\w+)$")
# "w/" and "w" are "with" as phones type it.
_COAUTHOR_CUE = re.compile(
    r"\b(with|w)\b|\bco ?authors?\b|\bco ?wrote\b|\bby\b|\btogether\b|\band\b|\bjoint\b|^who (is|s)\b"
)
# Cues that make a word the papers also use as a topic ("Cell", "Human", "Monte") mean a person or a venue.
_STRONG_PERSON_CUE = re.compile(
    r"\b(with|w)\b|\bco ?authors?\b|\bco ?wrote\b|\bby\b|\btogether\b|\bjoint\b|\bcollabs?\b|\bcollaborations?\b"
)
# Words after which a name not in the corpus is still a person's: "papers with Yoshua Bengio".
_NAMES_FOLLOW = frozenset({"with", "w", "by", "is"})
_PERSON_AFTER = _NAMES_FOLLOW - {"is"}  # "with", "by": whoever follows is a person's name, not a topic
# "Is X in the lab?", "is she a member": whether someone is one of the lab's members.
MEMBERSHIP = re.compile(r"^(is|are) .*\b((in|part of|with|member of|members of) (the |this |our |your )?"
                         r"(lab|group|team)|an? (lab |group |team )?member)s?\b")
# Words that stand for a member rather than name one ("his papers"): the researcher of a one-member corpus.
PRONOUNS = frozenset({"he", "him", "his", "she", "her", "hers", "they", "their", "them"})


def member_tokens(corpus: Corpus) -> dict[str, list[str]]:
    """Every spelling of every member, word by word: "sacramento" -> ["João Sacramento"]."""
    out: dict[str, list[str]] = {}
    for member in corpus.members:
        for spelling in (member.name, *member.aliases):
            for tok in tokens(spelling):
                if len(tok) > 1 and tok not in PARTICLES:
                    out.setdefault(tok, [])
                    if member.name not in out[tok]:
                        out[tok].append(member.name)
    return out


class People:
    """The corpus' people as a question may name them: its members, and its coauthors by the words of
    their names. `topic_word`: whether the papers use a word; `known`: whether the corpus uses it
    otherwise (a paper's word, an organisation's, a venue's, a paper's acronym): no stranger's name."""

    def __init__(
        self, corpus: Corpus, members: dict[str, list[str]], spellings: Mapping[str, str],
        coauthor_counts: Mapping[str, int], name_tokens: Mapping[str, list[str]],
        topic_word: Callable[[str], bool], known: Callable[[str], bool],
    ) -> None:  # fmt: skip
        self.corpus = corpus
        self.member_tokens = members
        self.spellings = spellings
        self.coauthor_counts = Counter(coauthor_counts)
        self.name_tokens = name_tokens
        self.topic_word = topic_word
        self.known = known

    def wrote(self, coauthor: str, paper: Paper) -> bool:
        """Whether the coauthor (as `find_person` names them) is among the paper's authors, however
        spelled: the same merge of spellings the coauthor counts use, so a list and its count agree."""
        return any(self.spellings.get(a) == coauthor for a in paper.authors)

    def find_members(self, text: str) -> tuple[str | None, tuple[str, ...]]:
        """The lab member a question names (by any part of their name; the one it names by the most
        words), and the others it names, in its order: "what did reed and mcglinn write together".
        None and nobody when the lab has one member."""
        votes: Counter[str] = Counter()
        if len(self.corpus.members) > 1:
            for tok in tokens(text):
                votes.update(self.member_tokens.get(tok, ()))
        if not votes:
            return None, ()
        member = votes.most_common(1)[0][0]
        return member, tuple(n for n in votes if n != member)

    def on_paper(self, member: str, paper: Paper) -> bool:
        """Whether a member is one of the paper's members, or one of its authors where only another
        member's sources listed it."""
        spellings = self._member_spellings.get(member, (member,))
        return member in paper.members or any(is_spelling_of(a, spellings) for a in paper.authors)

    @cached_property
    def _member_spellings(self) -> dict[str, tuple[str, ...]]:
        return {m.name: (m.name, *m.aliases) for m in self.corpus.members}

    def find_person(self, text: str, require_cue: bool = True) -> str | None:
        """The coauthor a text names, by whole name or part of it, accents and case ignored."""
        words = re.findall(r"[\w'-]+", text)
        folded = tokens(text)
        # "Is grewe a member?" asks about a person as surely as "papers with grewe".
        member_cue = bool(MEMBERSHIP.search(" ".join(folded)))
        lower = fold(text)
        cue = bool(_COAUTHOR_CUE.search(lower)) or member_cue or not require_cue
        strong = bool(_STRONG_PERSON_CUE.search(lower)) or member_cue or not require_cue
        # The one word in "what did X write": a person, unless a member (the reader's) or a topic word.
        did = m.group("who") if (m := _DID.search(lower) or _WHO_IS.search(" ".join(folded))) else None
        capitalised = {fold(w) for w in words if w[:1].isupper()}
        # "Kobayashi's newest paper": a capitalised possessive of a word no paper uses is a person's.
        owned = {fold(w[:-2]) for w in words if w[:1].isupper() and w.endswith("'s")}
        # "what did morabito and swarup write": "and" beside the member's name joins a person to him.
        paired = {b for a, c, b in _triples(folded) if c == "and" and a in self.member_tokens}
        paired |= {a for a, c, b in _triples(folded) if c == "and" and b in self.member_tokens}
        matched: dict[str, set[str]] = {}
        for tok in folded:
            names = self.name_tokens.get(tok, ())
            if not names:
                continue
            # A lower-case name needs a cue that says "person" ("with", "by"), not just "and".
            cued = (tok in capitalised and cue) or strong or tok in paired
            no_topic = not self.topic_word(tok)
            # A word that is neither a member's name nor one of the papers' words: the person in "what
            # did X write", and a surname English does not have even with no cue ("kobayashi stuff").
            plain = no_topic and tok not in self.member_tokens
            for name in names:
                if cued or (tok in owned and no_topic) or (plain and (
                    tok == did or (tok == tokens(name)[-1] and rarity(tok) >= FIELD_WORD)
                )):  # fmt: skip
                    matched.setdefault(name, set()).add(tok)
        # A whole name, first name then surname, needs no cue: "who is seijin kobayashi"; nor one whose
        # first name is shortened: "jon chase" for Jonathan M. Chase, "nick gotelli".
        for a, b in itertools.pairwise(folded):
            for name in set(self.name_tokens.get(a, ())) & set(self.name_tokens.get(b, ())):
                if a != b and not (self.topic_word(a) and self.topic_word(b)):
                    matched.setdefault(name, set()).update((a, b))
            for name in self.name_tokens.get(b, ()):
                if _called_short(a, b, name):
                    matched.setdefault(name, set()).update((a, b))
        # "Benjamin Grewe" where no Grewe wrote here is somebody else, not the corpus' Benjamin.
        for name, toks in list(matched.items()):
            given = tokens(name)[0]
            if toks == {given} and any(self.stranger(b) for a, b in itertools.pairwise(folded) if a == given):
                del matched[name]
        # "Hamiltonian Monte Carlo", "cell types": a name met only in words the papers also use as
        # topics needs two of its words. Used, not begun: "Swarup" begins an abstract's
        # "swaruplab.bio.uci.edu", and is still a name on its own.
        # Right after "with" or "by", a surname English does not have is the person, though an abstract
        # names them too ("Strohmeier's bass guitar"): "papers with strohmeier". Not a word of a
        # consortium's name ("with Alzheimer's co-expression modules").
        after_with = {b for a, b in itertools.pairwise(folded) if a in _PERSON_AFTER and rarity(b) >= FIELD_WORD}
        votes = Counter({n: len(ts) for n, ts in matched.items()
                         if len(ts) > 1 or not all(self.topic_word(t) for t in ts)
                         or tokens(n)[-1] in ts & after_with})  # fmt: skip
        if not votes:
            return None
        best = max(votes.values())
        # Among equally good matches ("Benjamin"), the most frequent coauthor.
        tied = [n for n, v in votes.items() if v == best]
        return max(tied, key=lambda n: (self.coauthor_counts[n], -len(n)))

    def stranger(self, word: str) -> bool:
        """Whether a word could be part of the name of someone who wrote none of the papers: no paper,
        name, organisation, venue or everyday English uses it ("bengio", "grewe" in another field's corpus)."""
        return (
            word.isalpha() and len(word) >= 3 and word not in STOPWORDS and word not in self.name_tokens
            and word not in self.member_tokens and not self.known(word) and rarity(word) >= FIELD_WORD
        )  # fmt: skip

    def stranger_named(self, norm: str) -> str | None:
        """A person the question names after "with", "by" or "who is" who wrote none of the papers:
        "papers with yoshua bengio" -> "Yoshua Bengio"."""
        words = norm.split()
        for i, word in enumerate(words):
            if word not in _NAMES_FOLLOW or (word == "is" and words[:1] != ["who"]):
                continue
            name = list(itertools.takewhile(lambda w: w in self.name_tokens or self.stranger(w), words[i + 1 : i + 4]))
            if name and i + 1 + len(name) == len(words) and any(self.stranger(w) for w in name):
                return " ".join(w.capitalize() for w in name)
        return None

    @cached_property
    def _given_names(self) -> frozenset[str]:
        """The members' given names, folded: what a nickname ("alex", "sam") is short for."""
        return frozenset(tokens(m.name)[0] for m in self.corpus.members if tokens(m.name))

    def nicknames(self, words: Sequence[str]) -> dict[str, str]:
        """Words that are the start of one member's given name, nobody's name, no word of the papers
        and none of the most everyday words: "alex" -> "alexander", "chris" -> "christian"; not
        "step" (of "step-by-step") for a Stephen."""
        out: dict[str, str] = {}
        for i, word in enumerate(words):
            if len(word) < MIN_NICKNAME or not word.isalpha() or word in self.member_tokens or word in STOPWORDS:
                continue
            full = [g for g in self._given_names if g.startswith(word) and len(g) >= len(word) + 2]
            if (len(full) == 1 and not self._coauthor_named(words, i) and not self.topic_word(word)
                    and rarity(word) >= NICKNAME_RARITY):  # fmt: skip
                out[word] = full[0]
        return out

    def _coauthor_named(self, words: Sequence[str], i: int) -> bool:
        """Whether `words[i]`, a coauthor's given name, is that coauthor's here: followed by more of
        their name ("alex mazursky"), or after "with" ("papers with alex"). Alone it is the member's:
        the lab's own people are whom its members ask about."""
        names = set(self.name_tokens.get(words[i], ()))
        after = set(self.name_tokens.get(words[i + 1], ())) if i + 1 < len(words) else set()
        return bool(names) and (bool(names & after) or (i > 0 and words[i - 1] in _PERSON_AFTER))

    def words_naming(self, person: str, words: Sequence[str]) -> set[str]:
        """The words of a question that name `person`: their name's, and a shortened first name before
        their surname ("jon" of "jon chase")."""
        return set(tokens(person)) | {a for a, b in itertools.pairwise(words) if _called_short(a, b, person)}

    def find_people(self, text: str) -> tuple[str, ...]:
        """Every coauthor a text names ("what did Swarup and Miyoshi write together?"), the surest first."""
        people: list[str] = []
        rest = text
        while len(people) < MAX_PEOPLE and (person := self.find_person(rest)) is not None and person not in people:
            people.append(person)
            named = set(tokens(person))
            rest = " ".join(w for w in re.findall(r"[\w'-]+", rest) if fold(w) not in named)
        return tuple(people)


def _called_short(first: str, last: str, name: str) -> bool:
    """Whether two words are `name` with a short form of its first name, beginning as it does: "jon
    chase" of Jonathan M. Chase, "nick gotelli" of Nicholas J. Gotelli."""
    parts = tokens(name)
    if not parts or last != parts[-1]:
        return False
    given = parts[0]
    return len(first) >= MIN_NICKNAME and len(first) < len(given) and given[:MIN_NICKNAME] == first[:MIN_NICKNAME]


def unnicknamed(word: str, nicknames: dict[str, str]) -> str:
    """`word` as the given name it is short for, capitalised as typed ("Alex" -> "Alexander")."""
    full = nicknames.get(fold(word))
    if full is None:
        return word
    return full.capitalize() if word[:1].isupper() else full


def _triples(words: Sequence[str]) -> Iterable[tuple[str, str, str]]:
    """Every three words in a row."""
    return zip(words, words[1:], words[2:], strict=False)
