"""Each bucket's colours and display name, for the terminal and the HTML view."""
from dataclasses import dataclass

from fazhi.vocab import LABELS


@dataclass(frozen=True)
class Look:
    terminal: str  # rich colour name
    light: str  # highlight behind a unit in HTML
    solid: str  # bar segment and legend swatch
    bar_text: str  # text on the solid colour
    name: str  # legend name


LOOKS = {
    "achievement": Look("green", "#d5efcf", "#3b8f3f", "#fff", "achievement 成效"),
    "metric": Look("cyan", "#cde6f7", "#1f77b4", "#fff", "metric 数据"),
    "problem": Look("red", "#fad2cf", "#c73a32", "#fff", "problem 问题"),
    "plan": Look("yellow", "#fbe8a6", "#c98f00", "#2b2100", "plan 计划"),
}
assert tuple(LOOKS) == LABELS
TERMINAL = {lab: look.terminal for lab, look in LOOKS.items()}
HIGHLIGHT = {lab: look.light for lab, look in LOOKS.items()}
SOLID = {lab: look.solid for lab, look in LOOKS.items()}
