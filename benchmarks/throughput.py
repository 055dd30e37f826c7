"""The whole pipeline's words per second on synthetic conflict-news articles, on each path.

    python benchmarks/throughput.py                              # 1,000 articles, 5 runs a path
    python benchmarks/throughput.py --articles 50 --repeats 1    # a quick run

The same articles (``synthetic.py``) go through each path the project offers:

* ``memory``: :meth:`Extractor.extract_batch` on batches of 32 texts, the
  function ``Dataset.map(batched=True)`` runs (annotation files as JSON text);
* ``files``: ``sahel-corpus extract`` over a folder of text files (reading each
  file, extraction, validation, writing each text and annotation file);
* ``collection``: ``sahel-corpus extract --collection`` over a JSON Lines file
  with the local engine (reading, extraction, validation, parquet shards).

Words are counted as the collection summary counts them, separated by white
space (tokens, punctuation included, are about a tenth more). Each run is a
fresh Python process on one thread: the models are trained on the corpus
first and frozen as the command does (not timed), then the path is timed, so
the tagger's feature caches start empty. The input files are written before
the runs (they are in the operating system's page cache). Just before the
timed path, and again just after it, each process also times a fixed workload
of the standard library on the same texts (:func:`reference_seconds`, the
mean of the two): it runs no code of the project, so its words per second
move only with the machine, and the ratio of the two figures compares runs
made on machines (or days) of different speed. Results go to
``throughput.json``; the README section is rendered from it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import report  # noqa: E402
from peer import fresh_runs, rate  # noqa: E402

PATHS = ("memory", "files", "collection")
#: Texts per ``extract_batch`` call on the memory path (as ``scaling.py`` maps them).
BATCH = 32
#: Passes of the reference workload over the texts in each process.
REFERENCE_PASSES = 5


def reference_seconds(texts: list[str]) -> float:
    """Seconds the reference workload takes here: :data:`REFERENCE_PASSES` passes over the
    texts, each counting lower-cased words (split at white space) in a dictionary and
    sorting them by count. Standard library only, so the project's code never changes it.

    >>> reference_seconds(["a b a", "B c"]) > 0
    True
    """
    start = time.perf_counter()
    for _ in range(REFERENCE_PASSES):
        counts: dict[str, int] = {}
        for text in texts:
            for word in text.split():
                key = word.lower()
                counts[key] = counts.get(key, 0) + 1
        sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return time.perf_counter() - start


def _write_inputs(n: int, folder: Path) -> tuple[Path, Path]:
    """The articles as a folder of text files and as a JSON Lines collection."""
    from synthetic import articles

    texts = folder / "texts"
    texts.mkdir()
    collection = folder / "articles.jsonl"
    with collection.open("w", encoding="utf-8") as lines:
        for row in articles(n):
            (texts / f"{row['id']}.txt").write_text(row["text"], encoding="utf-8")
            lines.write(json.dumps({"id": row["id"], "text": row["text"]}) + "\n")
    return texts, collection


def time_path(path: str, inputs: Path) -> dict[str, Any]:
    """One timed run of one path in this (fresh) process."""
    from sahel_corpus.baselines.collection import extract_collection_local
    from sahel_corpus.baselines.extract import extract_planned, plan_extraction
    from sahel_corpus.baselines.pipeline import Extractor, freeze_for_extraction
    from sahel_corpus.sources import read_documents
    from sahel_corpus.tokenize import word_count

    texts = sorted((inputs / "texts").glob("*.txt"))
    extractor = Extractor.train(read_documents(HERE.parent / "corpus"))
    freeze_for_extraction()
    reference_texts = [t.read_text(encoding="utf-8") for t in texts]
    reference = reference_seconds(reference_texts)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        if path == "memory":
            batch = {"text": reference_texts, "id": [t.stem for t in texts]}
            words = sum(word_count(t) for t in batch["text"])
            start = time.perf_counter()
            for at in range(0, len(texts), BATCH):
                extractor.extract_batch({k: v[at : at + BATCH] for k, v in batch.items()})
            seconds = time.perf_counter() - start
        elif path == "files":
            # the documents are let go as they come, as the command does (kept, they would
            # slow every later garbage collection down); the planned items stay alive anyway
            start = time.perf_counter()
            done = [item for item, _ in extract_planned(extractor, plan_extraction(texts, out))]
            seconds = time.perf_counter() - start
            words = sum(word_count(item.text) for item in done)
        else:
            summary = extract_collection_local(extractor, inputs / "articles.jsonl", out)
            seconds, words = summary["seconds"], summary["words"]
    # the machine's speed can drift during a run: the reference is timed again after the path
    reference = (reference + reference_seconds(reference_texts)) / 2
    return {"path": path, "words": words, "seconds": seconds, "reference_seconds": reference}


def run(n: int, repeats: int, out: Path, command: str) -> dict[str, Any]:
    """Time every path ``repeats`` times on ``n`` articles; save and render the results."""
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        _write_inputs(n, Path(tmp))
        for path in PATHS:
            runs = fresh_runs(["--one", path, tmp], repeats, script=__file__)
            words = {r["words"] for r in runs}
            assert len(words) == 1, f"{path}: runs counted different words {words}"
            results[path] = {
                "words": runs[0]["words"],
                **rate(runs[0]["words"], runs),
                "reference": rate(runs[0]["words"] * REFERENCE_PASSES, runs, "reference_seconds"),
            }
            print(f"{path}: {results[path]}", flush=True)
    data = {
        "meta": {
            "command": command,
            "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}, one thread",
            "articles": n,
        },
        "paths": results,
    }
    report.save_json(out / "throughput.json", data)
    if (out / "README.md").is_file():
        report.update(out)
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--out", type=Path, default=HERE)
    parser.add_argument("--one", nargs=2, metavar=("PATH", "INPUTS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(time_path(args.one[0], Path(args.one[1]))))
        return 0
    given = sys.argv[1:] if argv is None else argv
    command = shlex.join(["python", "benchmarks/throughput.py", *given])
    run(args.articles, args.repeats, args.out, command)
    print(report.render_sections(args.out)["throughput"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
