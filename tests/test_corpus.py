"""Loading corpus files: someone edits or adds a corpus, and every mistake is pointed at precisely."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.core.corpus import PAPER_KEYS, load_corpus, validate_corpus_data
from bot.errors import CorpusError


def paper(pid: str, title: str, date: str, **extra: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "id": pid,
        "title": title,
        "date": date,
        "category": "cs.LG",
        "organisation": "",
        "authors": ["Ada Example", "Maciej Wołczyk"],
        "authors_truncated": False,
        "abstract": f"What {title} is about.",
        "url": "https://arxiv.org/abs/2207.01332",
    }
    fields.update(extra)
    return fields


BASE: dict[str, Any] = {
    "profile": {"name": "Ada Example", "category": "cs.LG", "h_index": 12, "citations": 300, "year": 2025},
    "papers": [
        paper("older-paper", "An Older Paper", "2020-06-25"),
        paper("newer-paper", "A Newer Paper", "2024-02-06", arxiv="2402.04437", venue="ICLR 2024"),
    ],
}


def write(path: Path, data: object) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def error_for(tmp_path: Path, data: object) -> str:
    path = write(tmp_path / "ada.yaml", data)
    with pytest.raises(CorpusError) as err:
        load_corpus([path])
    message = str(err.value)
    assert message.startswith(f"{path}: "), message  # always the file first
    return message.removeprefix(f"{path}: ")


def edited(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    change(data)
    return data


def test_a_valid_file_loads_newest_first_with_its_profile_and_source(tmp_path: Path) -> None:
    path = write(tmp_path / "ada.yaml", BASE)
    corpus = load_corpus([path])
    assert [p.id for p in corpus.papers] == ["newer-paper", "older-paper"]
    assert corpus.papers[0].date == dt.date(2024, 2, 6)
    assert corpus.papers[0].arxiv == "2402.04437" and corpus.papers[0].venue == "ICLR 2024"
    assert corpus.papers[1].authors == ("Ada Example", "Maciej Wołczyk")
    (member,) = corpus.members
    assert member.name == "Ada Example" and member.h_index == 12 and member.paper_count is None
    assert corpus.papers[1].members == ("Ada Example",), "the member is found among the authors"
    assert corpus.sources == (str(path),)
    assert corpus.by_id("older-paper") is corpus.papers[1]


def test_optional_fields_may_be_left_out(tmp_path: Path) -> None:
    def drop(data: dict[str, Any]) -> None:
        del data["papers"][0]["organisation"], data["papers"][0]["authors_truncated"]

    older = load_corpus([write(tmp_path / "ada.yaml", edited(drop))]).papers[1]
    assert older.organisation == "" and older.authors_truncated is False and older.pdf is None


def set_field(index: int, key: str, value: Any) -> Any:
    def change(data: dict[str, Any]) -> None:
        data["papers"][index][key] = value

    return change


def drop_field(index: int, key: str) -> Any:
    def change(data: dict[str, Any]) -> None:
        del data["papers"][index][key]

    return change


NEWER = 'paper 2 ("A Newer Paper")'


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (drop_field(1, "title"), "paper 2: title: missing (required: id, title, date, authors)"),
        (set_field(1, "title", "  "), "paper 2: title: expected non-empty text, got an empty string"),
        (
            set_field(1, "date", "2024-02-30"),
            f"{NEWER}: date: expected a real date YYYY-MM-DD, got '2024-02-30' (no such day)",
        ),
        (
            set_field(1, "date", "Feb 6, 2024"),
            f"{NEWER}: date: expected a date YYYY-MM-DD, YYYY-MM or YYYY, got 'Feb 6, 2024'",
        ),
        (set_field(1, "id", "older-paper"), f"{NEWER}: id: duplicate id 'older-paper', already used by paper 1"),
        (set_field(1, "id", "Newer Paper"), f"{NEWER}: id: expected a slug of lower-case letters, digits and hyphens"),
        (set_field(1, "doi", "doi 10/abc"), f"{NEWER}: doi: expected a DOI such as 10.1038/s41586-021-03819-2"),
        (set_field(1, "sources", {"titel": "bib"}), f"{NEWER}: sources: expected field names as keys"),
        (
            set_field(1, "abstarct", "typo"),
            f"{NEWER}: unknown key 'abstarct' (allowed: {', '.join(PAPER_KEYS)})",
        ),
        (set_field(1, "authors", "Ada Example"), f"{NEWER}: authors: expected a non-empty list of author names"),
        (set_field(1, "authors", []), f"{NEWER}: authors: expected a non-empty list of author names, got a list"),
        (set_field(1, "authors", ["Ada", ""]), f"{NEWER}: authors: expected a list of non-empty names, but item 2"),
        (set_field(1, "authors_truncated", "yes"), f"{NEWER}: authors_truncated: expected true or false, got 'yes'"),
        (set_field(1, "url", "arxiv.org/abs/2402.04437"), f"{NEWER}: url: expected an http(s) URL"),
        (set_field(1, "code", "ftp://example.org/x"), f"{NEWER}: code: expected an http(s) URL"),
        (set_field(1, "arxiv", 2402.04437), f"{NEWER}: arxiv: expected an arXiv id as a quoted string"),
        (set_field(1, "arxiv", "arXiv:2402"), f"{NEWER}: arxiv: expected an arXiv id such as 2207.01332"),
        (set_field(1, "category", "Machine Learning"), f"{NEWER}: category: expected an arXiv category such as cs.LG"),
        (set_field(0, "arxiv", "2402.04437v2"), 'paper 2 ("A Newer Paper"): arxiv: \'2402.04437\' is already paper 1'),
    ],
)
def test_each_mistake_in_a_paper_names_the_file_the_paper_and_the_field(
    tmp_path: Path, change: Any, message: str
) -> None:
    assert message in error_for(tmp_path, edited(change))


def test_a_duplicate_id_names_both_places(tmp_path: Path) -> None:
    message = error_for(tmp_path, edited(set_field(1, "id", "older-paper")))
    assert message == (
        "paper 2 (\"A Newer Paper\"): id: duplicate id 'older-paper', "
        f'already used by paper 1 ("An Older Paper") of {tmp_path / "ada.yaml"}'
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([1, 2], "expected a mapping with the keys profile and papers at the top level, got a list"),
        ({"profile": BASE["profile"]}, "papers: missing (required: profile, papers)"),
        ({**BASE, "extra": 1}, "unknown key 'extra' (allowed: profile, papers, built_from)"),
        ({**BASE, "papers": []}, "papers: expected a non-empty list of papers"),
        ({**BASE, "papers": ["a title"]}, "paper 1: expected a mapping of fields (id, title,"),
        ({**BASE, "profile": {"h_index": 3}}, "profile: name: missing"),
        ({**BASE, "profile": {"name": "Ada", "h_index": "75"}}, "profile: h_index: expected a whole number >= 0"),
        (
            {**BASE, "profile": {"name": "Ada", "novelty": 162}},
            "profile: novelty: expected a whole number from 0 to 100",
        ),
        ({**BASE, "profile": {"name": "Ada", "year": 25}}, "profile: year: expected the year the profile was taken"),
        ({**BASE, "profile": {"name": "Ada", "hindex": 3}}, "profile: unknown key 'hindex' (allowed: name, aliases,"),
    ],
)
def test_a_wrong_shape_says_what_the_file_should_hold(tmp_path: Path, data: object, message: str) -> None:
    assert message in error_for(tmp_path, data)


def test_unreadable_files_are_reported_with_the_place_and_the_reason(tmp_path: Path) -> None:
    def fails(path: Path) -> str:
        with pytest.raises(CorpusError) as err:
            load_corpus([path])
        return str(err.value)

    missing = tmp_path / "missing.yaml"
    assert fails(missing) == f"{missing}: no such file (expected a corpus: a mapping with the keys profile and papers)"
    empty = tmp_path / "empty.yaml"
    empty.write_text("# nothing yet\n", encoding="utf-8")
    assert fails(empty).startswith(f"{empty}: the file is empty (expected a corpus")
    latin1 = tmp_path / "latin1.yaml"
    raw = b"profile:\n  name: Ada\npapers:\n  - title: Caf\xe9\n"
    latin1.write_bytes(raw)
    assert fails(latin1).startswith(f"{latin1}: byte offset {raw.index(0xE9)} (line 4): byte 0xe9 is not UTF-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text("profile:\n  name: Ada\npapers:\n  - title: [unclosed\n", encoding="utf-8")
    assert fails(broken).startswith(f"{broken}: line 5, column 1: YAML syntax error:")
    assert fails(tmp_path).startswith(f"{tmp_path}: is a directory (expected a file with a corpus")
    with pytest.raises(CorpusError, match="no corpus file given"):
        load_corpus([])


def test_an_impossible_date_written_without_quotes_is_a_field_error_not_a_crash(tmp_path: Path) -> None:
    path = write(tmp_path / "ada.yaml", BASE)
    path.write_text(path.read_text(encoding="utf-8").replace("'2024-02-06'", "2024-02-30"), encoding="utf-8")
    with pytest.raises(CorpusError) as err:
        load_corpus([path])
    assert str(err.value) == (
        f"{path}: paper 2 (\"A Newer Paper\"): date: expected a real date YYYY-MM-DD, got '2024-02-30' (no such day)"
    )


def test_validation_of_already_parsed_data_names_the_given_source() -> None:
    with pytest.raises(CorpusError, match=r"^memory: paper 2 \(\"A Newer Paper\"\): date: expected a date"):
        validate_corpus_data(edited(set_field(1, "date", 20240206)), "memory")
    corpus = validate_corpus_data(copy.deepcopy(BASE), "memory")
    assert corpus.sources == ("memory",) and len(corpus.papers) == 2


# -- several files together ------------------------------------------------------------------------


def test_two_files_about_one_researcher_make_one_member_with_the_first_files_figures(tmp_path: Path) -> None:
    first = write(tmp_path / "a.yaml", BASE)
    second_data = {
        "profile": {"name": "ada  EXAMPLE", "h_index": 99},
        "papers": [paper("middle-paper", "A Middle Paper", "2022-07-04", arxiv="2207.01332")],
    }
    second = write(tmp_path / "b.yaml", second_data)
    corpus = load_corpus([first, second])
    assert [p.id for p in corpus.papers] == ["newer-paper", "middle-paper", "older-paper"]
    assert [(m.name, m.h_index) for m in corpus.members] == [("Ada Example", 12)]
    assert corpus.sources == (str(first), str(second))


def test_one_id_for_two_different_papers_across_files_names_both_files(tmp_path: Path) -> None:
    first = write(tmp_path / "a.yaml", BASE)
    second = write(
        tmp_path / "b.yaml",
        {"profile": {"name": "Bob Builder"}, "papers": [paper("older-paper", "Another Paper", "2023-01-01")]},
    )
    with pytest.raises(CorpusError) as err:
        load_corpus([first, second])
    assert str(err.value) == (
        f"{second}: paper 1 (\"Another Paper\"): id: 'older-paper' is also paper 1 (\"An Older Paper\") of "
        f"{first}, a different paper (ids must be unique across the corpus files)"
    )


def test_two_members_files_make_a_lab_where_a_shared_paper_appears_once_with_both(tmp_path: Path) -> None:
    first = write(tmp_path / "ada.yaml", BASE)
    shared = paper("shared-newer", "A newer paper!", "2024-02", authors=["Bob Builder", "A. Example"])
    own = paper("bobs-own", "Bob's Own", 2021, authors=["Bob Builder"])
    bob = write(tmp_path / "bob.yaml", {"profile": {"name": "Bob Builder"}, "papers": [shared, own]})
    corpus = load_corpus([first, bob], lab="Example lab")
    assert [m.name for m in corpus.members] == ["Ada Example", "Bob Builder"] and corpus.name == "Example lab"
    assert [p.id for p in corpus.papers] == ["newer-paper", "bobs-own", "older-paper"], "the shared paper once"
    assert corpus.papers[0].members == ("Ada Example", "Bob Builder"), "both members' paper"
    assert corpus.by_id("bobs-own") is not None and corpus.by_id("bobs-own").members == ("Bob Builder",)  # type: ignore[union-attr]
    assert corpus.by_id("bobs-own").date_text == "2021"  # type: ignore[union-attr]


def test_the_same_file_twice_is_refused(tmp_path: Path) -> None:
    first = write(tmp_path / "a.yaml", BASE)
    with pytest.raises(CorpusError, match="listed twice among the corpus files"):
        load_corpus([first, tmp_path / "." / "a.yaml"])
