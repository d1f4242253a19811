"""Ingest: a researcher's sources (here a profile page copied as text, and verified metadata) become
the corpus the bot answers from."""

from __future__ import annotations

import datetime as dt
import os
import shlex
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.cli import main
from bot.core.corpus import load_corpus, validate_corpus_data
from bot.core.models import Paper, Profile
from bot.core.text import printable
from bot.errors import CorpusError, PaperbotError
from bot.ingest.ids import paper_ids
from bot.ingest.pipeline import IngestResult, ingest
from bot.ingest.writer import render_corpus
from bot.sources.profile import parse_profile

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "corpus" / "sources"
SHIPPED = ROOT / "corpus" / "alexander-meulemans.yaml"

PROFILE = """\
Ada Example

LG
h-index12
3papers
1,234citations
Novelty40%
AI Score7

3 Papers

CLFeb 6, 2024Code
Learning to Parse Things

Ada Example, Maciej Wołczyk, Bob Builder et al. · microsoft-research

We parse things. Our source code is available at https://github.com/example/parse-things.

AIFeb 18
Cooperation among agents

Maciej Wołczyk, Ada Example

Agents cooperate.

NEMar 3, 2021
A Theory of Everything

Ada Example

Everything is explained.
"""

METADATA = """\
papers:
  - title: "learning to parse THINGS!"
    arxiv: "2402.00001"
    authors: [Ada Example, Maciej Wołczyk, Bob Builder, Carla Coder]
    venue: "ACL 2024"
    source: "the arXiv page"
  - title: "Cooperation Among Agents"
    arxiv: "2502.00002"
    date: 2025-02-18
    authors: [Maciej Wołczyk, Ada Example]
"""


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def run(tmp_path: Path, *sources: str, year: int | None = 2025, researcher: str = "") -> IngestResult:
    return ingest(list(sources), researcher, tmp_path / "ada.yaml", year=year, base=tmp_path)


# The profile's h-index of 12 with 3 papers cannot be true: ingest says so, and keeps the figure.
DOUBTFUL = (
    "profile page: the figures do not add up (an h-index of 12 needs at least 12 papers, not 3): "
    "replies will show them as reported by that source, not as fact"
)


def paper(papers: tuple[Paper, ...], title_start: str) -> Paper:
    return next(p for p in papers if p.title.startswith(title_start))


# -- the shipped corpus -----------------------------------------------------------------------


