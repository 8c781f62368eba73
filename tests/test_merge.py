"""One IRI per entity across documents."""

from __future__ import annotations

import pytest

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


@pytest.mark.parametrize(
    "texts, names",
    [
        # a park's short and full forms
        ({"a": "9月2日,市委书记周铁根到徐州经开区调研。", "b": "徐州经济技术开发区举行项目签约仪式。"},
         ("徐州经济技术开发区", "徐州经开区")),
        # a place's short form and full name
        ({"a": "镇江市召开工业园区整合优化工作会议。", "b": "镇江高新区位于镇江。市长到镇江调研。"}, ("镇江市",)),
        # a bare zone in a city's article is that city's zone
        ({"a": "徐州经济技术开发区举行项目签约仪式。", "b": "徐州市委书记庄兆林到经开区调研,要求经开区当好排头兵。"},
         ("徐州经济技术开发区", "经开区")),
        # a city's 市 before a park's name
        ({"a": "徐州市经济技术开发区举行项目签约仪式。", "b": "徐州经济技术开发区召开大会。"},
         ("徐州经济技术开发区", "徐州市经济技术开发区")),
    ],
)  # fmt: skip
def test_merge_forms_of_one_entity_share_an_iri(tmp_path, texts, names):
    result = _build(tmp_path, texts)
    assert len(set().union(*(_ids(result, name) for name in names))) == 1


def test_merge_iris_do_not_depend_on_order_or_other_documents(tmp_path):
    one = kg.extract(Article("a", "a", "市委书记周铁根到徐州经济技术开发区调研。"))
    two = kg.extract(Article("b", "b", "丹徒区委书记到镇江高新区调研。"))
    from kg.merge import merge

    first = {e.name: e.id for ex in merge([one], "https://x.org/") for e in ex.entities}
    both = {e.name: e.id for ex in merge([two, one], "https://x.org/") for e in ex.entities}
    assert all(both[name] == iri for name, iri in first.items())


def test_merge_persons_only_within_a_city(tmp_path):
    result = _build(
        tmp_path,
        {
            "a": "信阳市市长助理、信阳工业城党委书记王勇出席签约仪式。",
            "b": "信阳市召开会议,信阳工业城党委书记王勇主持。",
            "c": "嘉兴市副市长王勇到嘉兴经济技术开发区调研。",
        },
    )
    by_doc = {ex.article.doc_id: {e.id for e in ex.entities if e.name == "王勇"} for ex in result.extractions}
    assert by_doc["a"] == by_doc["b"]
    assert by_doc["a"].isdisjoint(by_doc["c"])


def test_merge_unresolvable_place_stays_unlinked_and_is_reported(tmp_path):
    result = _build(
        tmp_path,
        {
            "nanjing": "南京市委书记到鼓楼区调研工业园区建设。",
            "nowhere": "区委书记在鼓楼区调研工业园区建设情况,强调要加快发展。",
        },
    )
    codes = {ex.article.doc_id: {e.code for e in ex.entities if e.name == "鼓楼区"} for ex in result.extractions}
    assert codes == {"nanjing": {"320106000000"}, "nowhere": {None}}
    assert result.report.unlinked_places == (("nowhere", "鼓楼区"),)


def test_merge_adding_articles_never_changes_an_existing_iri(tmp_path):
    from .conftest import EXAMPLES, SHARED

    first = kg.build([EXAMPLES], tmp_path / "a", kg.BuildOptions(html=False))
    more = [EXAMPLES]
    if (SHARED / "data" / "dev" / "articles").is_dir():
        more.append(SHARED / "data" / "dev" / "articles")
    second = kg.build(more, tmp_path / "b", kg.BuildOptions(html=False))
    before = {(ex.article.doc_id, e.name): e.id for ex in first.extractions for e in ex.entities}
    after = {(ex.article.doc_id, e.name): (e.id, e.same_as) for ex in second.extractions for e in ex.entities}
    for key, iri in before.items():
        new_iri, same_as = after[key]
        assert iri == new_iri or iri in same_as, key
