"""Word lists of kinds, never of entities: suffixes, titles, verbs, surnames.

Each list is the general pattern a rule relies on; the comment beside it shows
a sentence it serves.
"""

from __future__ import annotations

import re

# --- Parks (guidelines, "Park"): the kind words a park's name ends with.
# Longest first, so that 高新技术产业开发区 wins over 开发区.
PARK_SUFFIXES = tuple(
    sorted(
        """综合保税区 保税区 保税港区 综保区 自由贸易试验区 自贸试验区 自贸区 经济技术开发区 经济开发区
        经开区 高新技术产业开发区 高新技术产业园区 高新技术产业园 高新区 开发区 新区 工业园区 工业园
        产业园区 产业园 科技园区 科技园 科技城 科学城 工业城 创意园 智造园 物流园区 物流园 化工园区
        产业集聚区 集聚区 示范区 商务区 合作区 试验区 片区 园区""".split(),
        key=len,
        reverse=True,
    )
)
# Short and full forms of one kind: 徐州经开区 = 徐州经济技术开发区.
PARK_ABBREVIATIONS = {
    "经开区": "经济技术开发区",
    "高新区": "高新技术产业开发区",
    "高新技术开发区": "高新技术产业开发区",
    "综保区": "综合保税区",
    "自贸区": "自由贸易试验区",
    "自贸试验区": "自由贸易试验区",
}
# A bare kind that names the one zone of its kind in the article's city
# (市长在高新区调研); other bare kinds (园区, 开发区, 新区) are generic.
PARK_NAMING_KINDS = frozenset({"经开区", "高新区", "综保区", "自贸区", "经济技术开发区"})
# Suffixes that only name a park when something names it first: 开封片区, not 片区.
PARK_WEAK_SUFFIXES = frozenset({"园区", "片区", "示范区", "商务区", "合作区", "试验区", "新区", "集聚区"})

# --- Companies: 徐州浩通新材料科技股份有限公司, 东城控股集团, 移动公司.
COMPANY_SUFFIXES = (
    "股份有限公司",
    "有限责任公司",
    "集团有限公司",
    "有限公司",
    "集团公司",
    "分公司",
    "集团",
    "公司",
    "银行",
)
# Words that continue a brand inside a company's name: 复星 + 医药, 中联 + 重科.
COMPANY_WORDS = ("医药", "重科", "重工", "控股", "科技", "电子", "电气", "股份", "实业", "集团", "新材料", "能源")

# --- Organizations: 市工业和信息化局, 省商务厅, 郑州海关, 湛江日报, 公安部.
ORGANIZATION_SUFFIXES = tuple(
    sorted(
        """管理委员会 委员会 指挥部 领导小组 海关 日报社 日报 晚报 报社 新闻网 电视台 广播电视台
        研究院 研究所 社科院 科学院 科协 协会 商会 学会 联合会 大学 学院 法院 检察院 办公室
        口岸办 招商办 政府办 局 厅 部 国务院""".split(),
        key=len,
        reverse=True,
    )
)
# One-character kinds (局, 厅, 部) end common words too (布局, 干部): the word
# jieba cuts there must be the kind alone, an organisation's name, or rare.
SINGLE_CHAR_KINDS = frozenset("局厅部")
COMMON_WORD_FREQUENCY = 1000
# Characters after 部 that make it part of a word: 部长, 部门, 部署, 部分.
NOT_AFTER_BU = "长门署分位件队委"
# Bodies too generic to be named entities: the bare 市委, 市政府 of the article's city,
# and their departments (组织部 of 市委组织部).
GENERIC_BODIES = frozenset(
    """市委 市政府 县委 县政府 区委 区政府 省委 省政府 党工委 管委会 市人大 市政协 市人大常委会 本报 我市
    局 厅 办 部 办公室 委员会 组织部 宣传部 统战部 政法委 纪委 监委""".split()
)

# --- Projects: …项目, and listed items a sentence calls projects.
# Words that make a name generic when nothing else is in it: 产业项目, 重特大项目.
# Words that open a mention without being part of a name: levels, scopes,
# determiners, stages (省级|经济开发区, 该|园区, 新建|项目). They are cut off.
HEAD_WORDS = frozenset(
    """重大 重点 重特大 在建 新建 续建 签约 入驻 首批 省级 国家级 市级 县级 以下 省级以下 全省 全市 全国 全区
    全县 全市域 各 各类 该 本 此 这 这些 其 一批 一个 多个 主要 相关 有关 部分 其他 所有 现有 兄弟 周边 当地
    属地 规上 我区 我市 我县 本区 本市 省 市 县 区 乡 镇 村""".split()
)
# Words that describe a kind of thing; a name made of nothing else is generic
# (生态园, 产业项目), but they stay in a name that has more (智能智造产业园).
GENERIC_WORDS = HEAD_WORDS | frozenset(
    """产业 招商 投资 建设 工业 人才 高层次 高层次人才 项目 现代 创新 特色 综合 新型 高质量 高水平 高标准 开发
    主城区 城区 中心区 城市 都市 载体 平台 农业 科技 智能 生态 产业化 整体 大型 小型 优质 低效 闲置 传统 数字
    合规 老旧 低层次 一流 千亿 百亿 万亩 亩均 上市 民营 国有 外资 子 母 分 企业 工业企业 配套 基础 设施 功能
    重要 试点 区域 示范 国际 国家 地方 园区 产业园 产业园区 工业园区 开发区""".split()
)
# Names that end so are descriptions, not names: 都市型工业园区, 花园式园区.
DESCRIPTIVE_ENDINGS = ("型", "式", "性", "化", "级", "类")
# Words that end items listed as projects: 九州物流中心, 左岸森林商业综合体.
FACILITY_ENDINGS = ("中心", "综合体", "基地", "工厂", "车间", "制造", "工程", "项目", "站", "馆", "广场", "出口")

