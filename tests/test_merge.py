"""One IRI per entity across documents."""

from __future__ import annotations

import kg
from kg.model import Article


def _build(tmp_path, texts: dict[str, str]):
    src = tmp_path / "in"
    src.mkdir()
    for name, text in texts.items():
        (src / f"{name}.txt").write_text(text, encoding="utf-8")
    return kg.build([src], tmp_path / "out", kg.BuildOptions(html=False))


def _ids(result, name):
    return {e.id for ex in result.extractions for e in ex.entities if name in (e.name, *e.aliases)}


def test_merge_short_and_full_park_names_share_an_iri(tmp_path):
    result = _build(
        tmp_path,
        {
            "a": "9月2日,市委书记周铁根到徐州经开区调研。",
            "b": "徐州经济技术开发区举行项目签约仪式。",
        },
    )
    assert len(_ids(result, "徐州经济技术开发区") | _ids(result, "徐州经开区")) == 1


def test_merge_place_short_form_and_full_name_share_an_iri(tmp_path):
    result = _build(
        tmp_path,
        {
            "a": "镇江市召开工业园区整合优化工作会议。",
            "b": "镇江高新区位于镇江。市长到镇江调研。",
        },
    )
    assert len(_ids(result, "镇江市")) == 1


def test_merge_iris_do_not_depend_on_order_or_other_documents(tmp_path):
    one = kg.extract(Article("a", "a", "市委书记周铁根到徐州经济技术开发区调研。"))
    two = kg.extract(Article("b", "b", "丹徒区委书记到镇江高新区调研。"))
    from kg.merge import merge

    first = {e.name: e.id for ex in merge([one], "https://x.org/") for e in ex.entities}
    both = {e.name: e.id for ex in merge([two, one], "https://x.org/") for e in ex.entities}
    assert all(both[name] == iri for name, iri in first.items())
