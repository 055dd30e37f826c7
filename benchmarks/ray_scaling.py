"""The collection engines as the collection grows: local, and Ray with one and two workers.

    python benchmarks/ray_scaling.py                         # 1,000, 10,000 and 100,000 articles
    python benchmarks/ray_scaling.py --sizes 1000 3000       # a shorter run
    python benchmarks/ray_scaling.py --sizes 100000 --runs local:1 ray:2 --append
                                    # add a size with some of the runs to the saved results

For each size, synthetic conflict-news articles (``synthetic.py``) are written
to a JSON Lines collection, and each engine extracts it in a fresh Python
process (``sahel-corpus extract --collection``'s functions, the models
trained first and not timed): the local engine on one thread, then Ray Data
on a local cluster with one and with two workers (actors), which the run
starts and stops. Time is the engine's own (reading, extraction, validation,
writing the parquet shards, and for Ray the cluster's actors starting).
Memory: the local engine's peak resident size, and each Ray worker's peak
resident size (``VmHWM`` of the actor processes) and the peak of its own memory
(resident, less the shared object-store pages it maps), sampled while they run.
Results go to ``ray_scaling.json``; the table and ``ray_scaling.png`` are
rendered from it into this folder's README.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shlex
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import report  # noqa: E402

SIZES = (1_000, 10_000, 100_000)
RUNS = (("local", 1), ("ray", 1), ("ray", 2))
SINGLE_THREAD = {k: "1" for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}


def _memory_mb(pid: int) -> tuple[float, float] | None:
    """A process's peak resident size (``VmHWM``) and its resident size now without the
    shared memory it maps (``VmRSS - RssShmem``: for a Ray worker, the object store's
    pages it has touched are shared, not its own), in MB."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    kb = {}
    for line in status.splitlines():
        key, _, value = line.partition(":")
        if key in ("VmHWM", "VmRSS", "RssShmem"):
            kb[key] = int(value.split()[0])
    if len(kb) < 3:
        return None
    return kb["VmHWM"] / 1024, (kb["VmRSS"] - kb["RssShmem"]) / 1024


def _parent(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])  # the field after the state


def _descends_from(pid: int, ancestor: int) -> bool:
    """Whether process ``pid`` was started (at any depth) by process ``ancestor``."""
    while pid > 1:
        parent = _parent(pid)
        if parent is None:
            return False
        if parent == ancestor:
            return True
        pid = parent
    return False


