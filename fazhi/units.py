"""The records that flow through fazhi: a segmented unit and a report."""
from dataclasses import dataclass, field

CONTENT = "content"
KINDS = ("content", "title", "signature", "date", "furniture")


@dataclass
class Unit:
    """One sentence or heading of a report.

    ``text`` is the original text for display; ``norm`` the normalized copy the
    model reads; ``start``/``end`` its span in the report's clean text.
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

    @property
    def is_content(self) -> bool:
        return self.kind == CONTENT


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
