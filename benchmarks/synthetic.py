"""Deterministic synthetic emergency-management interviews, for benchmarks.

Three things come out of one seed:

- ``Corpus(size, seed)``: answer paragraphs, already normalised the way the
  index receives them (Simplified, lower-case, punctuation turned into single
  spaces). Iterating yields them lazily in blocks, so a million paragraphs
  never sit in memory at once, and ``corpus.passages(positions)`` regenerates
  any of them by position.
- ``make_queries(corpus, n, seed=...)``: short user queries cut from random
  paragraphs with some characters mistyped, plus queries from outside the domain.
- ``write_transcripts(folder, n_interviews, turns_per_interview, seed)``: whole
  transcript files in the ``[主持人]`` / ``[name]`` + timestamp layout of the
  seeds, for an end-to-end benchmark of parsing and ingest.

Paragraphs are clauses drawn from a few dozen templates ("SUBJ ADV VERB NOUN")
whose slots are filled with Zipf-weighted words: a few hundred domain words and
function words, plus long-tail places, people, companies, laws and numbers, so
that bigram frequencies have both the very common head and the rare tail of
real transcripts. Lengths follow a log-normal (median 150 characters) clipped to
40..600. Generation is vectorised per block of ``BLOCK`` paragraphs, each block
from its own ``np.random.default_rng([seed, block])``: the output depends only on
the seed (for a given numpy version), not on how much of it is read.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import numpy.typing as npt

BLOCK = 1024  # paragraphs generated together; also the unit of random access

# --- vocabulary -------------------------------------------------------------------
# Each category is Zipf-weighted in the order written: the first words are the commonest.

_SUBJECTS = """
我们 我厅 我省 全省 各地 省应急管理厅 各级应急管理部门 应急管理部 相关部门 各市县 全厅干部职工
省安委会 省减灾委 省防总 我们厅 基层 省委省政府 各有关单位 各级党委政府 全系统
"""
_ADVERBS = """
进一步 不断 切实 全面 坚决 持续 深入 大力 加快 扎实 积极 主动 及时 依法 科学 精准 认真 严格
始终 着力 统筹 有序 稳步 重点 全力 高效 系统 协同 超前 常态化
"""
_VERBS = """
推进 推动 加强 强化 完善 健全 提升 提高 确保 落实 部署 开展 组织 建立 构建 整合 统筹 协调
防范 化解 排查 整治 监管 督导 检查 指导 培训 宣传 修订 出台 印发 制定 实施 启动 建设 配备
储备 调度 处置 救援 转移 安置 救助 保障 压实 夯实 筑牢 守住 抓好 做好 落细 优化 规范 研判
会商 演练 核查 通报 约谈 挂牌督办 整改 验收 评估 摸排
"""
_NOUNS = """
应急管理 安全生产 防灾减灾 救灾 自然灾害 生产安全事故 事故隐患 重大风险 风险隐患 消防救援
森林草原 森林防火 防汛抗旱 防台风 地震灾害 地质灾害 危险化学品 危化品 矿山 煤矿 非煤矿山
尾矿库 工贸行业 烟花爆竹 粉尘涉爆 有限空间 建筑施工 道路交通 城镇燃气 高层建筑 人员密集场所
应急预案 应急演练 监测预警 指挥调度 应急物资 物资储备 救援队伍 专业队伍 执法检查 安全监管
责任体系 责任制 工作机制 体制机制 法规制度 标准体系 应急体系 治理体系 治理能力 现代化 基层应急
网格员 信息员 群众 企业 主体责任 属地责任 监管责任 安全意识 科普宣传 宣传教育 专项整治 三年行动
大排查 大整治 安全检查 隐患排查治理 双重预防机制 风险分级管控 信息化 智能化 大数据 指挥平台
应急指挥中心 卫星电话 无人机 直升机 航空救援 避难场所 受灾群众 灾后重建 生活救助 巨灾保险
社会力量 志愿者 救援装备 台风 暴雨 洪涝 山洪 泥石流 滑坡 干旱 低温雨雪冰冻 高温 汛期 主汛期
节假日 重要时间节点 机构改革 职能 职责 部门 工作 能力 水平 底线 红线 短板 薄弱环节 突出问题
工作成效 体系建设 能力建设 队伍建设 作风建设 党建 安全发展 高质量发展 人民群众生命财产安全
社会大局稳定 防汛 抗旱 防火 减灾 灾情 险情 火情 预警信息 气象部门 水利部门 自然资源部门
住建部门 交通运输部门 公安部门 消防救援总队 森林消防 专家 技术 培训班 考核 问责 执法 处罚
案件 整改 闭环管理 安全培训 特种作业 从业人员 重点企业 重点行业 重点领域 小散远 出租屋
三小场所 电动自行车 充电设施 农村房屋 城市内涝 山塘水库 江河堤防 海上渔船 旅游景区 学校
医院 养老机构 商场 宾馆 工业园区 化工园区 港口码头 油气管道 仓储物流 交通枢纽
"""
_FUNCTION = "的 和 与 及 以及 等 了 在 对 把 将 为 从 向 按照 通过 根据 针对 结合 中 上 下"
_OPENERS = """
首先 其次 同时 此外 另外 下一步 目前 今年以来 近年来 总的来说 一方面 另一方面 比如说 应该说
一是 二是 三是 四是 五是 第一 第二 第三 具体来说 特别是 据统计 截至目前 从整体来看 可以说
"""
_TITLES = "厅长 副厅长 局长 副局长 处长 副处长 主任 书记 总队长 支队长 科长"
_LAWS = """
安全生产法 突发事件应对法 消防法 防洪法 防震减灾法 自然灾害救助条例 生产安全事故应急条例
森林防火条例 草原防火条例 地质灾害防治条例 危险化学品安全管理条例 煤矿安全规程
国家突发事件总体应急预案 安全生产治本攻坚三年行动方案 生产安全事故报告和调查处理条例
"""
_PROVINCES = """
广东 广西 福建 浙江 江苏 山东 河北 河南 湖北 湖南 江西 安徽 四川 贵州 云南 陕西 甘肃 青海
山西 辽宁 吉林 黑龙江 内蒙古 新疆 西藏 宁夏 海南 重庆 北京 天津 上海
"""
_CITIES = """
广州 深圳 佛山 东莞 珠海 汕头 湛江 茂名 韶关 清远 河源 梅州 惠州 江门 肇庆 云浮 阳江 潮州
揭阳 汕尾 呼和浩特 包头 鄂尔多斯 赤峰 通辽 呼伦贝尔 成都 绵阳 宜宾 乐山 凉山 杭州 宁波 温州
嘉兴 湖州 绍兴 金华 台州 丽水 福州 厦门 泉州 漳州 南平 长沙 岳阳 常德 郴州 武汉 宜昌 襄阳
十堰 恩施 南昌 赣州 九江 上饶 合肥 芜湖 安庆 黄山 郑州 洛阳 开封 南阳 信阳 济南 青岛 烟台
潍坊 临沂 石家庄 唐山 保定 张家口 承德 太原 大同 长治 西安 宝鸡 延安 榆林 兰州 天水 西宁
银川 乌鲁木齐 喀什 伊犁 拉萨 昆明 大理 丽江 贵阳 遵义 南宁 桂林 柳州 海口 三亚 哈尔滨 大庆
长春 沈阳 大连 鞍山
"""
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
)
_GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂华建国文辉力永健世广志义兴良海山仁波宁贵福"
    "生龙元全胜学祥才发武新利清飞彬富顺信子昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会"
    "思群豪心邦承乐绍功松善厚庆民友裕河哲江浩亮政谦亨奇固之翰朗伯宏言若鸣朋斌栋维启克伦翔旭鹏"
    "泽晨辰士以家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘涌润喜东"
)
_INDUSTRIES = "化工 矿业 能源 建设 燃气 物流 石化 钢铁 电力 交通 建材 冶金"
_COMPANY = "集团 有限公司 股份有限公司"
_UNITS = "个 家 支 人 次 处 座 台 套 项 条 万余人 余人 万元 亿元 平方公里 公里 所 场"
_LATIN = "5G GIS App AI 12350 119 APP 北斗 VR"

# Clause templates: category names, or literal words in quotes-free form prefixed with '='.
_TEMPLATES: Sequence[tuple[str, float]] = (
    ("SUBJ ADV VERB NOUN", 8),
    ("ADV VERB NOUN =的 NOUN", 6),
    ("VERB NOUN FUNC NOUN", 5),
    ("OPENER SUBJ VERB QUANT NOUN", 3),
    ("OPENER ADV VERB NOUN =和 NOUN", 4),
    ("PLACE VERB NOUN QUANT", 2),
    ("SUBJ =依据 =《 LAW =》 VERB NOUN", 1.5),
    ("PERSON TITLE =强调 ADV VERB NOUN", 1),
    ("ORG ADV VERB NOUN =工作", 1.2),
    ("=对 NOUN =进行 =全面 NOUN", 2),
    ("=共 VERB NOUN QUANT", 2),
    ("NOUN =和 NOUN =的 NOUN =不断 VERB", 2),
    ("=截至目前 PLACE =已 VERB QUANT NOUN", 1.5),
    ("DATE SUBJ VERB =“ NOUN =” =活动", 1),
    ("NOUN =、 NOUN =、 NOUN =等 NOUN", 2),
    ("SUBJ VERB LATIN NOUN", 0.6),
    ("=在 PLACE =的 NOUN =中 ADV VERB NOUN", 1.5),
    ("=推动 NOUN =从 NOUN =向 NOUN =转变", 1),
)
_CLAUSE_END: Sequence[tuple[str, float]] = (
    ("，", 0.56),
    ("。", 0.32),
    ("；", 0.05),
    ("：", 0.03),
    ("！", 0.02),
    ("……", 0.02),
)
_QUESTIONS = (
    "请您介绍一下{noun}方面的情况？",
    "{noun}工作取得了哪些成效？",
    "在{noun}方面，下一步有哪些打算？",
    "网友问：{place}的{noun}问题怎么解决？",
    "很多网友关心{noun}，您能具体谈谈吗？",
    "{noun}和{noun2}之间如何衔接？",
    "面对{noun}，群众应该注意些什么？",
)
_OFF_DOMAIN = """
足球比赛 电影票房 火锅 奶茶 股票 基金 房价 演唱会 明星八卦 游戏攻略 手机 旅游攻略 宠物猫 减肥
美食 篮球 天气预报 彩票 考研 留学 婚礼 装修 二手车 健身房 咖啡 钢琴 动漫 网购 快递 菜谱
"""

_PUNCTUATION = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """What the real normaliser does to generated text: punctuation -> one space, lower case."""
    return _PUNCTUATION.sub(" ", text).strip().lower()


@dataclass(frozen=True, slots=True)
class Query:
    """A benchmark query; ``source`` is the paragraph it was cut from (None: off-domain)."""

    text: str
    source: int | None
    typos: int


@dataclass(frozen=True)
class _Vocabulary:
    """Every word as one flat code point table, and per-category sampling tables."""

    words: list[str]
    flat: npt.NDArray[np.uint32]  # code points of every word, back to back
    start: npt.NDArray[np.int64]  # word id -> offset into flat
    length: npt.NDArray[np.int64]  # word id -> number of characters
    category: dict[str, int]
    cumulative: npt.NDArray[np.float64]  # category c occupies (c, c + 1]
    choice: npt.NDArray[np.int64]  # row of cumulative -> word id
    templates: list[npt.NDArray[np.int64]]  # template id -> category ids
    template_cum: npt.NDArray[np.float64]
    end_words: npt.NDArray[np.int64]
    end_cum: npt.NDArray[np.float64]
    full_stop: int
    common_chars: str  # what typos substitute: characters the corpus uses


def _split(text: str) -> list[str]:
    return text.split()


def _zipf(n: int, exponent: float = 0.9) -> npt.NDArray[np.float64]:
    weights: npt.NDArray[np.float64] = 1.0 / np.arange(1, n + 1, dtype=np.float64) ** exponent
    weights /= weights.sum()
    return weights


def _cum(weights: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    cum = np.cumsum(weights / weights.sum())
    cum[-1] = 1.0
    return cum


_CN_DIGITS = "零一二三四五六七八九"


def _pick(rng: np.random.Generator, items: Sequence[str], size: int) -> list[str]:
    return [items[i] for i in rng.integers(0, len(items), size=size)]


def _long_tail(rng: np.random.Generator) -> dict[str, list[str]]:
    """Places, people, companies, numbers and dates: the rare bigrams of real text."""
    provinces, cities = _split(_PROVINCES), _split(_CITIES)
    places = [p + "省" for p in provinces] + [c + "市" for c in cities]
    places += [
        c + kind + digit + "镇"
        for c in cities
        for kind, digit in zip(_pick(rng, "区县", 6), _pick(rng, _CN_DIGITS[1:], 6), strict=True)
    ]
    given = [a + b for a, b in zip(_pick(rng, _GIVEN, 6000), _pick(rng, _GIVEN, 6000), strict=True)]
    single = rng.random(6000) < 0.3
    people = sorted(
        {
            s + (g[0] if one else g)
            for s, g, one in zip(_pick(rng, _SURNAMES, 6000), given, single, strict=True)
        }
    )
    orgs = [p + "应急管理局" for p in places[:160]]
    companies = sorted(
        {
            c + g + i + k
            for c, g, i, k in zip(
                _pick(rng, cities, 3000),
                given[:3000],
                _pick(rng, _split(_INDUSTRIES), 3000),
                _pick(rng, _split(_COMPANY), 3000),
                strict=True,
            )
        }
    )
    counts = np.rint(rng.lognormal(3.0, 1.6, size=8000)).astype(np.int64) + 1
    quantities = sorted(
        {str(n) + u for n, u in zip(counts.tolist(), _pick(rng, _split(_UNITS), 8000), strict=True)}
    )
    quantities += [f"{a}.{b}万" for a in range(1, 30) for b in range(1, 10)]
    quantities += [
        "百分之" + _CN_DIGITS[a] + "十" + _CN_DIGITS[b] for a in range(1, 10) for b in range(1, 10)
    ]
    dates = [
        f"{y}年{m}月{d}日"
        for y in range(2018, 2026)
        for m in range(1, 13)
        for d in (1, 8, 15, 22, 28)
    ]
    # Shuffle so that the Zipf head of each category is not alphabetical.
    tail = {"PLACE": places, "PERSON": people, "ORG": orgs + companies, "QUANT": quantities}
    tail = {name: [items[i] for i in rng.permutation(len(items))] for name, items in tail.items()}
    tail["DATE"] = [dates[i] for i in rng.permutation(len(dates))]
    return tail


@functools.lru_cache(maxsize=4)
def _vocabulary(seed: int) -> _Vocabulary:
    rng = np.random.default_rng([seed, 0x70CAB])
    categories: dict[str, list[str]] = {
        "SUBJ": _split(_SUBJECTS),
        "ADV": _split(_ADVERBS),
        "VERB": _split(_VERBS),
        "NOUN": _split(_NOUNS),
        "FUNC": _split(_FUNCTION),
        "OPENER": _split(_OPENERS),
        "TITLE": _split(_TITLES),
        "LAW": _split(_LAWS),
        "LATIN": _split(_LATIN),
        **_long_tail(rng),
    }
    for template, _ in _TEMPLATES:
        for slot in template.split():
            if slot.startswith("="):
                categories[slot] = [slot[1:]]
    for end, _ in _CLAUSE_END:
        categories["=" + end] = [end]

    words: list[str] = []
    index: dict[str, int] = {}
    category: dict[str, int] = {}
    cumulative: list[npt.NDArray[np.float64]] = []
    choice: list[int] = []
    for number, (name, members) in enumerate(categories.items()):
        category[name] = number
        for word in members:
            if word not in index:
                index[word] = len(words)
                words.append(word)
            choice.append(index[word])
        cumulative.append(number + _cum(_zipf(len(members))))
    encoded = [np.frombuffer(w.encode("utf-32-le"), dtype=np.uint32) for w in words]
    length = np.array([len(e) for e in encoded], dtype=np.int64)
    start = np.zeros(len(words), dtype=np.int64)
    np.cumsum(length[:-1], out=start[1:])
    templates = [np.array([category[s] for s in t.split()], dtype=np.int64) for t, _ in _TEMPLATES]
    chars = sorted({ch for w in words for ch in w if "\u4e00" <= ch <= "\u9fff"})
    return _Vocabulary(
        words=words,
        flat=np.concatenate(encoded),
        start=start,
        length=length,
        category=category,
        cumulative=np.concatenate(cumulative),
        choice=np.array(choice, dtype=np.int64),
        templates=templates,
        template_cum=_cum(np.array([w for _, w in _TEMPLATES], dtype=np.float64)),
        end_words=np.array([index[e] for e, _ in _CLAUSE_END], dtype=np.int64),
        end_cum=_cum(np.array([w for _, w in _CLAUSE_END], dtype=np.float64)),
        full_stop=index["。"],
        common_chars="".join(chars),
    )


def _decode(codes: npt.NDArray[np.uint32]) -> str:
    return codes.astype("<u4").tobytes().decode("utf-32-le")


def _raw_block(seed: int, block: int, count: int) -> list[str]:
    """``count`` raw paragraphs (with punctuation), the ``block``-th block of the seed."""
    vocab = _vocabulary(seed)
    rng = np.random.default_rng([seed, block])
    targets = np.clip(np.rint(rng.lognormal(np.log(150.0), 0.6, size=count)), 40, 600)
    wanted = int(targets.sum())
    n_templates = len(vocab.templates)
    template_len = np.array([len(t) for t in vocab.templates], dtype=np.int64)
    template_flat = np.concatenate(vocab.templates)
    template_start = np.zeros(n_templates, dtype=np.int64)
    np.cumsum(template_len[:-1], out=template_start[1:])

    # Clauses: draw a few more than the expected need, then top up if short.
    clause_ids: list[npt.NDArray[np.int64]] = []
    clause_chars: list[npt.NDArray[np.int64]] = []
    tokens: list[npt.NDArray[np.int64]] = []
    have = 0
    while have < wanted:
        n = max(64, (wanted - have) // 9)
        template = np.searchsorted(vocab.template_cum, rng.random(n), side="right")
        slots = template_len[template]
        first = np.repeat(template_start[template] - np.cumsum(slots) + slots, slots)
        cats = template_flat[first + np.arange(int(slots.sum()))]
        rows = np.searchsorted(vocab.cumulative, cats + rng.random(cats.size), side="right")
        slot_words = vocab.choice[np.minimum(rows, vocab.choice.size - 1)]
        ends = vocab.end_words[np.searchsorted(vocab.end_cum, rng.random(n), side="right")]
        # Interleave: each clause's slot words, then its end punctuation.
        per_clause = slots + 1
        stream = np.empty(int(per_clause.sum()), dtype=np.int64)
        end_at = np.cumsum(per_clause) - 1
        is_word = np.ones(stream.size, dtype=bool)
        is_word[end_at] = False
        stream[is_word] = slot_words
        stream[end_at] = ends
        chars = np.add.reduceat(vocab.length[stream], end_at - per_clause + 1)
        tokens.append(stream)
        clause_ids.append(end_at + sum(t.size for t in tokens[:-1]))
        clause_chars.append(chars)
        have += int(chars.sum())
    stream = np.concatenate(tokens)
    clause_end = np.concatenate(clause_ids)  # token index of each clause's punctuation
    cum_chars = np.cumsum(np.concatenate(clause_chars))

    # Cut paragraphs at clause ends nearest to the cumulative targets; at least one clause each.
    last = np.searchsorted(cum_chars, np.cumsum(targets))
    ranks = np.arange(count)
    last = np.maximum.accumulate(last - ranks) + ranks
    last = np.minimum(last, cum_chars.size - 1)
    stream[clause_end[last]] = vocab.full_stop  # every paragraph ends a sentence

    lengths = vocab.length[stream]
    offsets = np.cumsum(lengths) - lengths
    text = _decode(
        vocab.flat[
            np.repeat(vocab.start[stream] - offsets, lengths) + np.arange(int(lengths.sum()))
        ]
    )
    bounds = np.concatenate(([0], cum_chars[last])).tolist()
    return [text[bounds[i] : bounds[i + 1]] for i in range(count)]


@dataclass(frozen=True)
class Corpus:
    """``size`` normalised answer paragraphs, deterministic in ``seed``."""

    size: int
    seed: int = 0

    def __len__(self) -> int:
        return self.size

    def __iter__(self) -> Iterator[str]:
        for block in range(0, self.size, BLOCK):
            yield from self._block(block // BLOCK)

    def _block(self, block: int) -> list[str]:
        count = min(BLOCK, self.size - block * BLOCK)
        return [normalise(p) for p in _raw_block(self.seed, block, BLOCK)[:count]]

    def raw(self, block: int) -> list[str]:
        """The ``block``-th block of paragraphs with their punctuation, as a transcript has them."""
        return _raw_block(self.seed, block, BLOCK)

    def passages(self, positions: Sequence[int]) -> list[str]:
        """The paragraphs at ``positions``, regenerating only the blocks they fall in."""
        blocks: dict[int, list[str]] = {}
        out: list[str] = []
        for position in positions:
            if not 0 <= position < self.size:
                raise IndexError(position)
            block = position // BLOCK
            if block not in blocks:
                blocks[block] = self._block(block)
            out.append(blocks[block][position % BLOCK])
        return out


def _snippet(text: str, rng: np.random.Generator) -> str:
    """2..12 consecutive characters of ``text`` holding at least one bigram (or '' if none)."""
    for _ in range(20):
        size = int(rng.integers(2, 13))
        begin = int(rng.integers(0, max(1, len(text) - size + 1)))
        piece = text[begin : begin + size].strip()
        if any(a != " " and b != " " for a, b in itertools.pairwise(piece)):
            return piece
    return ""


def make_queries(
    corpus: Corpus,
    n: int,
    *,
    seed: int = 1,
    typo_rate: float = 0.08,
    off_domain: float = 0.1,
) -> list[Query]:
    """``n`` queries: snippets of random paragraphs with typos, and a share of off-domain ones.

    Each character of a snippet is replaced with probability ``typo_rate`` by a
    random character of the corpus alphabet (a wrong pick from an input method).
    """
    rng = np.random.default_rng([corpus.seed, seed, 0x9E7])
    alphabet = _vocabulary(corpus.seed).common_chars
    off = _split(_OFF_DOMAIN)
    n_off = round(n * off_domain) if corpus.size else n
    sources = sorted(int(s) for s in rng.integers(0, max(1, corpus.size), size=n - n_off))
    queries: list[Query] = []
    for source, text in zip(sources, corpus.passages(sources), strict=True):
        piece = list(_snippet(text, rng))
        typos = 0
        for i, ch in enumerate(piece):
            if ch != " " and rng.random() < typo_rate:
                piece[i] = alphabet[int(rng.integers(0, len(alphabet)))]
                typos += piece[i] != ch
        queries.append(Query("".join(piece), source, typos))
    for _ in range(n_off):
        words = rng.choice(off, size=int(rng.integers(1, 3)), replace=False)
        queries.append(Query("".join(str(w) for w in words), None, 0))
    order = rng.permutation(len(queries))
    return [queries[i] for i in order]


def _question(vocab: _Vocabulary, rng: np.random.Generator) -> str:
    nouns = _split(_NOUNS)
    places = [w for w in vocab.words if w.endswith("省") or w.endswith("市")]
    template = _QUESTIONS[int(rng.integers(0, len(_QUESTIONS)))]
    return template.format(
        noun=nouns[int(rng.integers(0, len(nouns)))],
        noun2=nouns[int(rng.integers(0, len(nouns)))],
        place=places[int(rng.integers(0, len(places)))],
    )


def write_transcripts(
    folder: Path, n_interviews: int, turns_per_interview: int, seed: int = 0
) -> list[Path]:
    """Write ``n_interviews`` transcript files into ``folder``; returns their paths.

    Each file has a page header (breadcrumb, title twice, an introduction, the
    date), then turns as ``[主持人]`` or ``[name]`` on their own line, the text,
    and a ``YYYY-MM-DD HH:MM:SS`` timestamp, in the layout of ``seeds/``.
    Answers are one to four paragraphs of the same synthetic prose as ``Corpus``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    vocab = _vocabulary(seed)
    rng = np.random.default_rng([seed, 0x7A11])
    people = [w for w in vocab.words if len(w) in (2, 3) and w[0] in _SURNAMES]
    provinces = _split(_PROVINCES)
    corpus = Corpus(size=0, seed=seed)
    paragraphs: list[str] = []
    block = 1 << 20  # transcript prose comes from blocks far from Corpus's, so they differ
    paths: list[Path] = []
    for number in range(n_interviews):
        name = people[int(rng.integers(0, len(people)))]
        province = provinces[int(rng.integers(0, len(provinces)))]
        title = str(rng.choice(["厅长", "副厅长", "局长", "副局长"]))
        heading = f"专访{province}省应急管理厅{title}{name}"
        when = datetime(2018, 1, 1, 10) + timedelta(days=int(rng.integers(0, 2500)))
        day = when.strftime("%Y-%m-%d")
        lines = [
            "您的位置：首页 > 政民互动 > 在线访谈",
            "在线访谈",
            heading,
            heading,
            f"本期访谈中，我们将围绕{province}应急管理工作，{heading[2:]}，一起聊聊大家关心的问题。",
            day,
        ]
        clock = when
        for turn in range(turns_per_interview):
            host = turn % 2 == 0
            if turn == 0:
                text = f"各位网友大家好！欢迎来到在线访谈，今天我们邀请到了{title}{name}。"
            elif turn == turns_per_interview - 1:
                text = "谢谢大家，再见！" if not host else "感谢您接受我们的专访，我们下期再见！"
            elif host:
                text = _question(vocab, rng)
            else:
                answer: list[str] = []
                for _ in range(int(rng.integers(1, 5))):
                    if not paragraphs:
                        paragraphs = corpus.raw(block)
                        block += 1
                    answer.append(paragraphs.pop())
                text = "\n\n".join(answer)
            clock += timedelta(minutes=int(rng.integers(1, 6)))
            lines += [f"[{'主持人' if host else name}]", text, clock.strftime("%Y-%m-%d %H:%M:%S")]
        content = "\n\n".join(lines) + "\n"
        digest = hashlib.sha256(content.encode("utf-8")).hexdigest()[:16]
        path = folder / f"{number:05d}_{digest}.txt"
        path.write_text(content, encoding="utf-8")
        paths.append(path)
    return paths