def test_the_shipped_corpus_is_exactly_what_ingest_writes_from_its_sources_in_the_repository(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(SOURCES, tmp_path / "sources")
    header = SHIPPED.read_text(encoding="utf-8").split("\n")[4]
    assert header.startswith("#   python -m bot ingest ")
    # The command the file's header gives, run from its folder, as the README says.
    monkeypatch.chdir(tmp_path)
    assert main(shlex.split(header.removeprefix("#   python -m bot "))) == 0
    assert (tmp_path / SHIPPED.name).read_bytes() == SHIPPED.read_bytes(), "corpus/ is stale: run the ingest again"
    err = capsys.readouterr().err
    assert "profile:alexander-meulemans-profile.txt: 15 records (15 with an abstract)" in err
    assert "merged: 15 papers from 30 records; 0 without an abstract" in err
    assert err.endswith(f"wrote 15 papers of Alexander Meulemans to {SHIPPED.name}\n")


def test_the_shipped_corpus_loads_newest_first_with_full_author_lists() -> None:
    corpus = load_corpus([SHIPPED])
    assert corpus.members == (
        Profile(
            name="Alexander Meulemans", category="cs.LG", h_index=75, paper_count=15, citations=436, novelty=62,
            ai_score=55, year=2026, figures_source="profile page",
        ),
    )  # fmt: skip
    assert len(corpus.papers) == 15
    assert [p.date for p in corpus.papers] == sorted((p.date for p in corpus.papers), reverse=True)
    assert corpus.papers[0].title == "Multi-agent cooperation through in-context co-player inference"
    assert corpus.papers[0].date == dt.date(2026, 2, 18)
    assert all(p.arxiv and p.url == f"https://arxiv.org/abs/{p.arxiv}" for p in corpus.papers)
    assert not any(p.authors_truncated for p in corpus.papers)
    assert all(p.members == ("Alexander Meulemans",) for p in corpus.papers)
    assert "Maciej Wołczyk" in corpus.papers[0].authors
    structured = paper(corpus.papers, "Learning to Extract Structured Entities")
    assert structured.code == "https://github.com/microsoft/Structured-Entity-Extraction"
    assert structured.organisation == "microsoft-research"
    assert dict(structured.sources)["authors"] == "metadata:papers-metadata.yaml"
    assert dict(structured.sources)["abstract"] == "profile:alexander-meulemans-profile.txt"
    assert len({p.id for p in corpus.papers}) == 15
    assert sum(bool(p.code) for p in corpus.papers) == 8, "the metadata's verified code links are in"
    text = SHIPPED.read_text(encoding="utf-8")
    assert text.startswith("# Generated by `python -m bot ingest`: do not edit by hand.")
    assert "--year 2026" in text


# -- reading a profile ------------------------------------------------------------------------


def test_a_profile_alone_gives_truncated_authors_and_the_code_from_the_abstract(tmp_path: Path) -> None:
    write(tmp_path, "ada.txt", PROFILE)
    result = run(tmp_path, "ada.txt")
    assert result.warnings == (DOUBTFUL,)
    assert result.profile == Profile(
        name="Ada Example", category="cs.LG", h_index=12, paper_count=3, citations=1234, novelty=40, ai_score=7,
        year=2025, figures_source="profile page",
    )  # fmt: skip
    # Newest first; "Feb 18" has no year, so it is the profile's year (2025).
    assert [(p.date, p.category) for p in result.papers] == [
        (dt.date(2025, 2, 18), "cs.AI"),
        (dt.date(2024, 2, 6), "cs.CL"),
        (dt.date(2021, 3, 3), "cs.NE"),
    ]
    parse = paper(result.papers, "Learning to Parse")
    assert parse.authors == ("Ada Example", "Maciej Wołczyk", "Bob Builder")
    assert parse.authors_truncated is True
    assert parse.organisation == "microsoft-research"
    assert parse.code == "https://github.com/example/parse-things"  # without the sentence's full stop
    assert parse.abstract.endswith("https://github.com/example/parse-things.")
    assert parse.url is None and parse.link.startswith("https://scholar.google.com/scholar?q=Learning+to+Parse")
    assert parse.pdf is None and parse.arxiv is None and parse.venue is None
    coop = paper(result.papers, "Cooperation")
    assert coop.authors == ("Maciej Wołczyk", "Ada Example")
    assert coop.authors_truncated is False and coop.organisation == "" and coop.code is None
    assert "Wołczyk" in result.text  # written as itself, not \\u0142


def test_metadata_is_merged_by_title_whatever_the_case_and_punctuation(tmp_path: Path) -> None:
    write(tmp_path, "ada.txt", PROFILE)
    write(tmp_path, "papers-metadata.yaml", METADATA)
    result = run(tmp_path, "ada.txt", "papers-metadata.yaml")
    parse = paper(result.papers, "Learning to Parse")
    assert parse.title == "Learning to Parse Things"  # the first source's spelling is kept
    assert parse.authors == ("Ada Example", "Maciej Wołczyk", "Bob Builder", "Carla Coder")
    assert parse.authors_truncated is False
    assert parse.url == "https://arxiv.org/abs/2402.00001"
    assert parse.pdf == "https://arxiv.org/pdf/2402.00001"
    assert parse.venue == "ACL 2024"
    assert parse.code == "https://github.com/example/parse-things"
    assert dict(parse.sources) == {
        "title": "profile:ada.txt", "date": "profile:ada.txt", "authors": "metadata:papers-metadata.yaml",
        "abstract": "profile:ada.txt", "venue": "metadata:papers-metadata.yaml",
        "arxiv": "metadata:papers-metadata.yaml", "url": "metadata:papers-metadata.yaml",
        "pdf": "metadata:papers-metadata.yaml", "code": "profile:ada.txt", "category": "profile:ada.txt",
        "organisation": "profile:ada.txt",
    }  # fmt: skip
    assert "  # facts: the arXiv page\n  - id: learning-parse-things\n" in result.text
    assert paper(result.papers, "Cooperation").date == dt.date(2025, 2, 18)
    assert result.warnings == (DOUBTFUL,)


def test_ingest_writes_a_file_the_loader_reads_back_identically(tmp_path: Path) -> None:
    write(tmp_path, "ada.txt", PROFILE)
    write(tmp_path, "papers-metadata.yaml", METADATA)
    out = tmp_path / "ada.yaml"
    argv = ["ingest", str(tmp_path / "ada.txt"), str(tmp_path / "papers-metadata.yaml"), "--year", "2025"]
    assert main([*argv, "-o", str(out)]) == 0
    loaded = load_corpus([out])
    built = run(tmp_path, "ada.txt", "papers-metadata.yaml")
    assert (loaded.members, tuple(p for p in loaded.papers)) == ((built.profile,), tuple(
        replace(p, members=("Ada Example",)) for p in built.papers))  # fmt: skip
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["profile"]["year"] == 2025
    assert data["built_from"] == {"researcher": "Ada Example", "sources": ["ada.txt", "papers-metadata.yaml"],
                                  "overrides": None}  # fmt: skip
    assert list(data["papers"][0]) == [
        "id", "title", "date", "authors", "abstract", "arxiv", "url", "pdf", "category", "sources",
    ]  # fmt: skip


def test_ids_stay_the_same_when_the_sources_change(tmp_path: Path) -> None:
    write(tmp_path, "ada.txt", PROFILE)
    out = tmp_path / "ada.yaml"
    first = run(tmp_path, "ada.txt")
    out.write_text(first.text, encoding="utf-8")
    retitled = PROFILE.replace("A Theory of Everything", "A Theory of Everything, Revised")
    write(tmp_path, "meta.yaml", "papers:\n  - title: A Theory of Everything, Revised\n    doi: 10.1000/toe\n")
    write(tmp_path, "ada.txt", retitled)
    again = run(tmp_path, "ada.txt", "meta.yaml")
    # A changed title gets a new id (it is another key), the others keep theirs.
    assert {p.id for p in first.papers} - {p.id for p in again.papers} == {"theory-everything"}
    assert paper(again.papers, "Learning to Parse").id == paper(first.papers, "Learning to Parse").id


def test_without_year_a_yearless_date_takes_the_profile_files_modification_year(tmp_path: Path) -> None:
    profile = write(tmp_path, "ada.txt", PROFILE)
    stamp = dt.datetime(2019, 6, 1, 12).timestamp()
    os.utime(profile, (stamp, stamp))
    result = run(tmp_path, "ada.txt", year=None)
    assert paper(result.papers, "Cooperation").date == dt.date(2019, 2, 18)
    assert result.profile.year is None or result.profile.year == 2019


def test_sources_that_disagree_on_a_year_are_reported(tmp_path: Path) -> None:
    write(tmp_path, "ada.txt", PROFILE)
    write(tmp_path, "papers-metadata.yaml", METADATA)
    result = run(tmp_path, "ada.txt", "papers-metadata.yaml", year=2023)
    assert paper(result.papers, "Cooperation").date == dt.date(2023, 2, 18)
    assert any("disagree on its year (profile:ada.txt says 2023, metadata:papers-metadata.yaml says 2025)" in w
               for w in result.warnings)  # fmt: skip


def test_a_paper_only_one_source_knows_is_kept_title_only_and_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, "ada.txt", PROFILE)
    meta = write(tmp_path, "meta.yaml", METADATA + '  - title: "A Paper Not On The Profile"\n    date: 2020\n')
    out = tmp_path / "ada.yaml"
    assert main(["ingest", str(tmp_path / "ada.txt"), str(meta), "--year", "2025", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "merged: 4 papers from 6 records; 1 without an abstract (found by title only); 0 dropped" in err
    assert "  no abstract: A Paper Not On The Profile" in err
    alone = paper(load_corpus([out]).papers, "A Paper Not")
    assert alone.abstract == "" and alone.date_text == "2020"


def test_code_marked_but_nowhere_given_is_reported(tmp_path: Path) -> None:
    write(tmp_path, "ada.txt", PROFILE.replace("NEMar 3, 2021", "NEMar 3, 2021Code"))
    result = run(tmp_path, "ada.txt")
    assert any("A Theory of Everything" in w and "marks code" in w for w in result.warnings)


def test_two_paragraph_abstracts_and_wrapped_titles_are_joined(tmp_path: Path) -> None:
    text = PROFILE.replace("A Theory of Everything\n", "A Theory\nof Everything\n").replace(
        "Everything is explained.\n", "Everything is explained.\n\nEven this.\n"
    )
    write(tmp_path, "ada.txt", text)
    theory = paper(run(tmp_path, "ada.txt").papers, "A Theory")
    assert theory.title == "A Theory of Everything"
    assert theory.abstract == "Everything is explained.\n\nEven this."


# -- ids ----------------------------------------------------------------------------------------


def test_ids_are_short_readable_unique_and_the_same_for_the_same_titles() -> None:
    titles = [
        "Multi-agent cooperation through in-context co-player inference",
        "Multi-agent cooperation through learning-aware policy gradients",
        "A Theoretical Framework for Target Propagation",
        "Would I have gotten that reward? Long-term credit assignment",
        "Same Title",
        "Same title!",
    ]
    ids = paper_ids(titles)
    assert ids == [
        "multi-agent-cooperation-in-context",
        "multi-agent-cooperation-learning-aware",
        "theoretical-framework-target",
        "would-i-have-gotten",
        "same-title",
        "same-title-2",
    ]
    assert paper_ids(titles) == ids


# -- what a user reads when the profile is wrong -------------------------------------------------


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("h-index12", "h index 12"), "line 4: expected the main category code (LG), a figure"),
        (("\nLG\n", "\nZZ\n"), "line 3: expected a known arXiv category code (AI, AP, AR,"),
        (("CLFeb 6, 2024Code", "XXFeb 6, 2024"), "line 12: expected a known arXiv category code"),
        (("AIFeb 18", "AIFeb 30"), 'line 19: expected a real date such as "LGSep 11, 2023"'),
        (("3 Papers", "4 Papers"), "line 10: the heading announces 4 papers but 3 were found"),
        (("\nEverything is explained.\n", "\n"), 'line 30: expected the abstract of "A Theory of Everything" after it'),
        (("Maciej Wołczyk, Ada Example", "Maciej Wołczyk,, Ada Example"), "line 22: expected authors separated"),
    ],
)
def test_a_broken_profile_names_the_file_the_line_and_what_was_expected(
    tmp_path: Path, edit: tuple[str, str], message: str
) -> None:
    assert edit[0] in PROFILE
    profile = write(tmp_path, "ada.txt", PROFILE.replace(*edit))
    with pytest.raises(CorpusError) as err:
        run(tmp_path, "ada.txt")
    assert str(err.value).startswith(f"{profile}: ")
    assert message in str(err.value)


