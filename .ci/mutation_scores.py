"""Print the mutation score of each mutated module from mutmut's results (run by .ci/mutation)."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter, defaultdict


def main() -> int:
    done = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"],
        capture_output=True,
        text=True,
        check=True,
    )
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for line in done.stdout.splitlines():
        name, _, status = line.strip().rpartition(": ")
        module = name.split(".x")[0].split("__mutmut_")[0]
        counts[module.rsplit(".", 1)[0] if "ǁ" in module else module][status] += 1
    print("| module | mutants | killed | survived | timeout | not checked | score |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for module, c in sorted(counts.items()):
        checked = sum(c.values()) - c["not checked"]
        killed = c["killed"] + c["timeout"]
        score = f"{killed / checked:.1%}" if checked else "n/a"
        print(
            f"| {module} | {sum(c.values())} | {c['killed']} | {c['survived']} | "
            f"{c['timeout']} | {c['not checked']} | {score} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
