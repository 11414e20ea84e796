"""Reading reports in any of the encodings they are published in."""
import pytest

from fazhi.errors import FazhiError
from fazhi.reading.read import read_text
from fazhi.reading.text import decode
from fazhi.units.sources import doc_id_for
from fazhi.units.report import load_report

from conftest import SEEDS


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "utf-16", "utf-16-le"])
def test_encodings_give_same_units(tmp_path, encoding, seed_reports):
    seed = SEEDS[1]  # dawukou: full-width punctuation, GBK-encodable
    text = seed.read_text(encoding="utf-8")
    path = tmp_path / seed.name
    path.write_bytes(text.encode(encoding))
    report = load_report(str(path))
    assert [u.text for u in report.units] == [u.text for u in seed_reports[seed.stem].units]


def test_gbk_detected_without_hint():
    text = "二、存在的问题\n一是理论学习不够积极主动，重业务、轻学习的思想依然存在。"
    assert decode(text.encode("gbk")) == text


def test_doc_id():
    assert doc_id_for("some/dir/wanghua-2021.txt") == "wanghua-2021"
    assert doc_id_for("-") == "-"


def test_missing_and_empty(tmp_path):
    with pytest.raises(FazhiError, match="no such file"):
        read_text(str(tmp_path / "nope.txt"))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"  \n")
    with pytest.raises(FazhiError, match="empty"):
        read_text(str(empty))
