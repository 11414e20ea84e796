"""A report's metadata: issuer, administrative level, province, year and kind.

Each is taken from where the report states it — the title, the signature, the file
name, the text — and stored with that source (``issuer_from`` …). Names are kept in
simplified characters. What the report does not state is unknown (``None``), never guessed; the user sets it with options or a CSV
(:func:`read_meta_csv`), and those win over what was found.
"""
import csv
import os
import re

from fazhi.errors import FazhiError
from fazhi.learning.records import report_kind, years_in
from fazhi.units.normalize import fold
from fazhi.units.script import is_traditional
from fazhi.vocab import DOC_KINDS, Report

LEVELS = ("province", "city", "county", "township", "department")
_PROVINCES = (
    "北京市 天津市 上海市 重庆市 河北省 山西省 辽宁省 吉林省 黑龙江省 江苏省 浙江省 安徽省 福建省 江西省 "
    "山东省 河南省 湖北省 湖南省 广东省 海南省 四川省 贵州省 云南省 陕西省 甘肃省 青海省 台湾省 "
    "内蒙古自治区 广西壮族自治区 西藏自治区 宁夏回族自治区 新疆维吾尔自治区 香港特别行政区 澳门特别行政区"
).split()
MUNICIPALITIES = _PROVINCES[:4]
PROVINCES = {re.sub(r"(壮族|回族|维吾尔)?(自治区|特别行政区|省|市)$", "", p): p for p in _PROVINCES}  # 安徽 -> 安徽省
_PROVINCE_IN_TEXT = re.compile("|".join(sorted(PROVINCES, key=len, reverse=True)))

_SUFFIX = (
    "人民政府办公室|人民政府办公厅|人民政府|政府|管理委员会|管委会|街道办事处|办事处|委员会|办公室|办公厅|"
    "局|厅|委|办|院|署|中心|特别行政区|自治区|省|自治州|州|盟|地区|市|自治县|县|区|旗|镇|乡|街道"
)
# a name: a few characters and an administrative suffix; never 全市/我县/本区/各部门, nor a
# web page's breadcrumb (首页 > 政务公开 > 法治政府建设年度报告)
_NAME = rf"(?![全我本各该]|中共)(?:(?!法治|报告|建设|首页|政务|工作|情况|关于|公开|信息|位置)[\u4e00-\u9fff]){{1,30}}?(?:{_SUFFIX})"
_TITLE_ISSUER = re.compile(rf"(?:中共[\u4e00-\u9fff]{{1,20}}?委)?(?P<name>{_NAME})(?=关于|\d|法治|依法|公布|发布|[|｜>＞]|$)")
_LEADING_YEAR = re.compile(r"^\s*(?:19|20)\d{2}\s*年度?")
_FILE_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_DEPARTMENT = re.compile(r"(局|厅|委|委员会|办公室|办公厅|办|院|署|中心)$")
_GOVERNMENT = re.compile(r"(人民政府|政府)$")


def title_of(report: Report) -> str:
    return " ".join(u.text for u in report.units if u.kind == "title")


def issuer_from_title(title: str) -> str | None:
    """The issuer a title line starts with: 南陵县2021年…, 淮安市人民政府关于…, 2020年静海区…"""
    head = _LEADING_YEAR.sub("", re.sub(r"\s+", "", title))
    m = _TITLE_ISSUER.match(head)
    return m.group("name") if m else None


def issuer_from_titles(report: Report) -> str | None:
    lines = (u.norm for u in report.units if u.kind == "title")  # simplified, full-width folded
    return next((name for name in map(issuer_from_title, lines) if name), None)


def issuer_from_signature(report: Report, simplify: bool = False) -> str | None:
    """The issuer that signs: a whole name on a signature line, a government's first."""
    for u in report.units:
        if u.kind != "signature":
            continue
        names = [part for part in (fold(p, simplify) for p in u.text.split()) if re.fullmatch(_NAME, part)]
        if names:
            return next((n for n in names if _GOVERNMENT.search(n)), names[-1])
    return None


def level_of(issuer: str | None) -> str | None:
    """The administrative level a name states; None for names that state none
    (a development zone's 管理委员会). A name ending in 市 reads as a city: a county-level
    city (义乌市) says so only as 金华市义乌市, or through --level."""
    if not issuer or re.search(r"(管理委员会|管委会)$", issuer):
        return None
    if re.search(r"(街道办事处|街道|镇|乡|苏木)((人民)?政府)?$", issuer):
        return "township"
    place = _GOVERNMENT.sub("", issuer)
    if place == issuer and _DEPARTMENT.search(issuer):
        return "department"
    if place in MUNICIPALITIES or re.search(r"(省|自治区|特别行政区)$", place):
        return "province"
    if re.search(r"(县|旗)$", place) or (place.endswith("区") and not place.endswith("地区")):
        return "county"
    if re.search(r"(市|州|盟|地区)$", place):
        return "county" if re.search(r"[市州盟].+市$", place) else "city"
    return None


