"""A lab admin gives paperbot the .bib file their website already has, and gets the papers back.

Every file here is a real one (tests/data/recorded/SOURCES.md says whose and from where): al-folio
sites, Google Scholar, DBLP, NASA ADS and Zotero exports, and a hand-written file with mistakes in it.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from bot.errors import PaperbotError
from bot.sources import SourceError
from bot.sources.bibtex import parse_bibtex, read_bibtex
from bot.sources.records import Record, SourceResult

BIB = Path(__file__).resolve().parent / "data" / "recorded" / "bibtex"

# (file, records, records with an abstract): counted from the files (SOURCES.md lists the same).
COUNTS = [
    ("ads-john-zuhone.bib", 107, 0),
    ("alfolio-aclanthology-shafiuddin-rehan-ahmed.bib", 13, 5),
    ("alfolio-christian-henning.bib", 14, 12),
    ("alfolio-courtney-n-reed.bib", 46, 46),
    ("alfolio-samuel-morabito.bib", 19, 19),
    ("alfolio-zacharias-steinmetz.bib", 28, 28),
    ("crossref-doi-negotiation-shallue-2018.bib", 1, 0),
    ("dblp-condensed-nutan-limaye.bib", 118, 0),
    ("dblp-jilin-hu.bib", 19, 0),
    ("dblp-standard-nutan-limaye.bib", 118, 0),
    # 157 records, of which 39 are the @proceedings volumes the papers point at with `crossref`.
    ("dblp-withcrossref-nutan-limaye.bib", 118, 0),
    ("googlescholar-arron-lacey.bib", 14, 0),
    ("googlescholar-ran-zhang.bib", 18, 0),
    ("handwritten-w-jake-thompson.bib", 12, 0),
    ("zotero-bbt-jonathan-sakkos.bib", 18, 9),
    ("zotero-bbt-library-andrey-yao.bib", 163, 0),
    ("zotero-bbt-martin-alvarez-kuglen.bib", 2, 1),
    ("zotero-daniel-mcglinn.bib", 53, 45),
]


@cache
def recorded(name: str) -> SourceResult:
    """A recorded file read once for all the tests (results are immutable)."""
    return read_bibtex(BIB / name)


def by_key(name: str) -> dict[str, Record]:
    return {r.key: r for r in recorded(name).records if r.key}


def test_every_recorded_bib_file_is_counted() -> None:
    assert sorted(name for name, _, _ in COUNTS) == sorted(p.name for p in BIB.glob("*.bib"))


@pytest.mark.parametrize(("name", "records", "abstracts"), COUNTS)
def test_each_real_bib_file_gives_its_papers_and_abstracts(name: str, records: int, abstracts: int) -> None:
    result = recorded(name)
    assert len(result.records) == records
    assert sum(1 for r in result.records if r.abstract) == abstracts
    assert result.source == f"bibtex:{name}"
    assert all(r.title and r.source == result.source for r in result.records)
    if abstracts < records:
        # The papers without an abstract are kept, and the admin is told how many there are.
        assert any(f"{records - abstracts} of {records} entries have no abstract" in w for w in result.warnings)


def test_publishers_html_in_a_real_file_is_read_as_text() -> None:
    # Steinmetz's al-folio file pastes publishers' abstracts: CO<sub>2</sub>, mg kg<sup>−1</sup>,
    # <strong>Methods</strong>, &micro;m and &nbsp;.
    records = recorded("alfolio-zacharias-steinmetz.bib").records
    texts = [t for r in records for t in (r.title, r.abstract)]
    assert not any(re.search(r"</?(sub|sup|strong|i)>|&[a-z]+;", t) for t in texts)
    assert any("CO2" in r.title for r in records)
    assert any("mg kg−1" in r.abstract for r in records)
    assert any("Methods We conducted" in r.abstract for r in records)


def test_a_bare_ampersand_is_an_ampersand_in_titles_and_entities() -> None:
    # Reed's file writes "Place & Technology" and "latency is &lt;5&nbsp;ms" inside braces, which
    # LaTeX would read as column breaks; Steinmetz's "0.1 &micro;g/L" likewise.
    titles = {r.title for r in recorded("alfolio-courtney-n-reed.bib").records}
    assert "In-Situ Seeding: Entangling Place & Technology through Sensory Data Dialogues" in titles
    assert any(r.abstract and "latency is <5 ms" in r.abstract for r in recorded("alfolio-courtney-n-reed.bib").records)
    steinmetz = [r.abstract for r in recorded("alfolio-zacharias-steinmetz.bib").records if r.abstract]
    assert any("0.1 µg/L" in a for a in steinmetz)
    assert not any(re.search(r"\b(micro|nbsp|lt|gt|amp);", a) for a in steinmetz)


def test_henning_latex_accents_and_plain_unicode_give_the_same_name() -> None:
    # The file writes "Jo{\~a}o Sacramento" in one entry and "João Sacramento" in another.
    papers = by_key("alfolio-christian-henning.bib")
    hypercl = papers["oshg2019hypercl"]
    assert hypercl.authors == ("Johannes von Oswald", "Christian Henning", "Benjamin F. Grewe", "João Sacramento")
    replay = papers["posterior:replay:2021:henning:cervera"]
    assert replay.authors[-1] == "João Sacramento"
    assert replay.authors[0] == "Christian Henning"  # the "*" equal-contribution mark is not part of a name


def test_henning_al_folio_fields() -> None:
    papers = by_key("alfolio-christian-henning.bib")
    replay = papers["posterior:replay:2021:henning:cervera"]
    assert replay.selected and replay.arxiv == "2103.01133" and replay.kind == "inproceedings"
    assert replay.code == "https://github.com/chrhenning/posterior_replay_cl"
    assert replay.venue == "Conference on Neural Information Processing Systems"
    assert replay.abstract.startswith("Learning a sequence of tasks without access to i.i.d. observations")
    journal = papers["henning:2018:estimating"]
    assert journal.doi == "10.1007/s13735-017-0142-y" and journal.year == 2018 and not journal.selected
    thesis = papers["henning2022phdthesis"]
    assert thesis.pdf == "PhD_Thesis.pdf"
    assert thesis.url == "https://www.research-collection.ethz.ch/handle/20.500.11850/523790"  # from `html`


def test_ads_export_braced_last_names_month_macros_and_escaped_ampersand() -> None:
    papers = by_key("ads-john-zuhone.bib")
    paper = papers["2024ApJ...973...79A"]
    assert paper.authors[-1] == "John ZuHone"  # written {{ZuHone}, John}
    assert paper.month == 10  # month = oct, a BibTeX macro
    assert paper.venue == "ApJ" and paper.doi == "10.3847/1538-4357/ad65dc"
    assert paper.arxiv == "2404.04321" and paper.category == "astro-ph.CO"  # eprint + primaryClass
    assert any(r.venue == "A&A" for r in papers.values())  # {A\&A}
    assert sum(r.selected for r in papers.values()) == 11


def test_last_first_names_and_and_others() -> None:
    lacey = by_key("googlescholar-arron-lacey.bib")
    assert lacey["rodgers2014cohort"].authors_truncated  # "... and others"
    assert "others" not in lacey["rodgers2014cohort"].authors
    assert not lacey["pickrell2013weight"].authors_truncated
    thompson = by_key("handwritten-w-jake-thompson.bib")
    # "Kobrin, Jennifer L. and Karvonen, Meagan and ..." in the file.
    assert thompson["kobrin-pare-2022"].authors[:2] == ("Jennifer L. Kobrin", "Meagan Karvonen")
    assert thompson["kobrin-pare-2022"].month == 9  # month = {9}


def test_dblp_exports_decode_names_and_lower_case_dois() -> None:
    standard = recorded("dblp-standard-nutan-limaye.bib").records
    crossref = recorded("dblp-withcrossref-nutan-limaye.bib").records
    assert {r.title for r in standard} == {r.title for r in crossref}
    assert any("Sébastien Tavenas" in r.authors for r in standard)  # S{\'{e}}bastien
    algorithmica = [r.doi for r in standard if r.venue == "Algorithmica"]
    assert "10.1007/s00453-024-01221-8" in algorithmica  # written 10.1007/S00453-... by DBLP
    # The crossref file leaves booktitle to the @proceedings record the paper points at.
    assert all(r.venue for r in crossref)


def test_bare_month_words_and_zotero_dates() -> None:
    reed = by_key("alfolio-courtney-n-reed.bib")
    assert reed["Reed_TEI26_DataDialogues"].month == 3  # month = March (not a BibTeX macro)
    sakkos = by_key("zotero-bbt-jonathan-sakkos.bib")
    assert (sakkos["JonathanSakkos2016"].year, sakkos["JonathanSakkos2016"].month) == (2016, 3)
    # date = {2021-11-15} (the preprint) but year = {2022} (the journal): the year wins, the day is not guessed.
    assert (sakkos["Fuentes-cabrera2022"].year, sakkos["Fuentes-cabrera2022"].day) == (2022, None)


def test_a_zotero_export_gives_bare_dois_however_they_were_pasted() -> None:
    mcglinn = by_key("zotero-daniel-mcglinn.bib")
    assert mcglinn["palmer_indices_2008"].doi == "10.1890/07-0842.1"  # doi = {10.1890%2F07-0842.1}
    assert mcglinn["mcglinn_multiscale_2021"].doi == "10.1002/ecy.3233"  # doi = {https://doi.org/10.1002/ecy.3233}
    assert mcglinn["mcglinn_modeling_2009"].doi == "10.1890/08-0377.1"
    # Written "McGlinn, Daniel J." in most entries and "McGlinn, Daniel" in a few: kept as written.
    assert "Daniel McGlinn" in mcglinn["pickens_no_2021"].authors


def test_real_mistakes_are_warnings_that_name_the_file_line_and_entry() -> None:
    morabito = recorded("alfolio-samuel-morabito.bib")
    assert (
        "alfolio-samuel-morabito.bib: line 176: entry 'Costanzo.2023.Cell Metabolism' repeats the field(s) "
        "abstract; the first value is used"
    ) in morabito.warnings
    zhang = recorded("googlescholar-ran-zhang.bib")
    assert zhang.records[0].venue == "bioRxiv"  # the first of its two `journal` fields
    thompson = recorded("handwritten-w-jake-thompson.bib")
    missing_comma = "line 41: entry 'thompson-emip-2021' misses the comma after field 'titleaddon'"
    assert any(missing_comma in w for w in thompson.warnings)
    emip = next(r for r in thompson.records if r.key == "thompson-emip-2021")
    assert emip.venue == "Educational Measurement: Issues and Practice"  # read past the missing comma
    reed = recorded("alfolio-courtney-n-reed.bib")
    assert any("malformed name 'Reed, Courtney N.,'" in w for w in reed.warnings)
    soma = next(r for r in reed.records if r.key == "MartinezAvila_NIME2025_Soma")
    assert "Courtney N. Reed" in soma.authors


def test_a_broken_entry_is_a_warning_and_the_rest_is_read(tmp_path: Path) -> None:
    bib = tmp_path / "mine.bib"
    bib.write_text(
        "@article{good1, title={A {\\\"u}ber Title}, author={M{\\\"u}ller, Anna and others}, year={2021},\n"
        "  abstract={We reach 50% accuracy.}}\n"
        "@article{broken, title={Never closed, year=2020,\n"
        "@article{notitle, author={Someone}, year={2019}}\n"
        "@inproceedings{good2, title={Second}, author={Ben Bo}, booktitle={NeurIPS}, month=dec, year=2022}\n",
        encoding="utf-8",
    )
    result = read_bibtex(bib)
    titles = [r.title for r in result.records]
    assert "A über Title" in titles and "Second" in titles
    first = result.records[0]
    assert first.authors == ("Anna Müller",) and first.authors_truncated
    assert first.abstract == "We reach 50% accuracy."  # "%" is text in a .bib file, not a comment
    assert any(w.startswith("mine.bib: line") and "'notitle' has no title" in w for w in result.warnings)


def test_text_from_a_file_is_printable() -> None:
    result = parse_bibtex(
        "@misc{x, title={Clean\x1b[2J\u202e title\x7f\x85  with   spaces}, author={Eve \x07Evil}}", source="bibtex:x"
    )
    record = result.records[0]
    assert record.title == "Clean[2J title with spaces"
    assert record.authors == ("Eve Evil",)


def test_a_file_that_is_not_bibtex_is_a_clear_error(tmp_path: Path) -> None:
    json_file = Path(__file__).resolve().parent / "data" / "recorded" / "orcid"
    not_bib = next(json_file.glob("*.json"))
    with pytest.raises(SourceError, match=r"works-0000-0003-1317-0220-yuki-furukawa\.json: no BibTeX entries"):
        read_bibtex(not_bib)
    binary = tmp_path / "photo.bib"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(SourceError, match=r"photo\.bib: a binary file"):
        read_bibtex(binary)
    with pytest.raises(PaperbotError, match=r"missing\.bib: cannot read"):
        read_bibtex(tmp_path / "missing.bib")


def test_latin1_file_is_read_with_a_warning(tmp_path: Path) -> None:
    bib = tmp_path / "old.bib"
    bib.write_bytes("@article{a, title={Café}, author={José Núñez}, year=1999}".encode("latin-1"))
    result = read_bibtex(bib)
    assert result.records[0].authors == ("José Núñez",)
    assert any("not UTF-8" in w for w in result.warnings)
