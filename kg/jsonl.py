"""extractions.jsonl (one JSON object per document, as ../shared/spec/extractions-format.md says)
and report.json.

This is the one place that turns model types into JSON.
"""

from __future__ import annotations

import json
from typing import Any

from .model import Extraction, Report


def extraction_record(ex: Extraction) -> dict[str, Any]:
    """The JSON object of one document's extraction (entity ids must be IRIs)."""
    article = ex.article
    entities = []
    for e in ex.entities:
        record: dict[str, Any] = {"id": e.id, "type": str(e.type), "name": e.name}
        if e.level:
            record["level"] = str(e.level)
        if e.code:
            record["code"] = e.code
        record["aliases"] = list(e.aliases)
        record["mentions"] = [list(span) for span in e.mentions]
        record["confidence"] = e.confidence
        entities.append(record)
    relations = []
    for r in ex.relations:
        record = {"type": str(r.type), "head": r.head, "tail": r.tail}
        if r.title:
            record["title"] = r.title
        if r.date:
            record["date"] = r.date
        record["evidence"] = r.evidence
        record["evidence_span"] = list(r.evidence_span)
        record["confidence"] = r.confidence
        relations.append(record)
    co_mentions = [{"a": c.a, "b": c.b, "sentence_span": list(c.sentence_span)} for c in ex.co_mentions]
    return {
        "doc_id": article.doc_id,
        "source": article.source,
        "title": article.title,
        "date": article.date,
        "city": ex.city,
        "entities": entities,
        "relations": relations,
        "co_mentions": co_mentions,
    }


def extractions_jsonl(extractions: list[Extraction]) -> bytes:
    """Every document's record, one per line, as UTF-8 bytes."""
    return records_jsonl([extraction_record(ex) for ex in extractions])


def records_jsonl(records: list[dict[str, Any]]) -> bytes:
    """Records (extraction_record's), one per line, as UTF-8 bytes."""
    return "".join(_line(r) for r in records).encode("utf-8")


def _line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False) + "\n"


def report_json(report: Report) -> str:
    """The build report as JSON: every input and what became of it."""
    data = {
        "inputs": [
            {"path": r.path, "status": str(r.status), "reason": r.reason or None, "doc_id": r.doc_id}
            for r in report.inputs
        ],
        "documents": len(report.built),
        "duplicates": len(report.duplicates),
        "rejected": len(report.rejected),
        "entities": report.entity_counts,
        "relations": report.relation_counts,
        "unlinked_places": [{"doc_id": doc_id, "name": name} for doc_id, name in report.unlinked_places],
        "html": report.html,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