def province_of(issuer: str | None) -> str | None:
    """The province a name starts with (安徽省南陵县, 新疆维吾尔自治区司法厅)."""
    if not issuer:
        return None
    return next((full for short, full in PROVINCES.items() if issuer.startswith(short)), None)


def province_in_text(text: str) -> str | None:
    """The province the text names, when it names exactly one."""
    found = {PROVINCES[m] for m in _PROVINCE_IN_TEXT.findall(text)}
    return found.pop() if len(found) == 1 else None


def year_of(report: Report, path: str) -> tuple[int | None, str | None]:
    """The year the report is about: from its title, else its file name, else its opening."""
    title = title_of(report)
    found = years_in(title) or [int(y) for y in _FILE_YEAR.findall(title)]
    if found:
        return min(found), "title"  # 2021年总结和2022年安排 is about 2021
    m = _FILE_YEAR.search(os.path.splitext(os.path.basename(path))[0])
    if m:
        return int(m.group(1)), "file name"
    opening = [y for u in report.content[:3] for y in years_in(u.text)]
    return (min(opening), "text") if opening else (None, None)


def found_meta(report: Report, path: str) -> dict:
    """What the report states: ``{field: (value, source)}``, ``(None, None)`` when unknown."""
    issuer, source = issuer_from_titles(report), "title"
    if not issuer:
        issuer, source = issuer_from_signature(report, is_traditional(report.text)), "signature"
    kind = report_kind(report.units) or None
    return {
        "issuer": (issuer, source if issuer else None),
        "year": year_of(report, path),
        "kind": (kind, "title" if kind else None),
        "province_in_text": province_in_text(report.text),
    }


def resolve(found: dict, overrides: dict[str, tuple[object, str]]) -> dict:
    """The final ``{field: (value, source)}``: overrides win; level and province come from
    the final issuer's name when not set, the province else from the text."""
    out = {f: overrides.get(f) or found[f] for f in ("issuer", "year", "kind")}
    issuer = out["issuer"][0]
    level = level_of(issuer)
    out["level"] = overrides.get("level") or ((level, "issuer") if level else (None, None))
    province, source = province_of(issuer), "issuer"
    if not province:
        province, source = found.get("province_in_text"), "text"
    out["province"] = overrides.get("province") or ((province, source) if province else (None, None))
    return out


def check_value(field: str, value: str, where: str):
    """An override's value, checked: a level of LEVELS, a year, a kind of DOC_KINDS."""
    value = value.strip()
    if field == "year":
        if not re.fullmatch(r"(19|20)\d{2}", value):
            raise FazhiError(f"year must be a year like 2022, not {value!r}", where)
        return int(value)
    if field == "level" and value not in LEVELS:
        raise FazhiError(f"level must be one of {', '.join(LEVELS)}, not {value!r}", where)
    if field == "kind" and value not in DOC_KINDS:
        raise FazhiError(f"kind must be one of {', '.join(DOC_KINDS)}, not {value!r}", where)
    if not value:
        raise FazhiError(f"empty {field}", where)
    return value


class MetaTable:
    """Metadata set by the user: options for every report, rows of a CSV per file.

    The CSV has a ``file`` column — a bare file name matches every report of that name,
    a path is read from the CSV's folder — and any of issuer, level, province, year, kind;
    an empty cell sets nothing.
    """

    FIELDS = ("issuer", "level", "province", "year", "kind")

    def __init__(self, options: dict | None = None, csv_path: str | None = None):
        self.options = {f: check_value(f, str(v), f"--{f}") for f, v in (options or {}).items() if v not in (None, "")}
        self.by_name: dict[str, dict] = {}
        self.by_path: dict[str, dict] = {}
        if csv_path:
            self._read(csv_path)

    def _read(self, path: str) -> None:
        try:
            with open(path, encoding="utf-8-sig", newline="") as f:
                rows = list(csv.DictReader(f))
                header = set(rows[0]) if rows else set()
        except (OSError, UnicodeDecodeError, csv.Error) as e:
            raise FazhiError(f"cannot read the metadata CSV: {e}", path) from None
        if rows and "file" not in header:
            raise FazhiError("metadata CSV needs a 'file' column", path)
        folder = os.path.dirname(os.path.abspath(path))
        for line, row in enumerate(rows, start=2):
            values = {f: check_value(f, row[f], f"{path}:{line}") for f in self.FIELDS if (row.get(f) or "").strip()}
            name = (row.get("file") or "").strip()
            if not name:
                raise FazhiError("empty file cell", f"{path}:{line}")
            if "/" in name or os.sep in name:
                self.by_path[os.path.normpath(os.path.join(folder, name))] = values
            else:
                self.by_name[name] = values

    def __bool__(self) -> bool:
        return bool(self.options or self.by_name or self.by_path)

    def for_path(self, path: str) -> dict[str, tuple[object, str]]:
        """``{field: (value, "csv" or "option")}`` set for the report at ``path``."""
        row = self.by_path.get(os.path.abspath(path)) or self.by_name.get(os.path.basename(path)) or {}
        out = {f: (v, "csv") for f, v in row.items()}
        out.update({f: (v, "option") for f, v in self.options.items()})
        return out
