"""Shared helpers of the bench: paths, child processes with wall time and peak memory,
machine description, markdown tables."""
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PY = sys.executable
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
LABELS_CSV = ROOT / "labels" / "seeds.csv"


def fazhi_cmd() -> list[str]:
    """The installed ``fazhi`` console script next to this Python, else ``python -m fazhi``."""
    script = Path(PY).parent / "fazhi"
    return [str(script)] if script.exists() else [PY, "-m", "fazhi"]


def child_env(**extra) -> dict:
    env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONHASHSEED="0", **extra)
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    return env


class Run:
    """One finished child: wall seconds, peak RSS in MB, exit code, captured stderr tail."""

    def __init__(self, wall, maxrss_mb, code, timed_out=False, stderr=b"", stdout=b""):
        self.wall, self.maxrss_mb, self.code, self.timed_out = wall, maxrss_mb, code, timed_out
        self.stderr, self.stdout = stderr, stdout

    @property
    def ok(self) -> bool:
        return self.code == 0 and not self.timed_out


def run_child(cmd, env=None, timeout=None, cwd=ROOT, capture=False, stdin=subprocess.DEVNULL) -> Run:
    """Run ``cmd``; wall time from fork to reap, peak RSS from wait4 (the child and its children)."""
    out = subprocess.PIPE if capture else subprocess.DEVNULL
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env or child_env(), stdout=out, stderr=subprocess.PIPE, stdin=stdin)
    killed = threading.Event()

    def kill():
        killed.set()
        proc.kill()

    timer = threading.Timer(timeout, kill) if timeout else None
    if timer:
        timer.start()
    # read pipes in threads so a chatty child never blocks; reap with wait4 for its rusage
    chunks = {"out": [], "err": []}
    readers = []
    for name, pipe in (("out", proc.stdout), ("err", proc.stderr)):
        if pipe is not None:
            t = threading.Thread(target=lambda p=pipe, n=name: chunks[n].append(p.read()), daemon=True)
            t.start()
            readers.append(t)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if timer:
        timer.cancel()
    for t in readers:
        t.join()
    return Run(wall, usage.ru_maxrss / 1024, proc.returncode, killed.is_set(), b"".join(chunks["err"]), b"".join(chunks["out"]))


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError:
        return ""


def _version(dist: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "-"


def _git(*args) -> str:
    if not shutil.which("git"):
        return "-"
    p = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    return p.stdout.strip() if p.returncode == 0 else "-"


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in _read("/proc/cpuinfo").splitlines() if line.startswith("model name")), platform.processor() or "-")
    mem_kb = next((int(line.split()[1]) for line in _read("/proc/meminfo").splitlines() if line.startswith("MemTotal:")), 0)
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip() if shutil.which("nproc") else str(os.cpu_count())
    dirty = _git("status", "--porcelain", "--untracked-files=no")
    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": nproc,
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "cpu": cpu,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "versions": {
            name: _version(name)
            for name in ("fazhi", "scikit-learn", "numpy", "scipy", "jieba", "joblib", "threadpoolctl", "typer", "pandas", "fasttext-wheel", "fasttext")
        },
        "git": _git("rev-parse", "--short", "HEAD") + (" + uncommitted changes" if dirty not in ("", "-") else ""),
    }


def loadavg() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "-"


def table(header: list[str], rows: list[list], align: str | None = None) -> str:
    """A markdown table; ``align`` has one l/r per column (default: first left, rest right)."""
    align = align or "l" + "r" * (len(header) - 1)
    cells = [[str(c) for c in row] for row in rows]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join({"l": ":---", "c": ":---:"}.get(a, "---:") for a in align) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in cells]
    return "\n".join(lines)


def fmt_s(x: float) -> str:
    if x != x:
        return "-"
    return f"{x:.2f} s" if x < 100 else f"{x:.0f} s"


def log(*args) -> None:
    print(*args, file=sys.stderr, flush=True)
