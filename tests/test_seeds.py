"""Exact expectations on the five seed pages: where the body starts and ends, what cleaning
removed and why, the metadata, and the organisations with their aliases."""

from __future__ import annotations

import pytest

from nevextract import ArticleRecord

BODY_EDGES = {
    "000_137aed0a9d324101": (
        "Foreign automakers have increasingly sought cooperation with China's auto industrial chains",
        "balance industrial policy objectives with consumer interests and climate goals,\" Quelch said.",
    ),
    "001_90f53f21ff9c360f": (
        "BEIJING — At a new energy vehicle super factory in Beijing's suburban Miyun district",
        "fostering local automotive development and enabling collaborative growth worldwide.",
    ),
    "002_a7dc5c1dec320380": (
        "China's new energy vehicle (NEV) industry has grown into a global leader in green innovation",
        "recovery pilot programs and revising regulations to streamline recall procedures.",
    ),
    "003_881192f388620d17": (
        "March 4th, Jinhua, Zhejiang province, a manufacturing powerhouse in eastern China",
        "from Stellantis, the Dutch-based automotive giant that",  # the scraped page stops mid-sentence
    ),
    "004_e6f96a9c6b0cfc00": (
        "The electric vehicle (EV) industry, formerly one of China's most inward-focused industrial sectors",
        "and battery factories at 36.5 per cent, the report said.",
    ),
}

REMOVED_REASONS = {
    "000_137aed0a9d324101": {"caption", "headline", "menu", "metadata"},
    "001_90f53f21ff9c360f": {"credit", "headline", "related-list", "standfirst"},
    "002_a7dc5c1dec320380": {"caption"},
    "003_881192f388620d17": {
        "app-promo", "copyright", "disclaimer", "headline", "menu", "metadata", "share", "site-chrome", "tags", "teaser",
    },
    "004_e6f96a9c6b0cfc00": {
        "advertisement", "app-promo", "comments", "headline", "promo", "related-list", "site-profile:Daily8",
    },
}

METADATA = {  # source, published, title
    "000_137aed0a9d324101": ("Global Times", "2026-02-04", "Multiple foreign automakers seek co-op with China’s industrial chains amid nation’s rising NEV competitiveness"),
    "001_90f53f21ff9c360f": ("China Daily", None, "Innovation, supply chains fuel NEV growth"),
    "003_881192f388620d17": ("AdminSo", "2025-03-04", "Jinhua: The Engine Behind China's Electric Vehicle Surge"),
    "004_e6f96a9c6b0cfc00": ("Daily8", None, "How is the EV industry driving China's ‘going global' strategy?"),
}


@pytest.mark.parametrize("seed", sorted(BODY_EDGES))
def test_body_starts_and_ends_where_the_article_does(seed_records: dict[str, ArticleRecord], seed: str) -> None:
    start, end = BODY_EDGES[seed]
    body = seed_records[seed].body
    assert body.startswith(start)
    assert body.endswith(end)


@pytest.mark.parametrize("seed", sorted(REMOVED_REASONS))
def test_removed_parts_carry_their_reasons(seed_records: dict[str, ArticleRecord], seed: str) -> None:
    assert {r.reason for r in seed_records[seed].removed} == REMOVED_REASONS[seed]


def test_removed_lines_are_the_boilerplate_ones(seed_records: dict[str, ArticleRecord]) -> None:
    removed = {r.text: r.reason for r in seed_records["000_137aed0a9d324101"].removed}
    assert removed["SOURCE / ECONOMY"] == "menu"
    assert removed["Published: Feb 04, 2026 09:23 PM"] == "metadata"
    assert removed["An NEV manufacturing line in Southwest China's Chongqing Municipality Photo: VCG"] == "caption"
    daily8 = {r.text: r.reason for r in seed_records["004_e6f96a9c6b0cfc00"].removed}
    assert daily8["Advertisement"] == "advertisement"
    assert daily8["Related Articles"] == "related-list"
    assert daily8["DOWNLOAD THE APP"] == "app-promo"
    adminso = {r.text: r.reason for r in seed_records["003_881192f388620d17"].removed}
    assert adminso["Home > News list > Tech >> Industry dynamics"] == "menu"
    assert adminso["Tag: Jinhua The Engine Behind China Electric Vehicle Surge"] == "tags"
    assert adminso["Copyright @ 2007~2025 All Rights Reserved."] == "copyright"


def test_no_removed_line_is_left_in_a_body(seed_records: dict[str, ArticleRecord]) -> None:
    for rec in seed_records.values():
        for r in rec.removed:
            if len(r.text) > 40 and r.reason not in ("headline", "teaser"):
                assert r.text not in rec.body, (rec.id, r)


@pytest.mark.parametrize("seed", sorted(METADATA))
def test_metadata(seed_records: dict[str, ArticleRecord], seed: str) -> None:
    rec = seed_records[seed]
    assert (rec.source, rec.published, rec.title) == METADATA[seed]


def _orgs(rec: ArticleRecord) -> dict[str, list[str]]:
    return {o.name: o.aliases for o in rec.organisations}


def test_seed_organisations_with_aliases(seed_records: dict[str, ArticleRecord]) -> None:
    gt = _orgs(seed_records["000_137aed0a9d324101"])
    assert gt["Volkswagen"] == ["Volkswagen Group"]
    assert gt["Volkswagen Group China"] == []  # a local unit the text names: its own entry
    assert gt["Shanghai Edrive"] == ["Shanghai Edrive Co"]
    assert gt["European Union"] == ["EU"]
    assert "NEV" not in gt and "EV" not in gt
    cd = _orgs(seed_records["001_90f53f21ff9c360f"])
    assert cd["Contemporary Amperex Technology Co. Limited"] == ["CATL"]
    assert cd["Association of Southeast Asian Nations"] == ["ASEAN"]
    assert cd["Xpeng"] == ["Xpeng Motors"]
    adminso = _orgs(seed_records["003_881192f388620d17"])
    assert adminso["Leapmotor"] == ["Leap Motor", "Zero Run"]
    assert adminso["General Motors"] == ["GM"]
    assert "Jinhua" not in adminso and "Hefei" not in adminso  # cities the model calls ORG


def test_seed_002_organisations_exactly(seed_records: dict[str, ArticleRecord]) -> None:
    assert _orgs(seed_records["002_a7dc5c1dec320380"]) == {
        "National Development and Reform Commission": [],
        "Xiaomi": [],
        "General Administration of Customs": [],
        "BYD": [],
        "Chery": ["Chery Automobile Co., Ltd."],
        "National People's Congress": ["NPC"],
        "Ebro": [],
        "Supervisory Council of the Business and Professionals Alliance": [],
        "Chinese People's Political Consultative Conference": ["CPPCC"],
        "SAIC Volkswagen": [],
        "Changan Automobile": ["Changan Auto"],
        "GAC Group": [],
    }


def test_seed_004_organisations_exactly(seed_records: dict[str, ArticleRecord]) -> None:
    orgs = seed_records["004_e6f96a9c6b0cfc00"].organisations
    assert [(o.name, o.type, o.found_by) for o in orgs] == [
        ("Rhodium Group", "research firm", "both"),
        ("European Union", "international body", "both"),
    ]
    body = seed_records["004_e6f96a9c6b0cfc00"].body
    at = body.index("Rhodium Group")
    assert [(m.start, m.end, m.text) for m in orgs[0].mentions] == [(at, at + 13, "Rhodium Group")]
