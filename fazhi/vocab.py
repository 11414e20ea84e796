"""fazhi's vocabulary: the labels, the kinds of unit, and the records every stage passes on.

This module imports nothing heavy, so output and the command line can use it
without loading scikit-learn.
"""
from dataclasses import asdict, dataclass, field, replace

# the four buckets, in the order of every table and probability column
LABELS = ("achievement", "metric", "problem", "plan")
SKIP = "skip"  # a labels-file row that is not report content
VALID = (*LABELS, SKIP)

# unit kinds: content goes to the model; the others never do
CONTENT = "content"
NON_CONTENT = ("title", "signature", "date", "furniture")

# report kinds judged from a report's evidence (fazhi.learning.records)
DOC_KINDS = ("report", "plan", "rectification", "news")


@dataclass
class Unit:
    """One sentence or heading of a report.

    ``text`` is the original text for display; ``norm`` the normalized copy the
    model reads; ``section`` its top-level heading, ``heading`` the nearest heading at
    or above it, ``level`` a heading's depth in the outline (0 at the top; None for a
    unit that is not a heading); ``start``/``end`` its span in the report's clean text;
    ``figure_spans`` where in ``text`` it states result figures (1826件, 85.6%).
    """

    doc_id: str
    sent_id: int
    section: str
    text: str
    norm: str
    is_heading: bool = False
    kind: str = CONTENT
    start: int = 0
    end: int = 0
    figure_spans: list[tuple[int, int]] = field(default_factory=list)
    heading: str = ""
    level: int | None = None

    @property
    def is_content(self) -> bool:
        return self.kind == CONTENT

    @property
    def figures(self) -> list[str]:
        """The result figures, spaces dropped: ``["1826件", "85.6%"]``."""
        return ["".join(self.text[a:b].split()) for a, b in self.figure_spans]


@dataclass
class Report:
    """A read, cleaned and segmented report."""

    doc_id: str
    text: str  # clean text: furniture dropped, broken lines joined
    units: list[Unit] = field(default_factory=list)
    source: str = ""  # path, or "-" for stdin

    @property
    def content(self) -> list[Unit]:
        return [u for u in self.units if u.is_content]


@dataclass(frozen=True)
class Record:
    """What the model reads about one content unit: its words and its report context.

    ``blind()`` removes every piece of context, leaving the sentence alone.
    """

    text: str  # the unit's normalized text
    section: str = ""  # its top-level heading, normalized
    prev: str = ""  # the content units before and after it
    next: str = ""
    position: float = -1.0  # 0..1 in its report; -1 unknown
    is_heading: bool = False
    figures: int = 0  # result figures in the unit
    doc: str = ""  # its report's id: decoding runs over one report's records
    doc_kind: str = ""  # one of DOC_KINDS, "" unknown
    year_future: bool = False  # speaks of a year after the report's own
    year_same: bool = False
    year_known: bool = False

    def blind(self) -> "Record":
        return replace(
            self, section="", prev="", next="", doc="", doc_kind="", position=-1.0,
            year_future=False, year_same=False, year_known=False,
        )  # fmt: skip


@dataclass
class Prediction:
    """A content unit with its bucket, confidence, the four probabilities and its figures."""

    doc_id: str
    sent_id: int
    section: str
    text: str
    label: str
    confidence: float
    p_achievement: float
    p_metric: float
    p_problem: float
    p_plan: float
    figures: list[str] = field(default_factory=list)
    uncertain: bool = False

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def probabilities(self) -> dict[str, float]:
        return {lab: getattr(self, f"p_{lab}") for lab in LABELS}


def bucket_counts(labels) -> dict[str, int]:
    """How many of ``labels`` fall in each bucket, in LABELS order."""
    labels = list(labels)
    return {lab: labels.count(lab) for lab in LABELS}