# --- Where a name starts: words before it that are not part of it.
BOUNDARY_WORDS = tuple(
    sorted(
        """的 和 与 及 以及 或 同 跟 在 于 到 至 赴 从 向 对 把 将 被 由 让 给 是 为 以 了 着 过 并 而 也 都 还 又 再 就
        才 等 其 该 这 那 此 各 每 据 经 按照 根据 通过 围绕 依托 位于 落户 地处 入驻 进驻 前往 来到 走进 深入
        调研 考察 视察 观摩 走访 督导 督查 察看 参观 建设 打造 建成 成立 设立 组建 举行 召开 举办 签约 签订
        签署 引进 推进 推动 加快 实施 启动 开工 投产 竣工 运营 宣布 获批 批复 认定 命名 创建 申报 挂牌 授予
        入选 成为 作为 包括 其中 有 是 先后 一行 首先 分别 主持 出席 参加 上马 整合 优化 提升 支持 依据 来
        前来 共建 携 携手 联合 聚焦 积极 全力 大力 加强 不断 进一步 率先 全面 坚持 迅速 快速 正式 顺利 首次
        挺进 进入 腾跃 驶入 获得 荣获 获 含 涵盖 覆盖 领导 带领 带队 视察了 观摩了 参观了 调研了 招引 引进 抓 抓好
    抓实 做好 做优 做强 谋划 实行 推行 听 问 看 谈 提高 聚力 我 我们 市委 县委 区委 同志 任 担任 兼任 不再担任
    暨""".split(),
        key=len,
        reverse=True,
    )
)
# Party and government bodies that stand before a park's name without being
# part of it: 中共嘉兴市委|经济技术开发区工作委员会.
BODY_WORDS = ("市委", "县委", "区委", "省委", "党委", "党工委", "管委会", "政府")
# Organisations' names hold verbs and 和 (市工业和信息化局, 市工业园区开发建设指挥部),
# so only function words and a few governing verbs bound them.
ORGANIZATION_BOUNDARY_WORDS = tuple(
    sorted(
        """的 与 及 或 在 于 到 至 从 向 对 把 将 被 由 让 给 是 为 以 了 着 过 并 而 也 都 还 又 再 就 才 等 其 该
        这 那 此 各 每 据 经 成立 设立 组建 召开 举行 印发 宣布 联合 会同 牵头 主办 承办 协办 指导 来自 报道 获悉
        汇报 有关 相关 同志 任 担任 兼任 获 获批 随着""".split(),
        key=len,
        reverse=True,
    )
)
MAX_NAME_LENGTH = 24
# A verb this common ends the clause before a name (提名, 了解, 印发, 确保)…
COMMON_VERB_FREQUENCY = 500
# …unless names are made of it: 经济技术开发区, 先进制造产业园, 物流园, 创新创业园.
NAME_VERBS = frozenset(
    """开发 制造 发展 服务 创新 创业 孵化 加工 研发 示范 合作 贸易 投资 建设 物流 生产 装备 装配 电子 设计
    检测 培训 展示 交易 应用 保税 集聚 转化 孵育 养殖 种植 旅游 仓储 配送 运输 开放 实验 试验 管理 改革""".split()
)

# --- Relations (guidelines, "Relations").
VISIT_VERBS = ("调研", "考察", "视察", "观摩", "走访", "督导", "督查", "来到", "前往", "走进", "深入", "察看", "检查")
# A visit by movement: 到雷州调研, 来亭湖区观摩, 先后到…等处.
MOVE_VERBS = ("来到", "前往", "走进", "深入", "到", "来", "赴")
# Words that make a person named before a visit its host, not its visitor.
ACCOMPANY_WORDS = ("陪同",)
# The marks that end a clause inside a sentence.
CLAUSE_BREAK = re.compile(r"[,，;；:：]")
LOCATION_VERBS = ("位于", "落户", "地处", "坐落于", "坐落在", "入驻")
SIGNING_WORDS = ("签约", "签订", "签署", "战略合作", "合作协议", "签下")
INVEST_WORDS = ("投资", "建设", "投建", "兴建", "签约", "签订", "入驻")

