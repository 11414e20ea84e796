"""Base labels beside a user's own: shipped with the package, the user's label wins,
the card records both sources, cross-validation scores only the user's reports."""
import csv
import hashlib
import tomllib

import pytest

from conftest import ROOT, assert_clean_error, run_cli
from fazhi.base import FILES
from fazhi.labels.base import base_paths, load_with_base
from fazhi.labels.load import load_labels
from fazhi.learning.train import cross_validate_labels, train

COLUMNS = ["doc_id", "sent_id", "section", "text", "label", "note"]
PROBLEMS, PLANS, DONE = "二、存在的问题", "三、下一步工作打算", "一、主要工作"


def write(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        w.writerows(rows)
    return str(path)


def report(doc, texts):
    """Rows of one report: (section, text, label) in order."""
    return [(doc, i, section, text, label, "") for i, (section, text, label) in enumerate(texts)]


def base_rows(doc):
    return report(doc, [
        (DONE, DONE, "achievement"),
        (DONE, "全年办理行政复议案件120件。", "metric"),
        (DONE, "深入推进严格规范公正文明执法。", "achievement"),  # the user labels this plan under the same section
        (PROBLEMS, PROBLEMS, "problem"),
        (PROBLEMS, "执法人员数量不足，素质有待提高。", "problem"),
        (PLANS, PLANS, "plan"),
        (PLANS, "下一步，将进一步加强执法队伍建设。", "plan"),
    ])  # fmt: skip


def user_rows(doc, shift=0):
    return report(doc, [
        (DONE, DONE, "achievement"),
        (DONE, f"全年组织执法人员培训{12 + shift}次。", "metric"),
        (DONE, "深入推进严格规范公正文明执法。", "plan"),
        (DONE, "县政府常务会议会前学法。", "achievement"),
        (PROBLEMS, PROBLEMS, "problem"),
        (PROBLEMS, "部分部门对法治建设重视不够。", "problem"),
        (PLANS, PLANS, "plan"),
        (PLANS, "力争年底前基本建成法治政府。", "plan"),
    ])  # fmt: skip


@pytest.fixture
def files(tmp_path):
    base = [write(tmp_path / "base-1.csv", base_rows("base-a") + base_rows("base-b")), write(tmp_path / "base-2.csv", base_rows("shared"))]
    mine = write(tmp_path / "mine.csv", user_rows("mine-a") + user_rows("mine-b", 3) + user_rows("mine-c", 5))
    return base, mine


def test_the_packaged_base_labels_equal_the_repository_labels():
    labels = ROOT / "labels"
    training = {"seeds.csv", *(p.name for p in labels.glob("written*.csv"))}
    assert set(FILES) == training
    for path in base_paths():
        name = path.rsplit("/", 1)[-1]
        packaged = hashlib.sha256(open(path, "rb").read()).hexdigest()
        source = hashlib.sha256((labels / name).read_bytes()).hexdigest()
        assert packaged == source, f"fazhi/base/{name} differs from labels/{name}: cp labels/{name} fazhi/base/{name}"


def test_the_wheel_carries_the_base_labels():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["fazhi.base"]
    from fnmatch import fnmatch

    assert all(any(fnmatch(name, p) for p in patterns) for name in FILES)


def test_the_users_label_wins_and_overrides_are_counted(files):
    base, mine = files
    merged = load_with_base([mine], base)
    # per base report: 5 keys the user labeled too (three headings, the 执法 sentence... ) x 3 base reports
    keys_in_both = {(DONE, DONE), (DONE, "深入推进严格规范公正文明执法。"), (PROBLEMS, PROBLEMS), (PLANS, PLANS)}
    assert merged.overridden == 3 * len(keys_in_both)
    assert merged.changed == 3  # the 执法 sentence, achievement in the base, plan in the user's
    labeled = merged.labeled
    by_text = {}
    for u, lab, only in zip(labeled.units, labeled.labels, labeled.fit_only):
        by_text.setdefault(u.text, set()).add((lab, only))
    assert by_text["深入推进严格规范公正文明执法。"] == {("plan", False)}
    assert by_text["全年办理行政复议案件120件。"] == {("metric", True)}
    assert len(labeled.units) == 3 * 8 + 3 * (7 - len(keys_in_both))


def test_the_same_text_under_another_section_is_no_override(files, tmp_path):
    base, _ = files
    mine = write(tmp_path / "other.csv", report("mine-x", [("四、其他", "深入推进严格规范公正文明执法。", "plan")]))
    merged = load_with_base([mine], base)
    assert merged.overridden == 0


def test_a_base_report_with_the_users_doc_id_gives_way(files, tmp_path):
    base, _ = files
    mine = write(tmp_path / "shared.csv", user_rows("shared"))
    merged = load_with_base([mine], base)
    assert merged.replaced_reports == ["shared"]
    assert [u.doc_id for u, only in zip(merged.labeled.units, merged.labeled.fit_only) if not only] == ["shared"] * 8
    assert "shared" not in {u.doc_id for u, only in zip(merged.labeled.units, merged.labeled.fit_only) if only}


def test_cross_validation_scores_only_the_users_reports(files):
    base, mine = files
    labeled = load_with_base([mine], base).labeled
    result = cross_validate_labels(labeled, grid={}, blind=False)
    tested = sorted(g for fold in result.folds for g in fold["test"])
    assert tested == ["mine-a", "mine-b", "mine-c"]
    assert result.systems["fazhi"]["n"] == len(load_labels([mine]).trainable())


def test_train_with_base_records_both_sources(files, tmp_path):
    base, mine = files
    card = train([mine], str(tmp_path / "m"), search=False, base=base)
    assert card["data"]["files"] == {mine: hashlib.sha256(open(mine, "rb").read()).hexdigest()}
    recorded = card["data"]["base"]
    assert recorded["files"] == {p.rsplit("/", 1)[-1]: hashlib.sha256(open(p, "rb").read()).hexdigest() for p in base}
    assert recorded["overridden"] == 12 and recorded["overridden_with_another_label"] == 3
    assert card["n_units"] == 24 + 9  # the user's units and the base's not overridden
    assert sorted(g for fold in card["cv"]["folds"] for g in fold["test"]) == ["mine-a", "mine-b", "mine-c"]
    assert card["retrain"].endswith("--base")
    alone = train([mine], str(tmp_path / "alone"), search=False, cv=False)
    assert alone["n_units"] == 24 and "base" not in alone["data"]


def test_train_base_from_the_command_prints_the_overrides(tmp_path):
    mine = write(tmp_path / "mine.csv", report("mine-a", [
        ("", "某县2023年法治政府建设情况报告", "skip"),
        ("二、存在的问题", "二、存在的问题", "problem"),
        ("二、存在的问题", "基层执法力量仍显薄弱。", "problem"),
    ]))  # fmt: skip
    proc = run_cli("train", mine, "-o", tmp_path / "m", "--base", "--no-cv", "--no-search")
    assert proc.returncode == 0, proc.stderr
    assert "base labels: 6 files;" in proc.stderr
    overridden = int(proc.stderr.split("files; ")[1].split(" ")[0])
    assert overridden >= 1  # 二、存在的问题 opens a problem section in base reports too
    assert_clean_error(run_cli("train", tmp_path / "missing.csv", "-o", tmp_path / "x", "--base"), "missing.csv")
