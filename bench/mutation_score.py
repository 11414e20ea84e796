"""The score of a mutmut run, per module, and the mutants that survived with their change.

    python bench/mutation_score.py mutants/results.txt   (run by bench/mutation.sh)

A mutant is detected when a test failed (killed) or ran past mutmut's time limit (the
change made a loop endless); the score is the detected share.
"""
import collections
import subprocess
import sys

DETECTED = ("killed", "timeout")


def main() -> None:
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    survivors = []
    for line in open(sys.argv[1], encoding="utf-8"):
        if ":" not in line:
            continue
        name, status = (part.strip() for part in line.rsplit(":", 1))
        module = name.split(".x", 1)[0]
        counts[module][status] += 1
        if status not in DETECTED:
            survivors.append((name, status))
    statuses = sorted({s for c in counts.values() for s in c}, key=lambda s: (s not in DETECTED, s))
    total = collections.Counter()
    print("| module | mutants | " + " | ".join(statuses) + " | detected |")
    print("|:---|---:|" + "---:|" * len(statuses) + "---:|")
    for module, c in sorted(counts.items()):
        total += c
        n = sum(c.values())
        print(f"| {module} | {n} | " + " | ".join(str(c[s]) for s in statuses) + f" | {sum(c[s] for s in DETECTED) / n:.1%} |")
    n = sum(total.values())
    print(f"| **all** | {n} | " + " | ".join(str(total[s]) for s in statuses) + f" | **{sum(total[s] for s in DETECTED) / n:.1%}** |")
    print(f"\n{len(survivors)} not detected:\n")
    for name, status in survivors:
        diff = subprocess.run(["mutmut", "show", name], capture_output=True, text=True).stdout
        changed = [ln for ln in diff.splitlines() if ln[:1] in "+-" and ln[:3] not in ("+++", "---")]
        print(f"- `{name}` ({status})")
        for ln in changed:
            print(f"      {ln}")


if __name__ == "__main__":
    main()
