"""A lab admin points paperbot at a researcher's online profiles; it pages through each API to the end.

Each fetcher talks to a local server that replays recorded responses (real ones, served as they were
recorded); where a recording is missing, the test says what stands in for it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.sources import SourceError
from bot.sources.arxiv import fetch_arxiv
from bot.sources.dblp import fetch_dblp
from bot.sources.openalex import fetch_openalex
from bot.sources.orcid import fetch_orcid
from bot.sources.s2 import fetch_s2
from tests.sources_documented import DBLP_PAGE, OPENALEX_AUTHOR
from tests.sources_server import Reply, Request, cassette_bodies, fast_client, serve

RECORDED = Path(__file__).resolve().parent / "data" / "recorded"


def test_semantic_scholar_pages_through_all_875_papers() -> None:
    # The nine recorded pages of GET /graph/v1/author/1723755/papers, keyed by their offset.
    pages = {
        json.loads(body)["offset"]: body
        for _, body in cassette_bodies(str(RECORDED / "s2" / "cassette-author-papers-1723755.yaml"))
    }

    def route(request: Request) -> Reply:
        assert request.path == "/graph/v1/author/1723755/papers"
        return Reply(pages[int(request.query["offset"])])

    with serve(route) as server:
        # No author (figures) call for this id was recorded, so this walk asks only for papers.
        result = fetch_s2("1723755", fast_client(), base_url=f"{server.url}/graph/v1", with_figures=False)
    assert len(result.records) == 875
    assert [int(r.query["offset"]) for r in server.requests] == [0, 100, 200, 300, 400, 500, 600, 700, 800]
    assert all(r.query["limit"] == "100" and "abstract" in r.query["fields"] for r in server.requests)
    assert result.source == "s2:1723755" and result.records[0].key == "01063e45d9fc9635d29d8d78aa24ed8de351f36a"


def test_semantic_scholar_asks_for_the_authors_figures() -> None:
    ((_uri, author),) = cassette_bodies(str(RECORDED / "s2" / "cassette-author-2262347.yaml"))
    papers = json.dumps({"offset": 0, "data": []}).encode()  # stands in: no papers page of 2262347 was recorded

    def route(request: Request) -> Reply:
        return Reply(papers if request.path.endswith("/papers") else author)

    with serve(route) as server:
        result = fetch_s2("2262347", fast_client(), base_url=server.url, api_key="k3y")
    assert result.figures is not None and result.figures.name == "A. Turing"
    assert server.requests[0].path == "/author/2262347" and server.requests[0].headers["x-api-key"] == "k3y"


def test_openalex_reads_the_author_then_follows_the_cursor_to_the_end() -> None:
    # The two recorded /works responses for Yuki Furukawa were fetched with page paging; here each is
    # served as a cursor page, with `meta.next_cursor` set as the docs describe (the one change made).
    first, second = json.loads((RECORDED / "openalex" / "works-doi-batch-pages-yuki-furukawa.json").read_bytes())
    first["meta"]["next_cursor"] = "IlsxNjA5MzcyODAwMDAwXSI="
    second["meta"]["next_cursor"] = None
    answers = {"*": first, "IlsxNjA5MzcyODAwMDAwXSI=": second}

    def route(request: Request) -> Reply:
        if request.path == "/authors/A5030252459":
            return Reply(json.dumps(OPENALEX_AUTHOR).encode())
        assert request.path == "/works"
        return Reply(json.dumps(answers[request.query["cursor"]]).encode())

    with serve(route) as server:
        result = fetch_openalex("https://openalex.org/A5030252459", fast_client(), base_url=server.url)
    assert len(result.records) == 34
    assert result.figures is not None and result.figures.h_index == 15
    works = server.requests[1:]
    assert [r.query["cursor"] for r in works] == ["*", "IlsxNjA5MzcyODAwMDAwXSI="]
    assert all(r.query["filter"] == "author.id:A5030252459" and r.query["per-page"] == "200" for r in works)


def test_openalex_stops_when_a_page_has_no_next_cursor() -> None:
    recorded = (RECORDED / "openalex" / "works-search-machine-learning-public-health.json").read_bytes()

    def route(request: Request) -> Reply:
        return Reply(json.dumps(OPENALEX_AUTHOR).encode() if request.path.startswith("/authors/") else recorded)

    with serve(route) as server:
        result = fetch_openalex("A5030252459", fast_client(), base_url=server.url)
    assert len(result.records) == 12 and len(server.requests) == 2
    with pytest.raises(SourceError, match="not an OpenAlex author id"):
        fetch_openalex("Yuki Furukawa", fast_client(), base_url=server.url)


def test_arxiv_searches_by_author_name_and_stops_at_total_results() -> None:
    feed = (RECORDED / "arxiv" / "query-idlist-1601.00001-zoia.xml").read_bytes()
    with serve(lambda request: Reply(feed)) as server:
        result = fetch_arxiv("João Sacramento", fast_client(), base_url=f"{server.url}/api/query", delay=0)
    (request,) = server.requests
    assert request.query["search_query"] == 'au:"Joao Sacramento"'
    assert (request.query["start"], request.query["max_results"]) == ("0", "100")
    assert [r.arxiv for r in result.records] == ["1601.00001"]


def test_arxiv_stops_when_a_server_repeats_the_same_page() -> None:
    # The recorded category feed says 5619 results but holds 2; served for every `start`, it repeats.
    feed = (RECORDED / "arxiv" / "query-cat-cs.RO-neural-xiv.xml").read_bytes()
    with serve(lambda request: Reply(feed)) as server:
        result = fetch_arxiv("Jiachen Li", fast_client(), base_url=server.url, page_size=2, delay=0)
    assert len(result.records) == 2
    assert [r.query["start"] for r in server.requests] == ["0", "2"]
    assert any("repeated earlier entries" in w for w in result.warnings)


def test_orcid_works_are_fetched_as_json() -> None:
    works = (RECORDED / "orcid" / "works-0000-0003-1317-0220-yuki-furukawa.json").read_bytes()
    with serve(lambda request: Reply(works)) as server:
        result = fetch_orcid("0000-0003-1317-0220", fast_client(), base_url=f"{server.url}/v3.0")
    (request,) = server.requests
    assert request.path == "/v3.0/0000-0003-1317-0220/works"
    assert request.headers["accept"] == "application/json"
    assert len(result.records) == 34 and result.source == "orcid:0000-0003-1317-0220"


def test_dblp_person_page_is_fetched_by_pid() -> None:
    # DBLP_PAGE is written from the documented format: no person page was recorded.
    with serve(lambda request: Reply(DBLP_PAGE)) as server:
        result = fetch_dblp("06/3497", fast_client(), base_url=server.url)
    assert server.requests[0].path == "/pid/06/3497.xml"
    assert len(result.records) == 2
    with pytest.raises(SourceError, match="not a dblp person id"):
        fetch_dblp("../../etc/passwd", fast_client(), base_url=server.url)


def test_a_source_that_is_down_is_an_error_naming_it() -> None:
    with serve(lambda request: Reply(b"", status=503)) as server, pytest.raises(SourceError, match=r"^orcid:0000"):
        fetch_orcid("0000-0003-1317-0220", fast_client(retries=1), base_url=server.url)
