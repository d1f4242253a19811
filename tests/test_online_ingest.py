"""A lab admin ingests a researcher from two online profiles at once; the same works merge into one list.

Yuki Furukawa's ORCID works and OpenAlex works were recorded (tests/data/recorded/SOURCES.md); a
local server replays them. No OpenAlex author object was recorded for him, so the author call gets
the documented example (tests/sources_documented.py), as the source tests do.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.core.corpus import validate_corpus_data
from bot.errors import PaperbotError
from bot.ingest.pipeline import ingest
from bot.yamlfile import safe_load
from tests.sources_documented import OPENALEX_AUTHOR
from tests.sources_server import Reply, Request, fast_client, serve

RECORDED = Path(__file__).resolve().parent / "data" / "recorded"
ORCID_ID = "0000-0003-1317-0220"


def route(request: Request) -> Reply:
    if request.path == f"/v3.0/{ORCID_ID}/works":
        return Reply((RECORDED / "orcid" / f"works-{ORCID_ID}-yuki-furukawa.json").read_bytes())
    if request.path.startswith("/authors/"):
        return Reply(json.dumps(OPENALEX_AUTHOR).encode())
    first, second = json.loads((RECORDED / "openalex" / "works-doi-batch-pages-yuki-furukawa.json").read_bytes())
    first["meta"]["next_cursor"], second["meta"]["next_cursor"] = "page-2", None
    return Reply(json.dumps(first if request.query["cursor"] == "*" else second).encode())


def test_orcid_and_openalex_for_one_researcher_merge_by_doi(tmp_path: Path) -> None:
    with serve(route) as server:
        result = ingest(
            [f"orcid:{ORCID_ID}", "openalex:A5030252459"], "Yuki Furukawa", tmp_path / "furukawa.yaml",
            client=fast_client, base_urls={"orcid": f"{server.url}/v3.0", "openalex": server.url},
        )  # fmt: skip
    assert result.report[0] == f"orcid:{ORCID_ID}: 34 records (0 with an abstract)"
    assert result.report[1].startswith("openalex:A5030252459: 34 records")
    merged = int(result.report[2].split()[1])
    assert merged < 68, "works both profiles list are one paper each"
    assert all(p.doi is None or p.doi == p.doi.lower() for p in result.papers)
    both = [p for p in result.papers if {s for _, s in p.sources} >= {f"orcid:{ORCID_ID}", "openalex:A5030252459"}]
    assert both, "some papers take facts from each source, and say which"
    assert result.profile.figures_source == "openalex:A5030252459"
    corpus = validate_corpus_data(safe_load(result.text), "furukawa.yaml")
    assert len(corpus.papers) == merged


def test_an_online_source_needs_a_contact_address(tmp_path: Path) -> None:
    with pytest.raises(PaperbotError, match="online sources need a contact e-mail"):
        ingest([f"orcid:{ORCID_ID}"], "Yuki Furukawa", tmp_path / "x.yaml")