def test_a_paper_listed_twice_is_refused_naming_both_lines(tmp_path: Path) -> None:
    again = "Agents cooperate.\n\nLGJan 1, 2020\nLearning to parse things\n\nAda Example\n\nAgain."
    profile = write(tmp_path, "ada.txt", PROFILE.replace("Agents cooperate.", again).replace("3 Papers", "4 Papers"))
    with pytest.raises(CorpusError) as err:
        run(tmp_path, "ada.txt")
    assert str(err.value) == f'{profile}: line 26: "Learning to parse things" is listed twice (also at line 12)'


def test_a_paper_without_a_title_says_which_line_needs_one(tmp_path: Path) -> None:
    text = "Ada Example\n\nLG\n\nLGSep 11, 2023\n\nAda Example\n\nAn abstract.\n"
    with pytest.raises(CorpusError, match=r"ada.txt: line 6: expected the title of the paper dated on line 5"):
        parse_profile(text, "ada.txt", 2025)


def test_an_empty_or_non_utf8_profile_is_refused_with_the_reason(tmp_path: Path) -> None:
    write(tmp_path, "empty.txt", "\n\n")
    with pytest.raises(CorpusError, match=r"empty.txt: the file is empty \(expected a researcher profile"):
        run(tmp_path, "empty.txt")
    write(tmp_path, "latin1.txt", PROFILE.encode("utf-8").replace("ł".encode(), b"\xb3"))
    offset = PROFILE.encode("utf-8").index("ł".encode())
    with pytest.raises(CorpusError, match=rf"latin1.txt: byte offset {offset} \(line 15\): byte 0xb3 is not UTF-8"):
        run(tmp_path, "latin1.txt")
    with pytest.raises(PaperbotError, match=r"missing.txt: no such file"):
        run(tmp_path, "missing.txt")


