"""Documents written from a source's documented format, for the parts no recording exists of.

Only these are written by hand; everything else the source tests read is a real response. The
figures in them are placeholders, not facts about the person named.
"""

from __future__ import annotations

# An OpenAlex Author object (developers.openalex.org, "Author object"): the fields paperbot reads.
OPENALEX_AUTHOR = {
    "id": "https://openalex.org/A5030252459",
    "display_name": "Yuki Furukawa",
    "works_count": 53,
    "cited_by_count": 1867,
    "summary_stats": {"2yr_mean_citedness": 0.5, "h_index": 15, "i10_index": 19},
}

# A dblp person page (dblp.org/pid/XX.xml) in the layout of dblp.dtd. The first record copies the facts of
# conf/focs/Limaye0T21 from the real BibTeX export (bibtex/dblp-standard-nutan-limaye.bib); the pids, dates
# and the second record (a CoRR preprint with markup in its title) are made up to exercise the parser.
DBLP_PAGE = b"""<?xml version="1.0" encoding="US-ASCII"?>
<dblpperson name="Nutan Limaye" pid="06/3497" n="2">
<person key="homepages/06/3497" mdate="2023-01-01"><author pid="06/3497">Nutan Limaye</author></person>
<r><inproceedings key="conf/focs/Limaye0T21" mdate="2022-02-10">
<author pid="06/3497">Nutan Limaye</author><author pid="37/6436">Srikanth Srinivasan 0001</author>
<author pid="90/8485">S&#233;bastien Tavenas</author>
<title>Superpolynomial Lower Bounds Against Low-Depth Algebraic Circuits.</title>
<pages>804-814</pages><year>2021</year><booktitle>FOCS</booktitle>
<ee>https://doi.org/10.1109/FOCS52979.2021.00083</ee><crossref>conf/focs/2021</crossref>
<url>db/conf/focs/focs2021.html#Limaye0T21</url></inproceedings></r>
<r><article key="journals/corr/abs-2104-11441" mdate="2021-04-27" publtype="informal">
<author pid="06/3497">Nutan Limaye</author><title>A <i>fixed-depth</i> size-hierarchy theorem.</title>
<journal>CoRR</journal><volume>abs/2104.11441</volume><year>2021</year>
<ee type="oa">https://arxiv.org/abs/2104.11441</ee><url>db/journals/corr/corr2104.html#abs-2104-11441</url></article></r>
</dblpperson>
"""
