"""Result figures in a unit: a number with a unit of measure (1826件, 85.6%, 373万元).

Years, dates, ordinals (第14次), document titles and bare numbers (hotlines,
"9.28") are not figures.
"""
import re

UNITS = (
    "万人次|人次|户次|件次|场次|余件|万元|亿元|千元|元|个工作日|工作日|小时|分钟|"
    "件|起|次|人|名|个|项|家|条|份|篇|场|期|户|批|所|支|处|张|册|套|台|天|个月|"
    "宗|部|座|单|笔|组|类|门|村|社区|平方米|公里|本|卷|辆|万|亿|%|％|‰|倍|分"
)
FIGURE = re.compile(
    rf"(?<![\d.第《<〈“\"])(\d+(?:\.\d+)?)\s*(?:余|多|多个|左右)?\s*({UNITS})"
)
RANK = re.compile(r"(?:排名|排|位列|列)?第\s*(\d+)\s*(?:名|位)")
_TITLE = re.compile(r"《[^》]*》|<[^>]*>|〈[^〉]*〉")
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_SPACE = re.compile(r"\s+")


def figure_spans(text: str) -> list[tuple[int, int]]:
    """Where the figures of a unit stand, in order: ``[(start, end), …]``."""
    masked = _TITLE.sub(lambda m: " " * len(m.group()), text)
    out = []
    for m in FIGURE.finditer(masked):
        unit = m.group(2)
        if unit in ("万", "亿") and masked[m.end() : m.end() + 1] == "元":
            continue  # caught as 万元 / 亿元 by the longer alternative
        out.append(m.span())
    out += [m.span() for m in RANK.finditer(masked)]
    return sorted(out)


def figure_text(text: str, span: tuple[int, int]) -> str:
    """The figure at ``span``, spaces dropped: ``1826件``."""
    return _SPACE.sub("", text[span[0] : span[1]])


def find_figures(text: str) -> list[str]:
    """The figures a unit reports, in order: ``["1826件", "85.6%"]``."""
    return [figure_text(text, span) for span in figure_spans(text)]


def mask_digits(text: str) -> str:
    """Every number replaced by ``0``, so that 1826件 and 765件 read alike."""
    return _DIGITS.sub("0", text)
