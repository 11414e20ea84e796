"""How closely fazhi's units follow the units a reader cuts, on the shapes-test documents.

    python bench/segmentation.py [--before DIR] [--set shapes|written] [--misses] [--no-write]

For every document in ``labels/docs/`` of the chosen set it compares fazhi's units with
the reader's (``labels/shapes-test.csv``, or ``labels/written-?.csv`` with ``--set written``):

- units: the share of the reader's units that fazhi reproduces exactly (the same text,
  whitespace removed, at the same place); apart, the web furniture lines (breadcrumbs,
  "来源：… 点击数：…", 【打印】) that fazhi drops while cleaning and the reader cut as
  units labeled skip, and the share of the other units reproduced;
- sections: the reader's top-level headings found as fazhi sections, the sections fazhi
  makes that the reader has not, and the reproduced units that fazhi puts in the
  reader's section;
- joined lines: fazhi units that hold two or more of the reader's units that stand on a
  line of their own (a list run together).

``--before DIR`` runs the same on the code in DIR (e.g. ``git worktree add /tmp/seg-before
<commit>``) and prints the two side by side. Each code is run in its own process. The
figures go to ``bench/segmentation.json`` unless ``--no-write``.
"""
import argparse
import csv
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "labels"
SETS = {"shapes": ["shapes-test.csv"], "written": ["written-a.csv", "written-b.csv", "written-c.csv", "written-d.csv"]}
_WS = re.compile(r"\s+")
WRAP_WIDTHS = (20, 30, 40)

# run in a child process with the code under test first on sys.path
_DUMP = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
from fazhi.units.loading import load_reports
out = {}
for path in sys.argv[2:]:
    units = []
    for _, report in load_reports([path]):
        if isinstance(report, Exception):
            continue
        units += [{"doc": report.doc_id, "text": u.text, "section": u.section, "kind": u.kind,
                   "is_heading": u.is_heading, "heading": getattr(u, "heading", None)} for u in report.units]
    out[path] = units
json.dump(out, sys.stdout, ensure_ascii=False)
"""


def squeeze(s: str) -> str:
    return _WS.sub("", s)


def reader_documents(names: list[str]) -> dict[str, list[dict]]:
    docs: dict[str, list[dict]] = {}
    for name in names:
        with open(LABELS / name, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                docs.setdefault(row["doc_id"], []).append(row)
    return docs


def fazhi_units(code: Path, paths: list[Path]) -> dict[str, list[dict]]:
    proc = subprocess.run(
        [sys.executable, "-c", _DUMP, str(code), *map(str, paths)],
        capture_output=True, text=True, cwd=code, env={"PYTHONIOENCODING": "utf-8", "PATH": ""},
    )  # fmt: skip
    if proc.returncode:
        sys.exit(f"segmenting with {code} failed:\n{proc.stderr}")
    return json.loads(proc.stdout)


def _spans(texts: list[str], whole: str) -> list[tuple[int, int] | None]:
    """Each text's span in ``whole`` (all squeezed), searched in order."""
    out, cur = [], 0
    for t in texts:
        p = whole.find(t, cur) if t else -1
        if p < 0:
            out.append(None)
            continue
        out.append((p, p + len(t)))
        cur = p + len(t)
    return out


def _dropped(reader: list[dict], r_spans: list, f_spans: set) -> int:
    """The reader's skip units that no fazhi unit touches: lines dropped as web furniture."""
    def touched(span):
        return span is not None and any(a < span[1] and span[0] < b for a, b in f_spans)

    return sum(not touched(s) and r["label"] == "skip" for r, s in zip(reader, r_spans))


def _joined(doc_text: str, reader: list[dict], r_spans: list, fazhi: list[dict], f_spans: list) -> list[str]:
    """Fazhi units holding two or more of the reader's units that stand on a line of their own."""
    lines = {squeeze(line) for line in doc_text.split("\n") if line.strip()}
    line_spans = [s for r, s in zip(reader, r_spans) if s and squeeze(r["text"]) in lines]
    return [
        u["text"] for u, (a, b) in ((u, s) for u, s in zip(fazhi, f_spans) if s)
        if sum(a <= x and y <= b for x, y in line_spans) >= 2
    ]  # fmt: skip


def compare(doc_text: str, reader: list[dict], fazhi: list[dict]) -> dict:
    """The figures of one document, and its misses."""
    whole = squeeze(doc_text)
    r_spans = _spans([squeeze(r["text"]) for r in reader], whole)
    f_spans = _spans([squeeze(u["text"]) for u in fazhi], whole)
    f_section = {s: squeeze(u["section"]) for u, s in zip(fazhi, f_spans) if s}
    matched = [s in f_section for s in r_spans]
    r_sections = list(dict.fromkeys(squeeze(r["section"]) for r in reader if r["section"]))
    f_sections = list(dict.fromkeys(squeeze(u["section"]) for u in fazhi if u["section"]))
    return {
        "units": len(reader), "matched": sum(matched), "dropped": _dropped(reader, r_spans, set(f_section)),
        "misses": [r["text"] for r, ok in zip(reader, matched) if not ok],
        "same_section": sum(f_section[s] == squeeze(r["section"]) for r, s, ok in zip(reader, r_spans, matched) if ok),
        "sections": len(r_sections), "sections_found": sum(s in f_sections for s in r_sections),
        "sections_missed": [s for s in r_sections if s not in f_sections],
        "sections_extra": [s for s in f_sections if s not in r_sections],
        "joined": _joined(doc_text, reader, r_spans, fazhi, f_spans),
        "reports": len(dict.fromkeys(u["doc"] for u in fazhi)),
    }  # fmt: skip


