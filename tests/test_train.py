"""Fitting the models: gold found in the text, reproducible fits, and cross-validated figures above floors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import kg
from kg import train
from kg.extract import tagger as tagging
from kg.extract.models import FILES, load_models
from kg.model import EntityType

from .conftest import SHARED

FLOORS = json.loads((Path(__file__).parent / "floors.json").read_text())
TRAIN = SHARED / "data" / "train"
needs_train = pytest.mark.skipif(not (TRAIN / "gold").is_dir(), reason="../shared/data/train is not beside the repo")

P, C, PARK = EntityType.PLACE, EntityType.COMPANY, EntityType.PARK


@pytest.mark.parametrize(
    "text, entities, outer, inner",
    [
        # a place inside a park's name is nested; the park's short form inside its own name is not
        (
            "徐州经开区召开大会,经开区负责人出席。",
            [("Park", "徐州经开区", ["经开区"]), ("Place", "徐州市", ["徐州"])],
            [(0, 5, PARK), (10, 13, PARK)],
            [(0, 2, P)],
        ),
        # a company opening a project's name is nested in it
        (
            "复星医药生物制剂项目开工。",
            [("Project", "复星医药生物制剂项目", []), ("Company", "复星医药", [])],
            [(0, 10, EntityType.PROJECT)],
            [(0, 4, C)],
        ),
        # of two names that cross, the longer wins: 苏州工业|园区 against 园区|软件与服务外包学院 (train b005)
        (
            "苏州工业园区软件与服务外包学院",
            [("Park", "苏州工业园区", []), ("Organization", "园区软件与服务外包学院", [])],
            [(4, 15, EntityType.ORGANIZATION)],
            [],
        ),
        (
            "新闻里没有这个名字。",
            [("Company", "东城控股集团", [])],
            [],
            [],
        ),
    ],
)
def test_train_gold_spans_outer_and_nested(text, entities, outer, inner):
    gold = {"entities": [{"type": t, "name": n, "aliases": a} for t, n, a in entities]}
    assert train.gold_spans(text, gold) == (tuple(outer), tuple(inner))


@pytest.fixture(scope="module")
def few_train_docs() -> list[train.Document]:
    """Eight training articles, analysed once."""
    articles = sorted((TRAIN / "articles").glob("*.txt"))[:8]
    return train.read_annotated(articles, TRAIN / "gold")


@needs_train
def test_train_fit_is_reproducible_and_round_trips(few_train_docs, tmp_path):
    first = train.fit(few_train_docs, seed=3)
    second = train.fit(few_train_docs, seed=3)
    assert first.to_files() == second.to_files()
    first.write(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(FILES)
    loaded = load_models(tmp_path)
    doc = few_train_docs[0]
    assert kg.extract(doc.article, loaded) == kg.extract(doc.article, first)


@needs_train
def test_a_tagger_fit_is_kept_in_the_cache_and_read_back(few_train_docs, tmp_path):
    docs = few_train_docs[:3]
    fresh = train._fit_tagger(docs, None)
    stored = train._fit_tagger(docs, None, tmp_path)
    [path] = tmp_path.iterdir()
    assert fresh.model_bytes == stored.model_bytes
    other = train._fit_tagger(docs[:2], None, tmp_path)  # other examples: another entry
    assert len(list(tmp_path.iterdir())) == 2 and other.model_bytes != fresh.model_bytes
    # what a fit of the same examples returns is the entry's, not a new fit
    path.write_bytes(tagging._pack(*other.model_bytes))
    assert train._fit_tagger(docs, None, tmp_path).model_bytes == other.model_bytes
    assert train._fit_tagger(docs, {"c1": 0.2}, tmp_path).model_bytes != other.model_bytes  # other settings


@needs_train
def test_train_cli_writes_models_that_build_reads(tmp_path):
    from click.testing import CliRunner

    from kg.cli import main

    src, gold = tmp_path / "articles", tmp_path / "gold"
    src.mkdir()
    gold.mkdir()
    for path in sorted((TRAIN / "articles").glob("*.txt"))[:6]:
        (src / path.name).write_bytes(path.read_bytes())
        (gold / f"{path.stem}.json").write_bytes((TRAIN / "gold" / f"{path.stem}.json").read_bytes())
    models, held_out = tmp_path / "models", tmp_path / "held-out.jsonl"
    result = CliRunner().invoke(
        main,
        ["train", str(src), "--gold", str(gold), "-o", str(models), "--folds", "2", "--jobs", "1",
         "--predictions", str(held_out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "2-fold cross-validation over 6 articles:" in result.stdout
    # the held-out predictions score as the cross-validation measured them
    scored = CliRunner().invoke(main, ["score", str(held_out), "--gold", str(gold)])
    assert scored.stdout.splitlines()[-1] == result.stdout.strip().splitlines()[-1]
    about = json.loads((models / "decisions.json").read_text(encoding="utf-8"))["about"]
    assert about["documents"] == 6 and about["cross_validation"]["folds"] == 2
    built = CliRunner().invoke(main, ["build", str(src), "-o", str(tmp_path / "out"), "--models", str(models)])
    assert built.exit_code == 0, built.output


def test_train_without_gold_for_any_article_is_one_line(tmp_path):
    from click.testing import CliRunner

    from kg.cli import main

    (tmp_path / "a.txt").write_text("徐州经济技术开发区召开大会,市委书记庄兆林出席并讲话。", encoding="utf-8")
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / "b.json").write_text('{"doc_id": "b", "entities": [], "relations": []}', encoding="utf-8")
    result = CliRunner().invoke(main, ["train", str(tmp_path / "a.txt"), "--gold", str(tmp_path / "gold")])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {tmp_path / 'gold'}: no gold file is named after an article read (<doc_id>.json)\n"
    )


@needs_train
def test_train_cross_validated_figures_above_floors():
    """5-fold cross-validation on the training articles, each fold fit on the other four only."""
    docs = train.read_annotated([TRAIN / "articles"], TRAIN / "gold")
    total = train.cross_validate(docs, 5, jobs=2).total
    assert total.entity_total.f1 >= FLOORS["cross_validated"]["entity_f1"]
    assert total.relation_total.f1 >= FLOORS["cross_validated"]["relation_f1"]
