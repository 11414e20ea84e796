"""Regular expressions shared by cleaning and segmenting."""
import re
from functools import lru_cache

NUM_CN = "一二三四五六七八九十"
# characters that end a unit, and closers that stay with it
UNIT_END = "。！？；!?;"
CLOSERS = "”’」』）)】》\"'"
SENTENCE_END_CHARS = re.compile(f"[{UNIT_END}]")

# heading markers, by level: 第一部分 / 一、 / （一） / 1. 1、 / （1）
H0 = rf"第[{NUM_CN}]{{1,3}}(?:部分|章)"
H1 = rf"[{NUM_CN}]{{1,3}}、"
H2 = rf"[（(][{NUM_CN}]{{1,3}}[）)]"
H3 = r"\d{1,2}(?:[\.．](?:(?=(?:19|20)\d\d年)|(?![\d%％]))|、(?!\d))"  # 1. 1、 3.2025年
H4 = r"[（(]\d{1,2}[）)]"
HEADING_LEVELS = [re.compile(h) for h in (H0, H1, H2, H3, H4)]
HEADING_START = re.compile(rf"(?:{H0}(?=\s*\S)|(?:{H1}|{H2}|{H3}|{H4})(?=\S))")
BARE_MARKER = re.compile(rf"\s*(?:{H0}|{H1}|{H2}|{H3}|{H4})\s*$")
# 一是 / 二是 … items: a new unit, not a heading
ITEM = rf"(?:第?[{NUM_CN}]{{1,3}}是|其[{NUM_CN}]{{1,3}}[是,，、])"
ITEM_START = re.compile(ITEM)
# list markers: bullets; at a line's start also a dash, a dot and a number set off by a
# space ("1 以…", not a figure: "12 月")
BULLET_SYMBOLS = "■□●○◆◇▲△▶►▸★☆※"
BULLET = rf"(?:[{BULLET_SYMBOLS}]|——)\s*(?=\S)"
LINE_BULLET = rf"(?:[{BULLET_SYMBOLS}•·・√✓]|—{{1,2}}|-(?=\s))\s*(?=\S)"
NUMBER_ITEM = r"\d{1,2}[ \t\u3000]+(?=[^\d\s年月日号时件项个人次名家户元万亿%％条份场卷处起宗台天])"
LIST_START = re.compile(rf"(?:{LINE_BULLET}|{NUMBER_ITEM})")
MARKER = re.compile(rf"(?:{H0}(?=\s*\S)|(?:{H1}|{H2}|{H3}|{H4}|{ITEM})(?=\S)|{BULLET})")

DATE_LINE = re.compile(
    r"^\s*(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号]"
    r"|[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日"
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2})\s*$"
)
# the end of a report's title: 报告, 总结, 要点, 计划 … and an optional (摘要)
TITLE_END = re.compile(r"(?:报告|報告|总结|總結|要点|要點|计划|計劃|方案|安排|意见|意見)(?:[（(][^）)]{1,8}[）)])?$")
# a report's own title line: an issuer, a year, and 报告/总结/要点/计划
_ISSUER_END = (
    r"(?:省|市|州|盟|县|縣|区|區|旗|镇|鎮|乡|鄉|街道|办事处|辦事處|村|社区|社區|政府|委员会|委員會|委|局|厅|廳|办公室|辦公室|办|辦"
    r"|院|中心|所|署|部|队|隊|站)"
)
REPORT_TITLE = re.compile(
    rf"^(?:中共)?[\u3400-\u9fff（）()]{{1,40}}?{_ISSUER_END}\s*(?:关于|關於)?\s*(?:\d{{4}}|[〇○零一二三四五六七八九]{{4}})\s*年度?"
    r"[\u3400-\u9fff\d（）()“”、]{0,40}?(?:报告|報告|总结|總結|要点|要點|计划|計劃)(?:[（(][^）)]{1,8}[）)])?$"
)
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
WORDLIKE = re.compile(r"[\w\u3400-\u9fff]")


@lru_cache(maxsize=4096)
def heading_level(text: str) -> int | None:
    """0 for 第一部分, 1 for 一、, 2 for （一）, 3 for 1. / 1、, 4 for （1）; None when not a heading."""
    for level, pattern in enumerate(HEADING_LEVELS):
        if pattern.match(text):
            return level
    return None

