"""Names the reference data knows, found through names, parent companies and aliases; citations."""

from __future__ import annotations

from pathlib import Path

from extraction.citations import find_citations
from extraction.names import ENTITY, MARKET, METRIC, load_reference
from foundation.settings import PROJECT_ROOT

REFERENCE = load_reference(PROJECT_ROOT / "sources" / "reference")


def found(text: str, kind: str) -> list[tuple[str, str]]:
    return [(text[n.start:n.end], n.name) for n in REFERENCE.find(text) if n.kind == kind]


def test_entities_by_name_alias_and_parent_company():
    text = "Amazon Web Services (AWS), Amazon's cloud unit, Alphabet, China Telecom and Tencent Cloud"
    assert found(text, ENTITY) == [("Amazon Web Services", "Amazon Web Services"), ("AWS", "Amazon Web Services"),
                                   ("Amazon's cloud unit", "Amazon Web Services"), ("Alphabet", "Google Cloud"),
                                   ("China Telecom", "Tianyi Cloud"), ("Tencent Cloud", "Tencent Cloud")]


def test_entity_names_are_whole_words_with_case_but_may_carry_a_glued_ticker():
    assert found("AWSome awS aws", ENTITY) == []
    assert found("AlibabaBABA-- Cloud", ENTITY) == [("Alibaba", "Alibaba Cloud")]


def test_markets_and_metrics_without_case_and_with_plurals():
    assert found("the Global cloud infrastructure services market", MARKET) == [
        ("Global cloud infrastructure services", "Global cloud infrastructure services")]
    assert found("China's public cloud", MARKET) == [("China's public cloud", "China public cloud IaaS")]
    metrics = found("market shares and 6,000 edge nodes", METRIC)
    assert ("market shares", "market_share") in metrics and ("edge nodes", "edge_nodes") in metrics


def test_overlapping_metric_phrases_are_all_found():
    assert {name for _, name in found("the global cloud market", METRIC)} == {"market_share", "market_spend"}


def test_groups_by_their_members():
    assert REFERENCE.group_of({"Amazon Web Services", "Microsoft Azure", "Google Cloud"}) == "US Big Three"
    assert REFERENCE.group_of({"Amazon Web Services", "Microsoft Azure"}) is None


def test_aliases_file_is_optional(tmp_path: Path):
    for name in ("providers", "provider_groups", "provider_group_members", "markets", "metrics"):
        (tmp_path / f"{name}.csv").write_text((PROJECT_ROOT / "sources" / "reference" / f"{name}.csv")
                                              .read_text(encoding="utf-8"), encoding="utf-8")
    reference = load_reference(tmp_path)
    assert reference.aliases == [] and "Mobile Cloud" in reference.providers


def test_citations_named_and_numbered():
    text = ('According to IDC\'s "Public Cloud Tracker (H1 2024)" report, it grew. Kestrel Research estimates show '
            "a rise. Acme's latest financial report revealed that sales rose[1]. Data from Brightline Research put "
            "it at 5%. The data show nothing.")
    assert [(c.key, c.description) for c in find_citations(text)] == [
        ("idc-public-cloud-tracker-h1-2024", "IDC, Public Cloud Tracker (H1 2024)"),
        ("kestrel-research", "Kestrel Research"),
        ("acme-financial-report", "Acme financial report"),
        ("[1]", "Reference [1] of the article (its reference list is not part of the text)"),
        ("brightline-research", "Brightline Research")]


def test_operating_metrics_of_a_press_release_in_their_plain_verb_forms():
    assert [name for _, name in found("its servers boot in 8 seconds", METRIC)] == ["bare_metal_boot_time"]
