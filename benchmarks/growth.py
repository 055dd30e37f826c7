"""How the cost of one document grows with its size, from 10 kB to 10 MB.

    python benchmarks/growth.py                       # 10 kB, 100 kB, 1 MB, 10 MB
    python benchmarks/growth.py --sizes 10000 100000  # a quick run

For each size, in a fresh process on one thread (cold caches):

* extraction: one text of that size made of synthetic articles
  (``synthetic.articles``) goes through ``sahel-corpus extract``'s own path
  (check the text, extract, validate the result in memory, write the text and
  the annotation file); the models are trained first, not timed;
* validation: one annotation file of that size, the annotated first article
  repeated (``synthetic.replicated_annotation``), read and validated.

The growth exponent is the least-squares slope of log(seconds) against
log(size) over the sizes of 100 kB and more: 1 is linear, 2 quadratic.
Results go to ``growth.json``; the README section is rendered from it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import report  # noqa: E402

SIZES = (10_000, 100_000, 1_000_000, 10_000_000)
SINGLE_THREAD = {k: "1" for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}


def _text_of_size(size: int) -> str:
    from synthetic import articles

    parts, total, k = [], 0, 0
    for row in articles(10**9):
        parts.append(row["text"])
        total += len(row["text"]) + 2
        k += 1
        if total >= size:
            break
    return "\n\n".join(parts)[:size].rsplit("\n\n", 1)[0] if k > 1 else parts[0][:size]


def measure(size: int, task: str) -> dict[str, Any]:
    """Time one task on one document of about ``size`` characters."""
    from sahel_corpus.baselines.extract import extract_planned, plan_extraction
    from sahel_corpus.baselines.pipeline import Extractor
    from sahel_corpus.sources import dumps_annotation, read_documents
    from sahel_corpus.validate import validate_file
    from synthetic import replicated_annotation

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if task == "extract":
            source = folder / "article.txt"
            source.write_text(_text_of_size(size), encoding="utf-8")
            extractor = Extractor.train(read_documents(HERE.parent / "corpus"))
            start = time.perf_counter()
            plan = plan_extraction([source], folder / "out")
            for _ in extract_planned(extractor, plan):
                pass
            seconds = time.perf_counter() - start
            chars = len(plan[0].text)
        else:
            one = len(replicated_annotation(1)[0]) + 2
            text, data = replicated_annotation(max(1, round(size / one)))
            data["document"]["id"] = "big"
            data["document"]["text_file"] = "big.txt"
            (folder / "big.txt").write_text(text, encoding="utf-8")
            (folder / "big.json").write_text(dumps_annotation(data), encoding="utf-8")
            start = time.perf_counter()
            findings = validate_file(folder / "big.json")
            seconds = time.perf_counter() - start
            assert findings == [], findings[:3]
            chars = len(text)
    return {"task": task, "size": size, "characters": chars, "seconds": round(seconds, 3)}


def run(sizes: tuple[int, ...]) -> list[dict[str, Any]]:
    env = {**os.environ, **SINGLE_THREAD, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1"}
    results = []
    for task in ("extract", "validate"):
        for size in sizes:
            out = subprocess.run(
                [sys.executable, __file__, "--one", str(size), task],
                capture_output=True,
                text=True,
                check=True,
                env=env,
            )
            row = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"{task:8} {row['characters']:>11,} chars {row['seconds']:>8.2f} s", flush=True)
            results.append(row)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--out", type=Path, default=HERE, help="folder for growth.json")
    parser.add_argument("--one", nargs=2, metavar=("SIZE", "TASK"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(int(args.one[0]), args.one[1])))
        return 0
    results = run(tuple(args.sizes))
    sizes = "" if tuple(args.sizes) == SIZES else " --sizes " + " ".join(map(str, args.sizes))
    meta = {
        "command": f"python benchmarks/growth.py{sizes}",
        "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}, one thread, "
        "a fresh process per run",
    }
    args.out.mkdir(parents=True, exist_ok=True)
    report.save_json(args.out / "growth.json", {"meta": meta, "results": results})
    if (args.out / "README.md").is_file():
        report.update(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
