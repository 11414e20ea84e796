"""Words the model may weigh: the future, shortfall and past words of a sentence. They
are features whose weights are learned from labeled data, never rules that decide a label."""
import re

# words that may mark a sentence as looking forward, admitting a shortfall, or telling the past
CUE_WORDS = {
    "future_time": (
        "明年", "来年", "下一步", "今后", "力争", "拟", "将于", "计划于", "到[0-9]{4}年", "[0-9]{4}年(?:年)?底前",
        "年内", "下一年", "新的一年", "届时",
    ),
    "future_modal": ("将(?!其)", "要", "继续", "持续", "争取", "确保", "努力", "进一步", "计划"),
    "jiang_object": ("将[^，。；]{1,24}(?:纳入|列入|作为|融入|落实到|转化为|推送|移送|上传|延伸|下放|整合)",),
    "shortfall": (
        "有待", "尚未", "尚不", "不够", "仍", "还", "短板", "不足", "缺乏", "薄弱", "滞后", "不到位", "差距",
        "仅", "只有", "不到", "不高", "不强", "不深", "偏", "较少", "较窄", "单一", "欠缺", "困难", "未能",
        "不平衡", "不充分", "不健全", "不完善", "不规范", "参差不齐", "问题",
    ),
    "past": (
        "已", "了", "以来", "过去一年", "先后", "截至", "全年", "累计", "共计", "完成", "实现", "建成", "出台",
        "印发", "制定", "组织开展", "开展", "建立",
    ),
}
_GROUPS = {group: re.compile("|".join(words)) for group, words in CUE_WORDS.items()}


def _readable(pattern: str) -> str:
    """A cue's name for people: 到[0-9]{4}年 → 到YYYY年, 将(?!其) → 将, 将[^，。；]{1,24}(?:纳入|…) → 将…纳入|…."""
    name = re.sub(r"\(\?[!=][^)]*\)", "", pattern)
    name = name.replace("[0-9]{4}", "YYYY").replace("(?:年)?", "").replace("[^，。；]{1,24}", "…")
    return name.replace("(?:", "").replace(")", "")


_WORDS = [(f"{group}:{_readable(w)}", re.compile(w)) for group, words in CUE_WORDS.items() for w in words]
CUE_NAMES = (*_GROUPS, *(f"{g}_with_figure" for g in _GROUPS), *(name for name, _ in _WORDS))


def sentence_cues(text: str, has_figure: bool) -> list[float]:
    """Each group found, each group with a result figure, each cue word."""
    found = [bool(p.search(text)) for p in _GROUPS.values()]
    return [float(f) for f in found] + [float(f and has_figure) for f in found] + [float(bool(p.search(text))) for _, p in _WORDS]
