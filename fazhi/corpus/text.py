"""Text as the corpus compares it: the characters and character pairs of a unit's
Chinese runs, with item markers, figures and a few words every plan uses dropped.

Characters need no word segmentation, so a hundred thousand units are vectorized in a
few seconds; TF-IDF weights them by how rare they are among the units compared.
"""
import re

from fazhi.units.patterns import heading_level

# item markers and wording every promise and every result shares (figures go with the
# other characters that are not Chinese)
_BOILERPLATE = re.compile(r"第?[一二三四五六七八九十]+是|^\s*[（(]?[一二三四五六七八九十\d０-９]+[）)、.．]|进一步|不少于|年内|全年|以上")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")



def grams(text: str) -> list[str]:
    """Characters and adjacent character pairs of the unit's Chinese runs."""
    runs = _CJK_RUN.findall(_BOILERPLATE.sub(" ", text))
    out = list("".join(runs))
    for run in runs:
        out += map(str.__add__, run, run[1:])
    return out


def vectorizer():
    """An unfitted TF-IDF over :func:`grams` (hashed: no vocabulary to build), rows L2-normalized."""
    import numpy as np
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
    from sklearn.pipeline import make_pipeline

    return make_pipeline(
        HashingVectorizer(analyzer=grams, n_features=1 << 20, alternate_sign=False, norm=None, dtype=np.float32),
        TfidfTransformer(sublinear_tf=True),
    )


# units with what is_statement needs: the unit, whether a heading, and the unit after it
STATEMENTS = (
    "SELECT r.doc_id, u.sent_id, u.text, u.is_heading, n.text, n.kind FROM predictions p "
    "JOIN units u USING (report_id, sent_id) JOIN reports r USING (report_id) "
    "LEFT JOIN units n ON n.report_id = u.report_id AND n.sent_id = u.sent_id + 1"
)


def is_statement(text: str, is_heading: bool = False, next_text: str | None = None, next_kind: str = "content") -> bool:
    """A unit that says something of its own: not a section heading (二、存在的问题), not
    a heading over items of its own (（二）提升行政执法质效。 above its sentences), not a
    lead-in to a list (还存在一些不足：), and with a few Chinese characters. A numbered
    item with no text under it (（三）开展计量器具专项检查。 before （四）…) is a statement."""
    text = text.strip()
    level = heading_level(text)
    if level is not None and level <= 1 or text.endswith((":", "：")):
        return False
    if is_heading and next_text is not None and next_kind == "content":
        below = heading_level(next_text.strip())
        if level is None or below is None or below > level:
            return False
    return sum(map(len, _CJK_RUN.findall(_BOILERPLATE.sub(" ", text)))) >= 4


def issuer_key(issuer: str) -> str:
    """The issuer as compared across years: 南陵县 and 南陵县人民政府 are one issuer."""
    return re.sub(r"(人民政府|政府)$", "", issuer)
