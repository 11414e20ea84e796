"""Regular expressions shared by cleaning and segmenting."""
import re

NUM_CN = "一二三四五六七八九十"
# characters that end a unit, and closers that stay with it
UNIT_END = "。！？；!?;"
CLOSERS = "”’」』）)】》\"'"
SENTENCE_END_CHARS = re.compile(f"[{UNIT_END}]")

# heading markers, by level: 第一部分 / 一、 / （一） / 1. 1、 / （1）
H0 = rf"第[{NUM_CN}]{{1,3}}(?:部分|章)"
H1 = rf"[{NUM_CN}]{{1,3}}、"
H2 = rf"[（(][{NUM_CN}]{{1,3}}[）)]"
H3 = r"\d{1,2}(?:[\.．](?![\d%％])|、(?!\d))"
H4 = r"[（(]\d{1,2}[）)]"
HEADING_LEVELS = [re.compile(h) for h in (H0, H1, H2, H3, H4)]
HEADING_START = re.compile(rf"(?:{H0}(?=\s*\S)|(?:{H1}|{H2}|{H3}|{H4})(?=\S))")
BARE_MARKER = re.compile(rf"\s*(?:{H0}|{H1}|{H2}|{H3}|{H4})\s*$")
# 一是 / 二是 … items: a new unit, not a heading
ITEM = rf"(?:第?[{NUM_CN}]{{1,3}}是|其[{NUM_CN}]{{1,3}}[是,，、])"
ITEM_START = re.compile(ITEM)
MARKER = re.compile(rf"(?:{H0}(?=\s*\S)|(?:{H1}|{H2}|{H3}|{H4}|{ITEM})(?=\S))")

DATE_LINE = re.compile(
    r"^\s*(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号]"
    r"|[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日"
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2})\s*$"
)
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
WORDLIKE = re.compile(r"[\w\u3400-\u9fff]")


def heading_level(text: str) -> int | None:
    """0 for 第一部分, 1 for 一、, 2 for （一）, 3 for 1. / 1、, 4 for （1）; None when not a heading."""
    for level, pattern in enumerate(HEADING_LEVELS):
        if pattern.match(text):
            return level
    return None

