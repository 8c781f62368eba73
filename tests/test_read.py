"""Reading whatever a crawler brings back: every input built, a duplicate, or rejected with a reason."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.read import MAX_INPUT_BYTES, declared_charset, decode, read_inputs

CORPUS = Path(__file__).parent / "corpus"


@pytest.fixture(scope="module")
def bad_corpus(tmp_path_factory) -> Path:
    """tests/corpus plus what git should not hold: a 10 MB page, a symlink loop, a broken link."""
    root = tmp_path_factory.mktemp("bad") / "corpus"
    shutil.copytree(CORPUS, root)
    big = (
        "<html><body><article><p>"
        + "徐州经济技术开发区。" * (10 * 1024 * 1024 // 30 + 1)
        + "</p></article></body></html>"
    )
    (root / "huge.html").write_text(big, encoding="utf-8")
    (root / "nested").mkdir()
    (root / "nested" / "loop").symlink_to("..", target_is_directory=True)
    (root / "dangling.txt").symlink_to("nowhere.txt")
    return root


@pytest.fixture(scope="module")
def bad_build(bad_corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("bad-out")
    result = CliRunner().invoke(main, ["build", str(bad_corpus), "-o", str(out)])
    return result, out, json.loads((out / "report.json").read_text(encoding="utf-8"))


def test_read_bad_corpus_builds_in_one_run_without_traceback(bad_build):
    result, out, report = bad_build
    assert result.exit_code == 0, result.output
    assert result.exception is None
    assert "Traceback" not in result.output
    assert report["documents"] >= 9


def test_read_bad_corpus_accounts_for_every_file(bad_build, bad_corpus):
    _, _, report = bad_build
    reported = {r["path"].split(".jsonl:")[0] + (".jsonl" if ".jsonl:" in r["path"] else "") for r in report["inputs"]}
    on_disk = set()
    for root, dirs, files in os.walk(bad_corpus):
        dirs[:] = [d for d in dirs if not Path(root, d).is_symlink()]
        on_disk |= {str(Path(root, f)) for f in files}
    assert on_disk <= reported
    # and the terminal shows the same, one line each
    for r in report["inputs"]:
        if r["status"] != "built":
            assert f"{r['status']} {r['path']}: {r['reason']}" in bad_build[0].stderr


@pytest.mark.parametrize(
    "name, status, reason",
    [
        ("empty.txt", "rejected", "empty file"),
        ("whitespace.txt", "rejected", "empty file"),
        ("binary.txt", "rejected", "binary file, not text"),
        ("image.png", "rejected", "not an article file (.txt, .html, .htm, .jsonl)"),
        ("huge.html", "rejected", f"too large (10 MB, limit {MAX_INPUT_BYTES // 1024 // 1024} MB)"),
        ("no-article.html", "rejected", "no article text (a short note, nothing found in it)"),
        ("dangling.txt", "rejected", "broken symlink or symlink loop"),
        ("gbk.txt", "duplicate", "duplicate of {root}/duplicate-of-gbk.txt"),
        ("crawl.jsonl:3", "rejected", "record has no html or text"),
        ("crawl.jsonl:4", "rejected", "record has no url"),
        ("gbk-meta.html", "built", None),
        ("big5.txt", "built", None),
        ("utf16.txt", "built", None),
        ("mixed.txt", "built", None),
        ("invalid-bytes.txt", "built", None),
        ("truncated.html", "built", None),
        ("crawl.jsonl:1", "built", None),
        ("crawl.jsonl:2", "built", None),
    ],
)
def test_read_bad_corpus_outcome(bad_build, bad_corpus, name, status, reason):
    _, _, report = bad_build
    (record,) = [r for r in report["inputs"] if r["path"] == str(bad_corpus / name)]
    assert record["status"] == status
    assert record["reason"] == (reason.format(root=bad_corpus) if reason else None)


def test_read_symlink_loop_is_reported_not_followed(bad_build, bad_corpus):
    _, _, report = bad_build
    (loop,) = [r for r in report["inputs"] if r["path"] == str(bad_corpus / "nested" / "loop")]
    assert loop["reason"] == f"symlink loop: the folder was already read as {bad_corpus}"


@pytest.mark.parametrize(
    "name, expected",
    [
        ("gbk-meta.html", "市委书记戴源在盐城经济技术开发区调研"),
        ("big5.txt", "市长徐曙海在镇江高新区调研"),
        ("utf16.txt", "泰州海陵工业园区位于泰州市海陵区"),
        ("mixed.txt", "开封综合保税区封关运行"),
        ("invalid-bytes.txt", "嘉兴经济技术开发区召开全区领导干部会议。市委常委连小敏"),
        ("truncated.html", "湛江经济技术开发区与广东碧辉眼镜有限公司签约"),
    ],
)
def test_read_decodes_every_encoding(bad_build, name, expected):
    _, out, report = bad_build
    doc_id = Path(name).stem
    assert expected in (out / "text" / f"{doc_id}.txt").read_text(encoding="utf-8")


def test_read_crawl_export_records_get_ids_from_their_urls(bad_corpus):
    articles, _ = read_inputs([bad_corpus / "crawl.jsonl"])
    by_source = {a.source: a for a in articles}
    first = by_source["https://news.example.cn/a/1.html"]
    assert first.doc_id == "url-" + __import__("hashlib").sha1(first.source.encode()).hexdigest()[:16]
    assert first.title == "来宾市象州县工业园区调研" and first.date == "2023-11-12"
    assert "开封综合保税区封关运行" in by_source["https://news.example.cn/a/2.html"].text


def test_read_a_url_crawled_back_to_its_first_text_is_built_not_a_duplicate(tmp_path):
    first = "徐州经济技术开发区今年新签约项目32个,总投资210亿元。园区管委会表示将加快项目建设。"
    second = "徐州经济技术开发区今年新签约项目35个,总投资230亿元。园区管委会表示将加快项目建设。"
    crawls = [{"url": "https://news.example.cn/a/9.html", "text": text} for text in (first, second, first)]
    (tmp_path / "crawl.jsonl").write_text("".join(json.dumps(c) + "\n" for c in crawls), encoding="utf-8")
    articles, records = read_inputs([tmp_path / "crawl.jsonl"])
    assert [r.status for r in records] == ["superseded", "superseded", "built"]
    assert [a.text for a in articles] == [first]


def test_read_meta_charset_is_honoured_only_when_right():
    page = '<meta charset="gbk"><p>徐州经济技术开发区</p>'.encode("gbk")
    assert declared_charset(page) == "gbk"
    assert "徐州经济技术开发区" in decode(page, "p.html", "gbk")
    big5 = "鎮江高新區管理委員會".encode("big5")
    assert decode(big5, "p.html", "gbk") != "" and "鎮江" in decode(big5, "p.html", "big5")


def test_read_publication_dates(tmp_path):
    (tmp_path / "a.txt").write_text(
        "徐曙海调研工业园区整合优化工作\nadmin1年前 (2024-09-24)镇江产业信息40\n"
        "市长徐曙海到镇江新区调研工业园区整合优化工作。",
        encoding="utf-8",
    )
    (tmp_path / "b.txt").write_text(
        "集中力量加快工业园区建设\n2022-10-11 08:10 来源:湛江日报\n市长曾进泽到雷州经开区调研工业园区建设情况。",
        encoding="utf-8",
    )
    articles, _ = read_inputs([tmp_path])
    assert [a.date for a in articles] == ["2024-09-24", "2022-10-11"]


def test_read_teasers_are_documents_of_their_own_only_when_asked():
    from .conftest import EXAMPLES

    seed = EXAMPLES / "002_ddb7c0c2af455e1b.txt"
    plain, _ = read_inputs([seed])
    with_teasers, records = read_inputs([seed], keep_teasers=True)
    assert len(plain) == 1 and with_teasers[0] == plain[0]  # the parent is untouched
    teasers = with_teasers[1:]
    assert [t.doc_id for t in teasers] == [f"002_ddb7c0c2af455e1b~teaser{n}" for n in range(1, len(teasers) + 1)]
    assert any(t.title == "【泰州】泰州滨江工业园区项目招引建设会议吹响新年“出征”号角" for t in teasers)
    assert all("泰州滨江工业园区连续三年" not in plain[0].text for t in teasers)
    assert len(records) == len(with_teasers)