class _WorkerMemory(threading.Thread):
    """Samples the memory of the Ray map worker processes of the cluster this process
    started (not those of any other Ray run on the machine) until stopped: each one's peak
    resident size, and the peak of its own (unshared) resident memory."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peaks: dict[int, float] = {}
        self.private: dict[int, float] = {}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.5):
            for entry in Path("/proc").iterdir():
                if not entry.name.isdigit():
                    continue
                try:
                    command = (entry / "cmdline").read_bytes()
                except OSError:
                    continue
                pid = int(entry.name)
                if b"MapWorker" in command and _descends_from(pid, os.getpid()):
                    memory = _memory_mb(pid)
                    if memory is not None:
                        self.peaks[pid] = max(memory[0], self.peaks.get(pid, 0))
                        self.private[pid] = max(memory[1], self.private.get(pid, 0))


def measure(collection: Path, engine: str, workers: int) -> dict[str, Any]:
    """One engine on one collection, in this (fresh) process."""
    from sahel_corpus.baselines.collection import extract_collection_local, extract_collection_ray
    from sahel_corpus.baselines.pipeline import Extractor, freeze_for_extraction
    from sahel_corpus.sources import read_documents

    extractor = Extractor.train(read_documents(HERE.parent / "corpus"))
    freeze_for_extraction()  # as `sahel-corpus extract` does once the models are trained
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        if engine == "local":
            summary = extract_collection_local(extractor, collection, out)
            memory = [resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024]
            private = memory  # no shared object store: its memory is its own
        else:
            sampler = _WorkerMemory()
            sampler.start()
            summary = extract_collection_ray(extractor, collection, out, workers=workers)
            sampler.done.set()
            sampler.join()
            memory = sorted(sampler.peaks.values())
            private = sorted(sampler.private.values())
    return {
        "engine": engine,
        "workers": workers,
        "documents": summary["documents"],
        "words": summary["words"],
        "seconds": summary["seconds"],
        "words_per_second": summary["words_per_second"],
        "peak_mb": [round(m, 1) for m in memory],
        "own_mb": [round(m, 1) for m in private],
    }


def _collection(n: int, folder: Path) -> Path:
    from synthetic import articles

    path = folder / f"articles-{n}.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for row in articles(n):
            f.write(json.dumps({"id": row["id"], "text": row["text"]}) + "\n")
    return path


def _parse_run(value: str) -> tuple[str, int]:
    engine, _, workers = value.partition(":")
    if engine not in {"local", "ray"} or not workers.isdigit() or int(workers) < 1:
        raise argparse.ArgumentTypeError(f"got {value!r}, expected local:1, ray:1, ray:2 ...")
    return engine, int(workers)


def run(
    sizes: list[int],
    out: Path,
    runs: tuple[tuple[str, int], ...] = RUNS,
    append: bool = False,
    command: str = "python benchmarks/ray_scaling.py",
) -> dict[str, Any]:
    """Measure each run on each size; save (with ``append``: into the saved results, a
    row of the same size, engine and workers replaced) and render the results."""
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            collection = _collection(n, Path(tmp))
            for engine, workers in runs:
                done = subprocess.run(
                    [sys.executable, __file__, "--one", str(collection), engine, str(workers)],
                    capture_output=True,
                    text=True,
                    check=True,
                    env={**os.environ, **SINGLE_THREAD},
                )
                row = json.loads(done.stdout.strip().splitlines()[-1])
                results.append({"articles": n, **row})
                print(json.dumps(results[-1]), flush=True)
    for row in results:
        row["command"] = command
    meta = {"machine": f"{os.cpu_count()} cores, Python {sys.version.split()[0]}"}
    saved = out / "ray_scaling.json"
    if append and saved.is_file():
        old = json.loads(saved.read_text(encoding="utf-8"))
        new_keys = {(r["articles"], r["engine"], r["workers"]) for r in results}
        made_by = old["meta"].get("command")  # files whose rows do not name their command
        kept = [
            {"command": made_by, **r}
            for r in old["results"]
            if (r["articles"], r["engine"], r["workers"]) not in new_keys
        ]
        results = sorted(
            kept + results,
            key=lambda r: (r["articles"], r["engine"] != "local", r["workers"]),
        )
    data = {"meta": meta, "results": results}
    report.save_json(saved, data)
    if (out / "README.md").is_file():
        report.update(out)
    _plot(data, out / "ray_scaling.png")
    return data


def _plot(data: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    for engine, workers in RUNS:
        rows = [r for r in data["results"] if (r["engine"], r["workers"]) == (engine, workers)]
        label = "local" if engine == "local" else f"ray, {workers} worker{'s' * (workers > 1)}"
        xs = [r["articles"] for r in rows]
        left.plot(xs, [r["seconds"] for r in rows], marker="o", label=label)
        right.plot(xs, [max(r["peak_mb"]) for r in rows], marker="o", label=label)
    for ax, title in ((left, "seconds"), (right, "peak MB per process (largest)")):
        ax.set_xscale("log")
        ax.set_xlabel("articles")
        ax.set_title(title)
        ax.legend()
    left.set_yscale("log")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--out", type=Path, default=HERE)
    parser.add_argument(
        "--runs",
        type=_parse_run,
        nargs="+",
        default=list(RUNS),
        help="engines and workers to run on each size (default: local:1 ray:1 ray:2)",
    )
    parser.add_argument(
        "--append", action="store_true", help="add to the saved results instead of replacing them"
    )
    parser.add_argument("--one", nargs=3, metavar=("COLLECTION", "ENGINE", "WORKERS"))
    args = parser.parse_args(argv)
    if args.one:
        collection, engine, workers = args.one
        print(json.dumps(measure(Path(collection), engine, int(workers))))
        return 0
    given = sys.argv[1:] if argv is None else argv
    command = shlex.join(["python", "benchmarks/ray_scaling.py", *given])
    run(args.sizes, args.out, tuple(args.runs), args.append, command)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