@pytest.mark.parametrize(
    ("metadata", "message"),
    [
        ("papers:\n  - title: X\n    dio: 10.1/x\n", "entry 1 ('X'): unknown key 'dio' (allowed: title, arxiv,"),
        ("papers:\n  - title: X\n    arxiv: 2402.00001\n", "entry 1 ('X'): arxiv: expected an arXiv id as a quoted"),
        ("papers:\n  - title: X\n    authors: Ada Example\n", "entry 1 ('X'): authors: expected a non-empty list"),
        ("papers:\n  - title: X\n    code: github.com/x\n", "entry 1 ('X'): code: expected an http(s) URL"),
        ("papers:\n  - title: X\n  - title: 'x.'\n", "entry 2 ('x.'): title: the same title as entry 1"),
        ("papers:\n  - arxiv: '2402.00001'\n", "entry 1: title: missing (every entry needs one)"),
        ("paper:\n  - title: X\n", "expected a mapping with one key, papers"),
    ],
)
def test_broken_metadata_names_the_entry_and_the_field(tmp_path: Path, metadata: str, message: str) -> None:
    write(tmp_path, "ada.txt", PROFILE)
    meta = write(tmp_path, "meta.yaml", metadata)
    with pytest.raises(CorpusError) as err:
        run(tmp_path, "ada.txt", "meta.yaml")
    assert str(err.value).startswith(f"{meta}: ")
    assert message in str(err.value)