# --- Persons.
# 百家姓, the common single and compound surnames.
SURNAMES = frozenset(
    """王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐 许 韩 冯 邓 曹 彭 曾 肖 田
    董 袁 潘 于 蒋 蔡 余 杜 叶 程 苏 魏 吕 丁 任 沈 姚 卢 姜 崔 钟 谭 陆 汪 范 金 石 廖 贾 夏 韦 付 方 白 邹
    孟 熊 秦 邱 江 尹 薛 闫 段 雷 侯 龙 史 陶 黎 贺 顾 毛 郝 龚 邵 万 钱 严 覃 武 戴 莫 孔 向 汤 常 温 康 施
    文 牛 樊 葛 邢 安 齐 易 乔 伍 庞 颜 倪 庄 聂 章 鲁 岳 翟 殷 詹 申 欧 耿 关 兰 焦 俞 左 柳 甘 祝 包 宁 尚
    符 舒 阮 柯 纪 梅 童 凌 毕 单 季 裴 霍 涂 成 苗 谷 盛 曲 翁 冉 骆 蓝 路 游 辛 靳 管 柴 蒙 鲍 华 喻 祁 蒲
    房 滕 屈 饶 解 牟 艾 尤 阳 时 穆 农 司 卓 古 吉 缪 简 车 项 连 芦 麦 褚 娄 窦 戚 岑 景 党 宫 费 卜 冷 晏
    席 卫 米 柏 宗 瞿 桂 全 佟 应 臧 闵 苟 邬 边 卞 姬 师 和 仇 栾 隋 商 刁 沙 荣 巫 寇 桑 郎 甄 丛 仲 虞 敖
    巩 明 佘 池 查 麻 苑 迟 邝 官 封 谈 匡 鞠 惠 荆 乐 冀 郁 胥 南 班 储 原 栗 燕 楚 鄢 劳 谌 奚 皮 粟 冼 蔺
    楼 盘 满 闻 位 厉 伊 仝 区 郜 海 阚 花 权 强 帅 屠 豆 朴 薄 练 茅 阎 羊 阙 政 过 计 揭 居 桓 东方 欧阳
    司马 上官 诸葛 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 令狐 夏侯 端木 西门 南宫 独孤""".split()
)
# Words that follow a name and so end it: 王勇出席, 张东带队, 王鹤告诉记者.
NAME_FOLLOWERS = tuple(
    sorted(
        """在 到 说 等 任 同 和 与 及 为 是 对 也 还 就 则 的 向 从 率 出席 参加 主持 表示 指出 强调 要求 认为 希望
        一行 先后 同志 带队 带领 率队 陪同 介绍 宣读 讲话 致辞 调研 考察 视察 告诉 代表 不再 来到 前往 走进 深入
        分别 首先 作 一同 等人 现场 详细 听取 看望 会见 会晤 接待 主任 书记 宣布 特地 不时 问 谈 看 听
        报道 摄""".split(),
        key=len,
        reverse=True,
    )
)
# Titles, as the words a post ends with; an organisation or place may precede
# them (海陵区委常委, 郑州海关副关长, 市社科院经济所所长).
OFFICIAL_TITLES = tuple(
    sorted(
        """书记 副书记 常委 市长 副市长 常务副市长 县长 副县长 区长 副区长 省长 副省长 州长 旗长 镇长 乡长 主任
        副主任 常务副主任 秘书长 副秘书长 常务副秘书长 主席 副主席 局长 副局长 厅长 副厅长 关长 副关长 巡视员
        调研员 部长 副部长 组织部长 宣传部长 委员 党委委员 市领导 县领导 区领导 省领导 助理 市长助理 检察长
        处长 副处长 科长 组长 副组长 主任委员 党组书记 署长 司长 副司长""".split(),
        key=len,
        reverse=True,
    )
)
# Officials hold government, party, congress, CPPCC or park posts (guidelines, "Official");
# the heads of companies, banks, associations and institutes are persons: 董事局主席, 会长, 行长.
PERSON_TITLES = tuple(
    sorted(
        """记者 见习记者 首席记者 特约记者 通讯员 编辑 责任编辑 责编 值班主任 值班编委 监制 主编 副主编 摄影 校对
        董事长 副董事长 总经理 副总经理 总裁 副总裁 经理 总经济师 总工程师 总监 创始人 所长 教授 研究员 专家
        校长 村民 居民 负责人 董事局主席 董事局副主席 董事会主席 执行院长 院长 副院长 会长 副会长 行长 副行长
        首席执行官 执行总裁 合伙人""".split(),
        key=len,
        reverse=True,
    )
)
# Titles of the press: they belong to the medium that published the article.
PRESS_TITLES = frozenset(
    "记者 见习记者 首席记者 特约记者 通讯员 编辑 责任编辑 责编 值班主任 值班编委 监制 主编 副主编 摄影 校对".split()
)
# Words that end an attendee list of officials: 李驰、陈红红…等参加.
ATTENDANCE_WORDS = ("参加", "出席", "陪同", "一同调研", "参加调研", "参加活动", "陪同调研")
# Verbs that make a bare name at the head of a clause an official's act: 曹路宝主持推进会.
OFFICIAL_ACTS = ("主持", "出席", "讲话", "致辞", "宣读", "陪同")
