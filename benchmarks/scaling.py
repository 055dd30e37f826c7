"""Throughput and peak memory of the whole extraction pipeline as the corpus grows.

    python benchmarks/scaling.py                   # 1 to 10,000 articles, both modes
    python benchmarks/scaling.py --sizes 1 10      # a quick run

Each (size, mode) runs in a fresh Python process on one thread: the models are
trained first (not timed), then every synthetic article (``synthetic.py``) is
extracted, either in memory (a ``datasets.Dataset`` mapped in batches, all
results kept) or streaming (an ``IterableDataset`` mapped in batches, each
result dropped once produced). Peak memory is the process's peak resident set
size; "extraction memory" is that peak minus the resident size just before
extraction. Results go to ``scaling.json``; ``scaling.md`` (table) and
``scaling.png`` (plot) are rendered from it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import report  # noqa: E402

SIZES = (1, 10, 100, 1_000, 10_000)
MODES = ("memory", "streaming")
BATCH = 32
SINGLE_THREAD = {k: "1" for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure(n: int, mode: str, seed: int = 0) -> dict[str, Any]:
    """Extract ``n`` synthetic articles in one mode; return time, words and memory."""
    import datasets

    from sahel_corpus.baselines.pipeline import Extractor, freeze_for_extraction
    from sahel_corpus.sources import read_documents
    from sahel_corpus.tokenize import TOKEN_PATTERN
    from synthetic import articles

    datasets.disable_progress_bars()
    extractor = Extractor.train(read_documents(HERE.parent / "corpus"), seed=seed)
    freeze_for_extraction()  # as the README's Dataset.map example does
    words = sum(len(TOKEN_PATTERN.findall(r["text"])) for r in articles(n, seed))
    before = _rss_mb()
    start = time.perf_counter()
    if mode == "memory":
        ds = datasets.Dataset.from_list(list(articles(n, seed)))
        out = ds.map(
            extractor.extract_batch,
            batched=True,
            batch_size=BATCH,
            keep_in_memory=True,
            load_from_cache_file=False,
        )
        produced = len(out["annotation"])
    else:
        stream = datasets.IterableDataset.from_generator(
            articles, gen_kwargs={"n": n, "seed": seed}
        ).map(extractor.extract_batch, batched=True, batch_size=BATCH)
        produced = sum(1 for _ in stream)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert produced == n
    return {
        "documents": n,
        "mode": mode,
        "words": words,
        "seconds": round(seconds, 3),
        "words_per_second": round(words / seconds),
        "peak_rss_mb": round(peak, 1),
        "extraction_mb": round(max(peak - before, 0.0), 1),
    }


def run(sizes: tuple[int, ...], modes: tuple[str, ...], seed: int) -> list[dict[str, Any]]:
    results = []
    env = {**os.environ, **SINGLE_THREAD, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1"}
    for n in sizes:
        for mode in modes:
            out = subprocess.run(
                [sys.executable, __file__, "--one", str(n), mode, "--seed", str(seed)],
                capture_output=True,
                text=True,
                check=True,
                env=env,
            )
            row = json.loads(out.stdout.strip().splitlines()[-1])
            print(
                f"{n:>6} {mode:<9} {row['seconds']:>9.2f} s {row['words_per_second']:>8} "
                f"words/s peak {row['peak_rss_mb']} MB",
                flush=True,
            )
            results.append(row)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=HERE, help="folder for the results")
    parser.add_argument(
        "--render",
        action="store_true",
        help="measure nothing: redraw the table, plot and README from scaling.json",
    )
    parser.add_argument("--one", nargs=2, metavar=("SIZE", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(int(args.one[0]), args.one[1], args.seed)))
        return 0
    if args.render:
        saved = json.loads((args.out / "scaling.json").read_text(encoding="utf-8"))
        _write(args.out, saved["meta"], saved["results"])
        return 0
    results = run(tuple(args.sizes), tuple(args.modes), args.seed)
    import platform

    sizes = " ".join(map(str, args.sizes))
    meta = {
        "command": "python benchmarks/scaling.py"
        + ("" if tuple(args.sizes) == SIZES else f" --sizes {sizes}"),
        "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}",
    }
    args.out.mkdir(parents=True, exist_ok=True)
    report.save_json(args.out / "scaling.json", {"meta": meta, "results": results})
    _write(args.out, meta, results)
    return 0


def _write(out: Path, meta: dict[str, Any], results: list[dict[str, Any]]) -> None:
    """Write the table and the plot, and update the README's sections if there is one."""
    report.write_text(out / "scaling.md", report.render_scaling_markdown(meta, results))
    report.plot_scaling(results, out / "scaling.png")
    if (out / "README.md").is_file():
        report.update(out)


if __name__ == "__main__":
    raise SystemExit(main())
