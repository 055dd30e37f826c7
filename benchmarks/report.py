"""Render the generated sections of ``benchmarks/README.md`` from the saved results.

    python benchmarks/report.py

reads ``scaling.json`` and ``peer.json`` (written by ``scaling.py`` and
``peer.py``, which call this at their end) and rewrites the ``scaling``,
``peer`` and ``targets`` sections. A test checks that the README matches.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _load(name: str, folder: Path) -> dict[str, Any] | None:
    path = folder / name
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def growth_exponent(rows: list[dict[str, Any]]) -> float:
    """Least-squares slope of log(seconds) against log(articles) over sizes of 10 and more.

    >>> growth_exponent([{"documents": 10, "seconds": 1.0}, {"documents": 100, "seconds": 10.0}])
    1.0
    """
    pts = [(math.log(r["documents"]), math.log(r["seconds"])) for r in rows if r["documents"] >= 10]
    if len(pts) < 2:
        return float("nan")
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    num = sum((x - mx) * (y - my) for x, y in pts)
    den = sum((x - mx) ** 2 for x, _ in pts)
    return round(num / den, 3)


def render_scaling(scaling: dict[str, Any]) -> str:
    from scaling import render_table

    rows = scaling["results"]
    lines = [
        f"Measured by `{scaling['meta']['command']}` on {scaling['meta']['machine']}.",
        "",
        render_table(rows),
        "",
    ]
    for mode in ("memory", "streaming"):
        mode_rows = [r for r in rows if r["mode"] == mode]
        if mode_rows:
            mem = [r["extraction_mb"] for r in mode_rows]
            lines.append(
                f"* {mode}: time grows as articles^{growth_exponent(mode_rows)} (1 is linear); "
                f"extraction memory {min(mem):.1f} to {max(mem):.1f} MB"
            )
    lines += ["", "![time and memory against corpus size](scaling.png)"]
    return "\n".join(lines)


def render_growth(growth: dict[str, Any]) -> str:
    from growth import growth_exponent as size_exponent

    rows = growth["results"]
    lines = [
        f"Measured by `{growth['meta']['command']}` on {growth['meta']['machine']}.",
        "",
        "| task | characters | seconds | characters/s |",
        "|---|---:|---:|---:|",
    ]
    for r in rows:
        rate = r["characters"] / r["seconds"] if r["seconds"] else float("nan")
        lines.append(f"| {r['task']} | {r['characters']:,} | {r['seconds']:.2f} | {rate:,.0f} |")
    lines.append("")
    for task in ("extract", "validate"):
        task_rows = [r for r in rows if r["task"] == task]
        if task_rows:
            lines.append(
                f"* {task}: time grows as size^{size_exponent(task_rows)} from 100 kB on "
                "(1 is linear, 2 quadratic)"
            )
    return "\n".join(lines)


def render_targets(
    peer: dict[str, Any] | None,
    scaling: dict[str, Any] | None,
    growth: dict[str, Any] | None = None,
) -> str:
    lines = ["| target | measured | met |", "|---|---|---|"]
    if peer:
        n, p = peer["ner"], peer["pipeline"]
        ratio_ok = n["speed_ratio"] >= 10 and n["ours_f1"] >= n["spacy_f1"]
        lines.append(
            f"| NER at least 10 times spaCy's words/s at no lower F1 | {n['speed_ratio']:.2f} "
            f"times, F1 {n['ours_f1']:.3f} against {n['spacy_f1']:.3f} | "
            f"{'yes' if ratio_ok else 'no'} |"
        )
        lines.append(
            f"| whole pipeline at least 100,000 words/s on one core | "
            f"{p['words_per_second']:,} words/s | "
            f"{'yes' if p['words_per_second'] >= 100_000 else 'no'} |"
        )
        lines.append(
            f"| at least half of the NER time inside the CRF library | "
            f"{n['crf_share'] * 100:.1f}% | {'yes' if n['crf_share'] >= 0.5 else 'no'} |"
        )
    if scaling:
        for mode in ("memory", "streaming"):
            rows = [r for r in scaling["results"] if r["mode"] == mode]
            if rows:
                k = growth_exponent(rows)
                lines.append(
                    f"| time linear in corpus size ({mode}) | exponent {k} | "
                    f"{'yes' if 0.9 <= k <= 1.1 else 'no'} |"
                )
        rows = [r for r in scaling["results"] if r["mode"] == "streaming"]
        if rows:
            spread = max(r["extraction_mb"] for r in rows) - min(r["extraction_mb"] for r in rows)
            lines.append(
                f"| streaming memory flat | {spread:.1f} MB spread over "
                f"{rows[0]['documents']:,} to {rows[-1]['documents']:,} articles | "
                f"{'yes' if spread <= 50 else 'no'} |"
            )
    if growth:
        from growth import growth_exponent as size_exponent

        for task in ("extract", "validate"):
            rows = [r for r in growth["results"] if r["task"] == task]
            if rows:
                k = size_exponent(rows)
                lines.append(
                    f"| one document's {task} cost O(n log n) or better, 10 kB to 10 MB | "
                    f"exponent {k} | {'yes' if k <= 1.2 else 'no'} |"
                )
    return "\n".join(lines)


def render_sections(folder: Path = HERE) -> dict[str, str]:
    """The body of each generated README section, from the JSON results in ``folder``."""
    from peer import render as render_peer

    scaling = _load("scaling.json", folder)
    peer = _load("peer.json", folder)
    growth = _load("growth.json", folder)
    missing = "Not measured yet: run the command above."
    return {
        "scaling": render_scaling(scaling) if scaling else missing,
        "growth": render_growth(growth) if growth else missing,
        "peer": render_peer(peer) if peer else missing,
        "targets": render_targets(peer, scaling, growth),
    }


def update(folder: Path = HERE) -> None:
    """Rewrite the generated sections of ``folder/README.md``."""
    from sahel_corpus.sections import replace_section

    readme = folder / "README.md"
    text = readme.read_text(encoding="utf-8")
    for name, body in render_sections(folder).items():
        text = replace_section(text, name, body)
    readme.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    update()
