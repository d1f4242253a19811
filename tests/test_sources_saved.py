"""A lab admin hands paperbot saved responses from OpenAlex, arXiv, Semantic Scholar, ORCID and dblp.

Recorded responses are real (tests/data/recorded/SOURCES.md). Where no recording exists (an OpenAlex
author object, a dblp person page), the document below is written from the documented format and
says so.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from bot.sources import SourceError
from bot.sources.arxiv import parse_arxiv, read_arxiv
from bot.sources.dblp import parse_dblp
from bot.sources.openalex import abstract, entry_type, parse_openalex, read_openalex
from bot.sources.orcid import orcid_id, read_orcid
from bot.sources.s2 import parse_s2, read_s2
from tests.sources_documented import DBLP_PAGE, OPENALEX_AUTHOR
from tests.sources_server import cassette_bodies

RECORDED = Path(__file__).resolve().parent / "data" / "recorded"


@pytest.mark.parametrize(
    ("name", "records", "abstracts"),
    [
        ("openalex/works-doi-batch-pages-yuki-furukawa.json", 34, 0),  # select= left abstracts out
        ("openalex/works-search-machine-learning-public-health.json", 12, 10),
        ("arxiv/query-cat-cs.RO-neural-xiv.xml", 2, 2),
        ("arxiv/query-idlist-1601.00001-zoia.xml", 1, 1),
        ("s2/author-a-turing-2262347.json", 60, 34),
        ("s2/paper-search-bulk-peneira.json", 1, 1),
        ("orcid/works-0000-0003-1317-0220-yuki-furukawa.json", 34, 0),  # ORCID has no abstracts
    ],
)
def test_each_saved_response_gives_its_papers(name: str, records: int, abstracts: int) -> None:
    path = RECORDED / name
    reader = {"openalex": read_openalex, "arxiv": read_arxiv, "s2": read_s2, "orcid": read_orcid}[path.parent.name]
    result = reader(path)
    assert len(result.records) == records
    assert sum(1 for r in result.records if r.abstract) == abstracts
    assert all(r.title for r in result.records)


@pytest.mark.parametrize(
    ("name", "records", "abstracts"),
    [
        ("cassette-author-papers-1723755.yaml", 875, 0),
        ("cassette-author-search-turing.yaml", 0, 0),  # authors, not papers
        ("cassette-author-2262347.yaml", 0, 0),
        ("cassette-paper-batch-with-abstracts.yaml", 3, 3),
    ],
)
def test_each_recorded_semantic_scholar_interaction_parses(name: str, records: int, abstracts: int) -> None:
    results = [parse_s2(json.loads(body), f"s2:{name}") for _, body in cassette_bodies(str(RECORDED / "s2" / name))]
    assert sum(len(r.records) for r in results) == records
    assert sum(1 for r in results for p in r.records if p.abstract) == abstracts


def test_openalex_work_fields() -> None:
    result = read_openalex(RECORDED / "openalex" / "works-search-machine-learning-public-health.json")
    work = result.records[0]
    assert work.key == "W2068311567" and work.doi == "10.4081/gh.2014.294"
    assert work.authors == ("Alexander Liss", "Magaly Koch", "Elena N. Naumova")
    assert (work.year, work.month, work.day) == (2014, 12, 1)
    assert work.venue == "Geospatial Health" and work.kind == "article"
    # OpenAlex's work types become the entry types BibTeX, ORCID and Semantic Scholar records give.
    kinds = {r.venue: r.kind for r in result.records if r.venue}
    assert kinds["Routledge eBooks"] == "incollection" and kinds["arXiv (Cornell University)"] == "misc"
    # A conference paper is an "article" in OpenAlex, told by its source's type (none in this recording).
    assert entry_type("article", "conference") == "inproceedings" and entry_type("dissertation", None) == "phdthesis"
    # Rebuilt from abstract_inverted_index in word order.
    assert work.abstract.startswith("Existing climate classification has not been designed for an efficient handling")


def test_openalex_abstract_word_order() -> None:
    assert abstract({"learning": [1, 3], "Deep": [0], "is": [2]}) == "Deep learning is learning"
    assert abstract(None) == ""


def test_openalex_author_object_from_the_documented_format() -> None:
    figures = parse_openalex(OPENALEX_AUTHOR, "openalex:A5030252459").figures
    assert figures is not None
    assert (figures.name, figures.h_index, figures.citations, figures.works_count) == ("Yuki Furukawa", 15, 1867, 53)


def test_arxiv_entry_fields() -> None:
    paper = read_arxiv(RECORDED / "arxiv" / "query-idlist-1601.00001-zoia.xml").records[0]
    assert paper.arxiv == "1601.00001" and paper.key == "1601.00001v1"
    assert paper.doi == "10.1063/1.4944470" and paper.venue == "J. Chem. Phys. 144, 124107 (2016)"
    assert paper.category == "cond-mat.mes-hall" and paper.pdf == "http://arxiv.org/pdf/1601.00001v1"
    assert paper.authors == ("Michael Kilgour", "Dvira Segal")
    assert "Landauer-Büttiker" in paper.abstract  # B\"uttiker in the feed
    assert "\n" not in paper.title


def test_semantic_scholar_author_figures_and_batch_nulls() -> None:
    result = read_s2(RECORDED / "s2" / "author-a-turing-2262347.json")
    assert result.figures is not None
    assert (result.figures.h_index, result.figures.citations, result.figures.works_count) == (23, 12415, 60)
    (_uri, body), *_ = cassette_bodies(str(RECORDED / "s2" / "cassette-paper-batch-with-abstracts.yaml"))
    batch = parse_s2(json.loads(body), "s2:batch")
    assert "s2:batch: 1 requested paper(s) were not found" in batch.warnings
    assert any(r.doi == "10.2139/ssrn.288970" for r in batch.records)


def test_orcid_one_record_per_work_group() -> None:
    result = read_orcid(RECORDED / "orcid" / "works-0000-0003-1317-0220-yuki-furukawa.json")
    first = result.records[0]
    assert first.doi == "10.1016/j.euroneuro.2026.112802" and (first.year, first.month) == (2026, 6)
    assert first.venue == "European Neuropsychopharmacology" and first.kind == "article" and first.authors == ()
    assert len({r.key for r in result.records}) == 34
    assert orcid_id("https://orcid.org/0000-0003-1317-0220") == "0000-0003-1317-0220"
    with pytest.raises(SourceError, match="not an ORCID iD"):
        orcid_id("0000-0003-1317-0221")  # wrong check digit




def test_dblp_person_page_from_the_documented_format() -> None:
    result = parse_dblp(DBLP_PAGE, "dblp:06/3497")
    focs, corr = result.records
    assert focs.authors == ("Nutan Limaye", "Srikanth Srinivasan", "Sébastien Tavenas")  # no "0001"
    assert focs.title == "Superpolynomial Lower Bounds Against Low-Depth Algebraic Circuits"
    assert (focs.venue, focs.year, focs.kind) == ("FOCS", 2021, "inproceedings")
    assert focs.doi == "10.1109/focs52979.2021.00083"
    assert corr.title == "A fixed-depth size-hierarchy theorem" and corr.arxiv == "2104.11441"
    assert result.figures is not None and (result.figures.name, result.figures.works_count) == ("Nutan Limaye", 2)
    with pytest.raises(SourceError, match="not a dblp person page"):
        parse_dblp(b"<html><body>Not found</body></html>", "dblp:x")
    with pytest.raises(SourceError, match="not valid XML"):
        parse_dblp(b"{}", "dblp:x")


def test_broken_saved_files_are_clear_errors(tmp_path: Path) -> None:
    bad = tmp_path / "works.json"
    bad.write_text("<html>rate limited</html>", encoding="utf-8")
    with pytest.raises(SourceError, match=r"works\.json: not valid JSON, so not a saved OpenAlex JSON response"):
        read_openalex(bad)
    with pytest.raises(SourceError, match="not an ORCID works response"):
        read_orcid(RECORDED / "s2" / "author-a-turing-2262347.json")
    with pytest.raises(SourceError, match="not an arXiv Atom feed"):
        parse_arxiv(b"<feed/>", "arxiv:x")


def test_sources_depend_on_nothing_of_discord_rendering_the_cli_or_the_answer_engine() -> None:
    forbidden = ("bot.discordbot", "bot.render", "bot.cli", "bot.live", "bot.core.engine", "bot.core.search",
                 "bot.core.intents", "bot.core.summary")
    package = Path(__file__).resolve().parent.parent / "bot" / "sources"
    for module in package.glob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names.append(node.module)
            # The corpus's data and checks are shared; nothing that answers questions is.
            found = [n for n in names if n.startswith(forbidden)]
            assert not found, f"{module.name} imports {names}"
