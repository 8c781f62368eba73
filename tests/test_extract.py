"""The rules, which propose what the models judge, pinned on short real sentences; the offset invariant.

`_extract` runs the rules alone (kg.extract.extract_by_rules): what they find
becomes the candidates and features of the fitted models, whose own figures
test_train.py and test_score.py pin.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg import extract, lac
from kg.extract import analyse, extract_by_rules, find_entities, pairs, relation_view
from kg.extract.candidates import propose
from kg.extract.heads import with_heads
from kg.extract.models import shipped_models
from kg.extract.tagger import EntityTagger
from kg.extract.text import Text
from kg.model import Article, EntityType, Mention, Relation, RelationType
from kg.normalize import canonical
from kg.read import read_inputs

from .conftest import EXAMPLES, SHARED


def _extract(sentence: str):
    return extract_by_rules(Article("t", "t.txt", sentence))


def _names(ex, etype):
    return sorted(e.name for e in ex.entities if e.type is etype)


def _relations(ex, rtype):
    name = {e.key: e.name for e in ex.entities}
    return sorted((name[r.head], name[r.tail], r.title) for r in ex.relations if r.type == rtype)


@pytest.mark.parametrize(
    "sentence, park",
    [
        ("8月7日上午,市委书记庄兆林到徐州经济技术开发区调研。", "徐州经济技术开发区"),
        ("11月12日,县委书记张东带队到象州县工业园区开展调研工作。", "象州县工业园区"),
        ("泰州海陵工业园区首次挺进二十强。", "泰州海陵工业园区"),
        ("省级以下工业园区整合优化工作。", None),  # a counted kind, no name
    ],
)
def test_extract_parks(sentence, park):
    assert _names(_extract(sentence), EntityType.PARK) == ([park] if park else [])


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("8月7日上午,市委书记庄兆林到徐州经济技术开发区调研。", ("庄兆林", "徐州市", "市委书记")),
        ("开封市委书记高建军出席仪式。", ("高建军", "开封市", "市委书记")),
        ("王伟市场部的同事参加。", None),  # 市 inside 市场 is no post
        # a bare 市长 after a named city's title in one chain is that city's, not the article's (a002)
        (
            "河北省发改委主任到深圳园考察调研。保定市委副书记、市长郭建英陪同。",
            ("郭建英", "保定市", "市委副书记、市长"),
        ),
        # a provincial title holds a post in the province of the article's city, named or not
        ("8月7日,副省长王刚到太原经济技术开发区调研。", ("王刚", "山西省", "副省长")),
    ],
)
def test_extract_holds_post(sentence, expected):
    posts = _relations(_extract(sentence), "holds_post")
    assert posts == ([expected] if expected else [])


def test_extract_a_post_in_a_province_the_article_does_not_name():
    ex = _extract("8月7日上午,省委书记许昆林、市长王剑锋到徐州经济技术开发区调研,在园区内的徐州工程机械集团察看生产。")
    assert ("许昆林", "江苏省", "省委书记") in _relations(ex, "holds_post")
    province = next(e for e in ex.entities if e.name == "江苏省")
    assert province.mentions == () and province.level == "province"
    # an implied place ends only posts: nothing is located in it, no one visits it
    assert all(r.tail != province.key for r in ex.relations if r.type != "holds_post")


def test_extract_a_banner_title_is_a_post_in_the_one_banner_the_article_names():
    # a010: 旗委书记 is a county-level post, in 鄂托克旗 (the article's county is not inferred)
    ex = _extract("鄂托克旗新能源材料项目开工。旗委书记曹文清,旗委副书记、政府旗长王国泉出席。")
    assert _relations(ex, "holds_post") == [
        ("曹文清", "鄂托克旗", "旗委书记"),
        ("王国泉", "鄂托克旗", "旗委副书记、政府旗长"),
    ]


def test_extract_visit_subject_carried_across_a_list():
    ex = _extract(
        "11月12日,县委书记张东带队到象州县工业园区开展调研工作。"
        "张东一行先后到三江口森林工业城、广西金福华实业有限公司、广西彼翔电器有限公司调研。"
    )
    visited = {tail for head, tail, _ in _relations(ex, "visited") if head == "张东"}
    assert {"广西金福华实业有限公司", "广西彼翔电器有限公司"} <= visited


def test_extract_visit_is_the_visitors_not_the_hosts():
    # a002, b043: the local leader named last before the verb accompanies (陪同); the visit is the guest's
    ex = _extract(
        "省长楼阳生到太原经济技术开发区调研。市委书记罗清宇陪同调研。楼阳生在市长耿彦波陪同下考察了山西同方知网公司。"
    )
    visitors = {head for head, _, _ in _relations(ex, "visited")}
    assert visitors == {"楼阳生"}


def test_extract_company_suffixes():
    ex = _extract("张东在广西金福华实业有限公司调研。")
    assert _names(ex, EntityType.COMPANY) == ["广西金福华实业有限公司"]


_places = st.sampled_from(["徐州", "镇江市", "泰州", "湛江", "开封市", "丹徒区"])
_titles = st.sampled_from(["市委书记", "市长", "副市长", "党工委书记", "区委常委"])
_names_st = st.sampled_from(["庄兆林", "徐曙海", "王鹤", "曾进泽", "高建军"])
_parks = st.sampled_from(["经济技术开发区", "高新区", "经开区", "工业园区", "综合保税区"])
_verbs = st.sampled_from(["调研", "考察", "检查"])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(_places, _titles, _names_st, _places, _parks, _verbs), min_size=1, max_size=4))
def test_extract_mentions_point_at_the_entity_text(sentences):
    text = "".join(f"{p}{t}{n}到{q}{k}{v}。" for p, t, n, q, k, v in sentences)
    ex = extract(Article("t", "t.txt", text))
    for e in ex.entities:
        for start, end in e.mentions:
            assert text[start:end] in (e.name, *e.aliases)
    for r in ex.relations:
        assert text[r.evidence_span[0] : r.evidence_span[1]] == r.evidence


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.txt")), ids=lambda p: p.stem[:3])
def test_extract_mentions_point_at_the_entity_text_in_every_seed(path):
    (article,), _ = read_inputs([path])
    ex = extract(article)
    for e in ex.entities:
        for start, end in e.mentions:
            assert article.text[start:end] in (e.name, *e.aliases), e


# Each rule, on a short real sentence from the seeds or the dev set, with near misses.


@pytest.mark.parametrize(
    "sentence, etype, expected",
    [
        # park suffixes, full and short forms, city prefixes, zones in zones
        ("龙岩经开区(高新区)管理体制机制调整宣布会议召开。", EntityType.PARK, ["龙岩经开区"]),
        ("泰州海陵工业园区首次挺进二十强。", EntityType.PARK, ["泰州海陵工业园区"]),
        ("广前研学基地正式开园,市政府印发激励工业园区发展的措施。", EntityType.PARK, []),  # verb|kind
        (
            "在镇江新区,徐曙海先后前往位于丁卯街道的鑫鼎茂工业园和位于大港街道的智能智造产业园调研。",
            EntityType.PARK,
            ["智能智造产业园", "鑫鼎茂工业园", "镇江新区"],
        ),
        ("推动十四五发展和现代化建设强势开局。", EntityType.ORGANIZATION, []),  # 开局 is no 局
        ("构筑起全市党员干部能力提升的系统闭环。", EntityType.ORGANIZATION, []),  # 干部 is no 部
        ("市工业和信息化局负责人汇报了工作。", EntityType.ORGANIZATION, ["市工业和信息化局"]),
        ("开封市委书记高建军,郑州海关副关长、党委委员唐诗婷出席。", EntityType.ORGANIZATION, ["郑州海关"]),
        # companies by suffix; projects by 项目 and by a list the sentence calls projects
        ("张东在广西金福华实业有限公司调研。", EntityType.COMPANY, ["广西金福华实业有限公司"]),
        # the word before the suffix is the business, verb or not; 以及 ends a list item (train b004)
        (
            "刘奇先后到江西合力泰科技有限公司、江西木林森照明有限公司以及金鸡湖新区调研。",
            EntityType.COMPANY,
            ["江西合力泰科技有限公司", "江西木林森照明有限公司"],
        ),
        ("刘奇先后到江西木林森照明有限公司以及金鸡湖新区调研。", EntityType.PARK, ["金鸡湖新区"]),
        (
            "庄兆林先后到复星医药生物制剂与高端医疗器械项目、晶凯存储芯片封装一期项目等处调研。",
            EntityType.PROJECT,
            ["复星医药生物制剂与高端医疗器械项目", "晶凯存储芯片封装一期项目"],
        ),
        ("全市抓产业抓项目取得了显著成效。", EntityType.PROJECT, []),  # generic
    ],
)
def test_extract_entity_rules(sentence, etype, expected):
    assert _names(_extract(sentence), etype) == sorted(expected)


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # a chain of titles before one name is one post, titled as the text chains them
        (
            "镇江市召开园区整合会议。市委常委、常务副市长郭建,市政府秘书长马国进参加调研。",
            [("郭建", "市委常委、常务副市长"), ("马国进", "市政府秘书长")],
        ),
        # a byline: the reporter holds a post at the medium
        (
            "2022-10-11 08:10 来源:湛江日报 作者:记者文秋华 见习记者范子华\n市长曾进泽到雷州调研。",
            [("文秋华", "记者"), ("曾进泽", "市长"), ("范子华", "见习记者")],
        ),
    ],
)
def test_extract_title_chains_and_bylines(sentence, expected):
    posts = sorted((head, title) for head, _, title in _relations(_extract(sentence), "holds_post"))
    assert posts == sorted(expected)


@pytest.mark.parametrize(
    "text, persons, officials",
    [
        # every name a press title lists is a person (train b013), and 报道 ends a name
        ("人民网旧金山3月29日电(记者罗华、邓圩、刘慧)美国加州", ["刘慧", "罗华", "邓圩"], []),
        ("记者 麦凯 通讯员 李璇报道", ["李璇", "麦凯"], []),
        # heads of associations and companies are persons, not officials (guidelines, "Official")
        ("上海企联会长胡茂元感谢宁波市领导。", ["胡茂元"], []),
        ("与月星集团董事局主席丁佐宏会商。", ["丁佐宏"], []),
        ("太原市政协主席罗清宇一行来调研。", [], ["罗清宇"]),
    ],
)
def test_extract_persons_and_officials_by_their_titles(text, persons, officials):
    ex = _extract(text)
    assert _names(ex, EntityType.PERSON) == persons
    assert _names(ex, EntityType.OFFICIAL) == officials


def test_extract_attendee_list_are_officials():
    ex = _extract("8月23日,与会人员在市委书记戴源带领下观摩。曹路宝主持推进会,李驰、陈红红、王荣等参加。")
    assert {"李驰", "陈红红", "王荣", "戴源"} <= set(_names(ex, EntityType.OFFICIAL))


def test_extract_located_in_from_a_location_verb():
    ex = _extract("据了解,清华产业园位于电子产业园内,占地约340亩。信阳市产业集聚区电子产业园建设启动。")
    assert ("清华产业园", "信阳市产业集聚区电子产业园", None) in _relations(ex, "located_in")


def test_extract_signed_with_in_a_signing_sentence():
    ex = _extract("仪式上,信阳工业城招商局与深圳欧莱华投资有限公司就清华产业园项目签订了入驻协议。")
    pairs = {frozenset((h, t)) for h, t, _ in _relations(ex, "signed_with")}
    assert frozenset(("信阳工业城招商局", "深圳欧莱华投资有限公司")) in pairs


@pytest.mark.parametrize(
    "text, published, expected",
    [
        ("10月10日下午,市长曾进泽到雷州调研工业园区建设情况。", "2022-10-11", "2022-10-10"),
        ("8月23日至24日,全市产业园区项目载体建设现场推进会召开。", "2019-08-26", "2019-08-23"),
        ("12月30日,市长到高新区调研。", "2023-01-04", "2022-12-30"),  # the year before publication
        ("8月7日上午,市委书记庄兆林到徐州经济技术开发区调研。", None, None),  # no year to be had
        ("2017年8月8日上午,龙岩经开区召开会议。", None, "2017-08-08"),
    ],
)
def test_extract_event_dates(text, published, expected):
    from kg.extract.dates import event_date

    assert event_date(text, len(text), published) == expected


def test_extract_appointment_notice_gives_posts_at_each_body():
    ex = _extract(
        "今天上午,嘉兴经济技术开发区召开全区领导干部会议。"
        "提名盛付祥同志任嘉兴经济技术开发区管理委员会、嘉兴高新技术产业园区管理委员会主任。"
    )
    assert "盛付祥" in _names(ex, EntityType.OFFICIAL)
    posts = {(tail, title) for head, tail, title in _relations(ex, "holds_post") if head == "盛付祥"}
    assert posts == {("嘉兴经济技术开发区", "主任"), ("嘉兴高新技术产业园区", "主任")}


@pytest.mark.parametrize(
    "text, medium",
    [
        ("中国网财经7月3日讯(记者 曹中原)7月3日上午,开封综合保税区封关运行。", "中国网财经"),
        ("东南网龙岩8月9日讯 据闽西新闻网报道 8月8日上午,龙岩经开区召开会议。", "东南网"),
    ],
)
def test_extract_medium_from_the_dateline(text, medium):
    assert medium in _names(_extract(text), EntityType.ORGANIZATION)


def test_extract_no_person_where_a_surname_opens_a_common_word():
    ex = _extract("从全市干部工作大局和经济技术开发区领导班子建设实际出发。")
    assert _names(ex, EntityType.OFFICIAL) == [] and _names(ex, EntityType.PERSON) == []


def test_extract_entering_projects_are_in_the_park_the_sentence_names():
    ex = _extract(
        "在此次仪式上,广州澳猫开封跨境电商产业园、中印医药医疗生产分拨中心等涵盖保税加工、保税维修的"
        "12个首批入驻项目集中签约,开封综合保税区将成为开封对外开放的新窗口。"
    )
    located = {(h, t) for h, t, _ in _relations(ex, "located_in")}
    assert ("中印医药医疗生产分拨中心", "开封综合保税区") in located


def test_extract_companies_are_only_in_the_park_the_text_names():
    ex = _extract(
        "信阳市产业集聚区电子产业园建设启动。清华产业园位于电子产业园内,深圳市乐立电气有限公司将抱团入驻清华产业园。"
    )
    located = {(h, t) for h, t, _ in _relations(ex, "located_in")}
    assert ("深圳市乐立电气有限公司", "清华产业园") in located
    assert ("深圳市乐立电气有限公司", "信阳市产业集聚区电子产业园") not in located


@pytest.mark.parametrize(
    "sentence, etype, expected",
    [
        # a tender number glued before a name
        (
            "JSJF06-HLG2022108江苏泰州海陵工业园区管理委员会微型空气监测站建设。",
            EntityType.PARK,
            ["江苏泰州海陵工业园区"],
        ),
        # an address before a company
        (
            "地址:泰州市海陵区北马社区居民委员会6楼江苏建发建设项目咨询有限公司。",
            EntityType.COMPANY,
            ["江苏建发建设项目咨询有限公司"],
        ),
        # an institute inside a company's name is the company
        ("泰州科聚新材料技术研究院有限公司落户泰州滨江工业园区。", EntityType.ORGANIZATION, []),
        ("当好园区发展排头兵。", EntityType.PARK, []),  # an adverb names no park
    ],
)
def test_extract_name_edges_from_page_debris(sentence, etype, expected):
    assert _names(_extract(sentence), etype) == expected


def test_extract_a_city_body_made_of_generic_words():
    ex = _extract("湛江市成立市工业园区开发建设指挥部,制定全市工业园区年度计划。")
    assert _names(ex, EntityType.ORGANIZATION) == ["市工业园区开发建设指挥部"]


def test_extract_no_company_from_a_parks_project_or_a_place_word():
    ex = _extract("日前,信阳市产业集聚区清华产业园项目签约仪式举行。徐启方先后来到九州物流中心、荣氏饮品等企业和项目。")
    assert "清华" not in _names(ex, EntityType.COMPANY) and "九州" not in _names(ex, EntityType.COMPANY)


def test_extract_short_form_after_a_named_park_is_an_alias():
    ex = _extract("日前,信阳市产业集聚区清华产业园项目签约仪式举行。双方就清华产业园项目签订了入驻协议。")
    projects = [e for e in ex.entities if e.type is EntityType.PROJECT]
    assert [(e.name, e.aliases) for e in projects] == [("信阳市产业集聚区清华产业园项目", ("清华产业园项目",))]


def test_extract_title_chain_with_bodies_between_titles():
    ex = _extract("信阳市产业集聚区建设启动。副市长张明春,市长助理、信阳工业城党委书记、主任王勇出席签约仪式。")
    posts = {(tail, title) for head, tail, title in _relations(ex, "holds_post") if head == "王勇"}
    assert posts == {("信阳市", "市长助理"), ("信阳工业城", "党委书记、主任")}


@pytest.mark.parametrize(
    ("name", "company"),
    [
        ("复星医药生物制剂与高端医疗器械项目", "复星医药"),  # seed
        ("中联重科农机出口", "中联重科"),  # dev d03
        ("广州澳猫开封跨境电商产业园", "广州澳猫"),  # dev d03
        ("晶凯存储芯片封装一期项目", "晶凯"),  # seed
    ],
)
def test_the_head_model_ends_the_company_opening_a_project_name_at_its_brand(name, company):
    # The shipped head model (heads.py) picks where the brand ends; the entity model then judges it.
    t = Text(name + "开工。")
    project = Mention(EntityType.PROJECT, 0, len(name), name, confidence=0.9, origin="rules")
    found = with_heads(t, lac.char_tags(t.text), [project], shipped_models().heads)
    assert [m.text for m in found if m.type is EntityType.COMPANY] == [company]


def test_extract_company_that_opens_a_project_name_invests_in_it():
    ex = extract(
        Article("t", "t.txt", "在此次仪式上,广州澳猫开封跨境电商产业园、中联重科农机出口等12个首批入驻项目集中签约。")
    )
    names = {e.key: e.name for e in ex.entities}
    assert ("中联重科", "中联重科农机出口") in {
        (names[r.head], names[r.tail]) for r in ex.relations if r.type is RelationType.INVESTS_IN
    }


def test_extract_no_company_opens_a_project_named_by_its_output():
    ex = extract(Article("t", "t.txt", "总投资50亿元的年产20GW新型高效电池项目在丹徒区开工。"))
    assert not [e.name for e in ex.entities if e.type is EntityType.COMPANY]


def test_extract_lists_a_clause_opens_as_projects_are_projects():
    ex = _extract("4个基础设施类项目分别是王家营立交改扩建、出口加工区北向交通改造、茶高山连接绕城高速段道路工程。")
    assert {"王家营立交改扩建", "出口加工区北向交通改造", "茶高山连接绕城高速段道路工程"} <= set(
        _names(ex, EntityType.PROJECT)
    )


def test_extract_a_list_after_a_comma_starts_at_the_comma():
    # The second list of the sentence: its first item opens the clause, with no verb before it.
    ex = _extract("包括金赛生长激素、长春信息谷创新中心等新建项目16个,欧亚城市汇集、越达产业园等续建项目28个。")
    assert {"欧亚城市汇集", "越达产业园"} <= set(_names(ex, EntityType.PROJECT))


def test_extract_a_company_named_in_a_list_of_projects_is_a_company():
    ex = _extract("今年以来,其先后引进国际半导体产业园、无锋科技、优必选等重点项目230个。")
    assert "无锋科技" in _names(ex, EntityType.COMPANY)


def test_extract_names_listed_after_a_title_share_it():
    # a043: 区领导黄红、吕轶、刘永华 — each of the three holds the post
    ex = _extract("重庆经开区召开大会,区领导黄红、吕轶、刘永华等出席开工仪式。")
    assert _names(ex, EntityType.OFFICIAL) == ["刘永华", "吕轶", "黄红"]
    assert [h for h, _, title in _relations(ex, "holds_post") if title == "区领导"] == ["刘永华", "吕轶", "黄红"]


def test_extract_an_autonomous_prefecture_by_its_short_form_and_its_posts():
    # a017: 延边州 is 延边朝鲜族自治州, and 州委书记 a post there; 省委常委 one in its province, never named
    ex = _extract("延边州举行春季项目集中开工活动。省委常委、州委书记胡家福出席。州委副书记、州长洪庆出席并讲话。")
    places = [e for e in ex.entities if e.type is EntityType.PLACE]
    assert [(e.name, e.aliases, bool(e.mentions)) for e in places] == [
        ("延边朝鲜族自治州", ("延边州",), True),
        ("吉林省", (), False),
    ]
    assert _relations(ex, "holds_post") == [
        ("胡家福", "吉林省", "省委常委"),
        ("胡家福", "延边朝鲜族自治州", "州委书记"),
    ]


def _full_and_short_parks(full: str, short: str) -> tuple[str, list[Mention]]:
    """A text naming the park `full`, then `short`, and the mentions of both."""
    text = f"{full}召开大会。{short}党工委书记出席。"
    at = text.index(short)
    return text, [Mention(EntityType.PARK, 0, len(full), full), Mention(EntityType.PARK, at, at + len(short), short)]


@pytest.mark.parametrize(
    "full, short",
    [("井冈山经开区", "井开区"), ("兰白科技创新改革试验区", "兰白试验区")],  # train b004, a031
)
def test_extract_a_short_form_that_leaves_characters_out_is_an_alias(full, short):
    from kg.extract.entities import group_mentions

    text, mentions = _full_and_short_parks(full, short)
    entities, _ = group_mentions(text, mentions)
    assert [(e.name, e.aliases) for e in entities] == [(full, (short,))]
    other = short[0] + "某" + short[1:]
    entities, _ = group_mentions(text, [*mentions, Mention(EntityType.PARK, 0, len(other), other)])
    assert len(entities) == 3  # two long names it could shorten: it stays a name of its own


@pytest.mark.parametrize(
    "full, short",
    [
        ("重庆经开区", "重庆开发区"),  # train a043: the general kind of the same name
        ("青海甘河工业园区", "甘河园区"),  # a035: a province before it, the general kind
        ("襄阳高新技术开发区", "襄阳市高新区"),  # b035: the city's 市, two spellings of one kind
        ("重庆经开区", "重庆开发区"),  # both of five characters: the spelt-out kind is the name either way
    ],
)
def test_extract_a_park_named_by_a_more_general_kind_or_with_its_city_is_an_alias(full, short):
    from kg.extract.entities import group_mentions

    text, mentions = _full_and_short_parks(full, short)
    entities, _ = group_mentions(text, mentions)
    assert [(e.name, e.aliases) for e in entities] == [(full, (short,))]


def test_extract_a_general_kind_two_parks_of_one_name_may_shorten_is_a_park_of_its_own():
    from kg.extract.entities import group_mentions

    text = "徐州经开区和徐州高新区召开大会。徐州开发区党工委书记出席。"
    mentions = [
        Mention(EntityType.PARK, text.index(n), text.index(n) + len(n), n)
        for n in ("徐州经开区", "徐州高新区", "徐州开发区")
    ]
    entities, _ = group_mentions(text, mentions)
    assert sorted((e.name, e.aliases) for e in entities) == [("徐州开发区", ()), ("徐州经开区", ()), ("徐州高新区", ())]


@pytest.mark.parametrize(
    "full, short",
    [
        ("长春高新区", "长春新区"),
        ("西安高新综合保税区", "西安高新区"),
        ("兰州新区职教园区", "兰州新区"),
    ],  # train a014, a026, a031
)
def test_extract_a_short_form_of_another_kind_of_park_is_another_park(full, short):
    from kg.extract.entities import group_mentions

    entities, _ = group_mentions(*_full_and_short_parks(full, short))
    assert sorted(e.name for e in entities) == sorted([full, short])


def test_extract_a_generic_park_name_listed_after_another_is_no_alias_of_it():
    # b002: 先进制造产业园 (generic words, a weak mention) follows 新型智造产业园 in a list; in
    # 龙岩经开区(高新区) the bracketed kind is the park's alias
    from kg.extract.entities import group_mentions

    for text, first, second, aliased in (
        ("调研了新型智造产业园、先进制造产业园等", "新型智造产业园", "先进制造产业园", False),
        ("龙岩经开区(高新区)召开大会", "龙岩经开区", "高新区", True),
    ):
        i, j = text.index(first), text.index(second, text.index(first) + len(first))
        mentions = [
            Mention(EntityType.PARK, i, i + len(first), first),
            Mention(EntityType.PARK, j, j + len(second), second, weak=True),
        ]
        entities, _ = group_mentions(text, mentions)
        assert ([(e.name, e.aliases) for e in entities] == [(first, (second,))]) is aliased


def test_a_place_and_its_de_opening_a_tagged_name_are_cut_off():
    from kg.extract.candidates import _after_place_of

    t = Text("徐曙海前往位于大港街道的智能智造产业园和徐州经开区调研")
    tagged = Mention(EntityType.PARK, 7, 19, t.text[7:19])
    assert tagged.text == "大港街道的智能智造产业园"
    assert _after_place_of(t, tagged).text == "智能智造产业园"
    plain = Mention(EntityType.PARK, 20, 25, t.text[20:25])
    assert _after_place_of(t, plain) is plain  # 徐州经开区 has no 的 to cut at
    ex = extract(Article("d", "d.txt", "在镇江新区,徐曙海先后前往位于大港街道的智能智造产业园调研。"))
    assert "智能智造产业园" in {e.name for e in ex.entities if e.type is EntityType.PARK}


class _EveryMarginal(EntityTagger):
    """A tagger that reads every label's marginal at every character, as tagging did before it read
    only where a proposal will be scored."""

    def tag(self, t, features, spans=()):
        return super().tag(t, features, [(0, len(t.text), etype) for etype in EntityType])


@pytest.mark.parametrize("path", [*sorted(EXAMPLES.glob("*.txt")), *sorted((SHARED / "data/dev/articles").glob("*"))])
def test_extract_proposals_are_scored_as_if_every_marginal_were_read(path):
    article = read_inputs([path])[0][0]
    a = analyse(article)
    tagger = shipped_models().tagger
    everywhere = _EveryMarginal(*tagger.model_bytes)
    lazily = propose(a.text, tagger, a.features, a.candidates, a.lac_tags)
    assert lazily == propose(a.text, everywhere, a.features, a.candidates, a.lac_tags)
    assert any(m.confidence for m in lazily)


def test_extract_a_project_named_with_and_without_its_xiangmu_is_one_project():
    # train a011: 中一东北国际医疗城项目 … 中一东北国际医疗城; a 项目 of four characters or fewer stays itself
    from kg.extract.entities import group_mentions

    text = "中一东北国际医疗城项目开工。中一东北国际医疗城总投资50亿元。"
    mentions = [
        Mention(EntityType.PROJECT, 0, 11, "中一东北国际医疗城项目"),
        Mention(EntityType.PROJECT, 14, 23, "中一东北国际医疗城"),
    ]
    entities, _ = group_mentions(text, mentions)
    assert [(e.name, e.aliases) for e in entities] == [("中一东北国际医疗城项目", ("中一东北国际医疗城",))]
    assert canonical("二期项目", EntityType.PROJECT) == "二期项目"


@pytest.mark.parametrize("first", [True, False])
def test_extract_a_brand_opening_a_company_name_is_its_alias(first):
    # train b032: 北汽福田汽车股份有限公司 … 北汽福田; not when two companies' names open with it
    from kg.extract.entities import group_mentions

    full, brand, other = "北汽福田汽车股份有限公司", "北汽福田", "北汽福田发动机有限公司"
    text = f"{full}签约。{brand}将投资建厂。" if first else f"{brand}将投资建厂。{full}签约。"
    at = text.index(full), text.index(f"{brand}将")
    mentions = [Mention(EntityType.COMPANY, i, i + len(n), n) for i, n in zip(at, (full, brand), strict=True)]
    entities, _ = group_mentions(text, mentions)
    assert [(e.name, e.aliases) for e in entities] == [(full, (brand,))]
    text += f"{other}落户。"
    mentions.append(Mention(EntityType.COMPANY, text.index(other), len(text) - 3, other))
    entities, _ = group_mentions(text, mentions)
    assert len(entities) == 3


def test_a_head_keeps_only_its_likeliest_relations_of_a_capped_type():
    def rel(rtype, head, tail, p):
        return Relation(rtype, head, tail, "", (0, 0), confidence=p)

    relations = [
        rel(RelationType.LOCATED_IN, "p", "a", 0.5),
        rel(RelationType.LOCATED_IN, "p", "b", 0.9),
        rel(RelationType.LOCATED_IN, "p", "c", 0.7),
        rel(RelationType.LOCATED_IN, "q", "a", 0.4),
        rel(RelationType.VISITED, "p", "a", 0.3),
        rel(RelationType.VISITED, "p", "b", 0.2),
    ]
    kept = pairs.likeliest_per_head(relations, {"located_in": 2})
    assert [(r.head, r.tail) for r in kept if r.type is RelationType.LOCATED_IN] == [("p", "b"), ("p", "c"), ("q", "a")]
    assert [r for r in kept if r.type is RelationType.VISITED] == relations[4:]
    assert pairs.likeliest_per_head(relations, {}) == relations


def test_extract_honours_the_models_caps_on_relations_per_head():
    article = read_inputs([EXAMPLES])[0][0]
    models = shipped_models()
    uncapped = extract(article, replace(models, most_per_head={}), min_confidence=0.05)
    capped = extract(article, replace(models, most_per_head={"located_in": 1}), min_confidence=0.05)
    per_head = Counter(r.head for r in capped.relations if r.type is RelationType.LOCATED_IN)
    assert per_head and max(per_head.values()) == 1
    assert len(capped.relations) < len(uncapped.relations)


def _as_the_relation_model_sees(text: str) -> pairs.ArticleView:
    """The article of `text` with the entities the shipped models find, as the pair features read it."""
    a = analyse(Article("t", "t.txt", text))
    return relation_view(a, find_entities(a, shipped_models()))[0]


def test_the_leaders_of_a_delegation_visit_what_it_visits():
    # train b026: the visitors are named once, before 率; later sentences say only 代表团
    view = _as_the_relation_model_sees(
        "7月23日至24日,安庆市委书记张祥安、市长张君毅率安庆市党政代表团来芜考察。芜湖市委书记单向前陪同。\n"
        "代表团考察美的厨卫电器制造有限公司的生产车间。"
    )
    assert sorted(view.entities[k].name for k in view.leaders) == ["张君毅", "张祥安"]
    assert [view.t.text[slice(*view.t.sentences[i])] for i in view.delegation_visits][-1].startswith("代表团考察")
    leader = next(k for k in view.leaders if k.endswith("张祥安"))
    company = next(k for k, e in view.entities.items() if e.type is EntityType.COMPANY)
    assert "head-leads-a-delegation&tail-in-its-visit" in pairs.pair_features(
        view, RelationType.VISITED, leader, company
    )


def test_a_title_before_a_list_of_persons_is_each_ones():
    # train a019: the twelfth name of the list stands 40 characters after its 省领导
    view = _as_the_relation_model_sees(
        "黑龙江省委副书记、省长王文涛参加调研并讲话。省领导黄建盛、陈海波、李海涛、王永康、王爱文、"
        "张雨浦、王兆力、贾玉梅、胡亚枫、程志明、聂云凌、沈莹,省军区领导杨杰参加调研和座谈。"
    )
    key = {e.name: k for k, e in view.entities.items()}
    start = view.list_start(view.mentions[key["沈莹"]][0].start)
    assert view.t.text[start - 3 : start] == "省领导"
    assert pairs._title(view, key["沈莹"], key["黑龙江省"]) == "省领导"
    features = pairs.pair_features(view, RelationType.HOLDS_POST, key["沈莹"], key["黑龙江省"])
    assert "post-clause-opens-at-province" in features
    # a name after a comma is not in the list: 杨杰's title is his own
    assert view.list_start(view.mentions[key["杨杰"]][0].start) == view.mentions[key["杨杰"]][0].start


def test_a_name_holding_a_count_is_no_name():
    # train b055's headline: seven parks of Jiangsu, counted, are not a park
    models = shipped_models()
    a = analyse(Article("t", "t.txt", "江苏7家国家级经开区综合发展水平跻身全国30强\n苏州工业园区位列第一。"))
    found = find_entities(a, models)
    counted = [e for e in found.entities if "7家" in e.name]
    assert counted and all("holds-a-count" in found.features[e.key] for e in counted)
    assert all("holds-a-count" not in found.features[e.key] for e in found.entities if "7家" not in e.name)
    assert all(e.confidence < models.min_confidence for e in counted)
    assert models.entities["Park"]["holds-a-count"] < 0