def measure(code: Path, docs: dict[str, list[dict]], paths: list[Path] | None = None) -> dict:
    paths = paths or [LABELS / "docs" / f"{d}.txt" for d in docs]
    units = fazhi_units(code, paths)
    per_doc = {
        d: compare(p.read_text(encoding="utf-8"), rows, units[str(p)]) for (d, rows), p in zip(docs.items(), paths)
    }
    total = lambda key: sum(v[key] for v in per_doc.values())  # noqa: E731
    return {
        "documents": len(per_doc),
        "reader_units": total("units"),
        "units_matched": total("matched"),
        "units_share": round(total("matched") / max(1, total("units")), 4),
        "dropped_as_furniture": total("dropped"),
        "units_share_of_kept": round(total("matched") / max(1, total("units") - total("dropped")), 4),
        "units_in_same_section": total("same_section"),
        "sections": total("sections"),
        "sections_found": total("sections_found"),
        "sections_extra": sum(len(v["sections_extra"]) for v in per_doc.values()),
        "joined_list_units": sum(len(v["joined"]) for v in per_doc.values()),
        "files_read_as_several_reports": sum(v["reports"] > 1 for v in per_doc.values()),
        "per_document": per_doc,
    }


def rewrap(text: str, width: int) -> str:
    """Every paragraph cut into lines of ``width`` characters, as a fixed-width copy sets it."""
    return "\n".join(p[k : k + width] for p in (x.strip() for x in text.split("\n")) for k in range(0, max(len(p), 1), width))


def wrapped_seeds(code: Path, folder: Path) -> dict:
    """The seed reports re-wrapped at 20, 30 and 40 characters a line, against labels/seeds.csv."""
    docs = reader_documents(["seeds.csv"])
    out = {}
    for width in WRAP_WIDTHS:
        paths = []
        for d in docs:
            path = folder / str(width) / f"{d}.txt"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(rewrap((ROOT / "seeds" / f"{d}.txt").read_text(encoding="utf-8"), width), encoding="utf-8")
            paths.append(path)
        m = measure(code, docs, paths)
        out[width] = {k: m[k] for k in ("reader_units", "units_matched", "units_share", "joined_list_units")}
    return out


def _row(name: str, m: dict) -> str:
    kept = m["reader_units"] - m["dropped_as_furniture"]
    return (
        f"| {name} | {m['units_matched']} / {m['reader_units']} ({100 * m['units_share']:.1f}%) "
        f"| {m['dropped_as_furniture']} | {m['units_matched']} / {kept} ({100 * m['units_share_of_kept']:.1f}%) "
        f"| {m['sections_found']} / {m['sections']} | {m['sections_extra']} "
        f"| {m['units_in_same_section']} / {m['units_matched']} | {m['joined_list_units']} "
        f"| {m['files_read_as_several_reports']} |"
    )


def report(results: dict, show_misses: bool) -> str:
    out = [
        "| code | reader's units reproduced | web furniture lines dropped (reader: skip) | reproduced of the rest "
        "| section headings found | extra sections | reproduced units in the reader's section "
        "| units joining list lines | files read as several reports |",
        "|:---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    out += [_row(name, m) for name, m in results.items()]
    if show_misses:
        for name, m in results.items():
            out.append(f"\n## misses: {name}")
            for d, v in m["per_document"].items():
                if v["misses"] or v["sections_missed"] or v["sections_extra"] or v["joined"]:
                    out.append(f"- {d}: {v['matched']}/{v['units']}")
                    out += [f"    miss: {t}" for t in v["misses"]]
                    out += [f"    section missed: {s}" for s in v["sections_missed"]]
                    out += [f"    section extra: {s}" for s in v["sections_extra"]]
                    out += [f"    joined: {t[:80]}" for t in v["joined"]]
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--before", help="a checkout of the code to compare with")
    ap.add_argument("--set", choices=sorted(SETS), default="shapes")
    ap.add_argument("--misses", action="store_true", help="list every unit, section and join missed")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    docs = reader_documents(SETS[args.set])
    codes = {"before": Path(args.before).resolve()} if args.before else {}
    codes["fazhi"] = ROOT
    results = {name: measure(code, docs) for name, code in codes.items()}
    print(f"{args.set}: {len(docs)} documents\n")
    print(report(results, args.misses))
    with tempfile.TemporaryDirectory() as tmp:
        wrapped = {name: wrapped_seeds(code, Path(tmp) / name) for name, code in codes.items()}
    print("\nThe seed reports re-wrapped at a fixed width, against labels/seeds.csv:\n")
    print("| code | " + " | ".join(f"{w} characters a line" for w in WRAP_WIDTHS) + " |")
    print("|:---|" + "---:|" * len(WRAP_WIDTHS))
    for name, by_width in wrapped.items():
        cells = [f"{m['units_matched']} / {m['reader_units']} ({100 * m['units_share']:.1f}%)" for m in by_width.values()]
        print(f"| {name} | " + " | ".join(cells) + " |")
    if not args.no_write:
        sys.path.insert(0, str(ROOT))
        from fazhi.atomic import atomic_open

        with atomic_open(str(ROOT / "bench" / f"segmentation{'' if args.set == 'shapes' else '-' + args.set}.json")) as f:
            json.dump({"set": args.set, **results, "seeds_rewrapped": wrapped}, f, ensure_ascii=False, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