def test_a_bad_year_is_refused_by_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["ingest", "x.txt", "--year", "26", "-o", "x.yaml"])
    assert "expected a year from 1991" in capsys.readouterr().err


def test_an_unwritable_output_is_an_error_not_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    profile = write(tmp_path, "ada.txt", PROFILE)
    out = tmp_path / "no-such-dir" / "ada.yaml"
    assert main(["ingest", str(profile), "--year", "2025", "-o", str(out)]) == 2
    assert capsys.readouterr().err.endswith(f"error: {out}: cannot write here: No such file or directory\n")


# -- the writer never produces a file the loader reads differently -----------------------------

_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=300)


@settings(max_examples=150, deadline=None)
@given(title=_TEXT, abstract=_TEXT, author=_TEXT, organisation=st.text(max_size=40))
def test_any_text_round_trips_through_the_corpus_yaml(
    title: str, abstract: str, author: str, organisation: str
) -> None:
    # What a source can hand over: printable, whitespace collapsed, paragraphs split by a blank line.
    def clean(text: str) -> str:
        return "\n\n".join(" ".join(p.split()) for p in printable(text).split("\n\n") if p.split())

    def line(text: str) -> str:
        return " ".join(printable(text).split())

    title, author, organisation = line(title), line(author), line(organisation)
    abstract = clean(abstract)
    if not (title and author):
        return
    built = Paper(
        id="p", title=title, date=dt.date(2020, 1, 2), category="cs.LG", organisation=organisation,
        authors=(author,), authors_truncated=True, abstract=abstract, url="https://arxiv.org/abs/2001.00001",
    )  # fmt: skip
    profile = Profile(name=author, year=2020)
    text = render_corpus(profile, [built], ["test"], {"researcher": author, "sources": [], "overrides": None})
    reread = validate_corpus_data(yaml.safe_load(text), "t.yaml")
    assert reread.members == (profile,)
    assert reread.papers == (replace(built, members=reread.papers[0].members),)
