"""extractions.jsonl follows ../shared/spec/extractions-format.md."""

from __future__ import annotations

from kg.model import EntityType, PlaceLevel, RelationType


def test_jsonl_one_line_per_document_with_the_contract_keys(examples_records):
    assert len(examples_records) == 5
    for record in examples_records:
        assert {"doc_id", "source", "title", "city", "entities", "relations"} <= record.keys()
        ids = {e["id"] for e in record["entities"]}
        for e in record["entities"]:
            assert EntityType(e["type"])
            assert e["id"].startswith("https://parkkg.org/id/")
            assert (e["type"] == "Place") == ("level" in e)
            if "level" in e:
                assert PlaceLevel(e["level"])
        for r in record["relations"]:
            assert RelationType(r["type"])
            assert r["head"] in ids and r["tail"] in ids
            assert r["evidence"]
            if r["type"] == "holds_post":
                assert r["title"]


def test_jsonl_mentions_point_at_names_in_the_written_text(examples_build, examples_records):
    out, _ = examples_build
    for record in examples_records:
        text = (out / "text" / f"{record['doc_id']}.txt").read_text(encoding="utf-8")
        for e in record["entities"]:
            names = {e["name"], *e["aliases"]}
            for start, end in e["mentions"]:
                assert text[start:end] in names, (record["doc_id"], e["name"], text[start:end])
        for r in record["relations"]:
            start, end = r["evidence_span"]
            assert text[start:end] == r["evidence"]


def test_jsonl_every_fact_has_a_confidence_at_least_the_threshold(examples_records):
    from kg.extract.models import shipped_models

    threshold = shipped_models().min_confidence
    facts = [f for record in examples_records for f in record["entities"] + record["relations"]]
    assert facts and all(threshold <= f["confidence"] <= 1 for f in facts)
