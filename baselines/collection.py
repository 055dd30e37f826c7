"""Extraction over a collection of texts, on one machine or on a Ray cluster.

A collection is a parquet file (or a folder of them), a JSON Lines file, or a
Hugging Face dataset saved with ``Dataset.save_to_disk``, with a ``text``
column and optionally an ``id`` column (else a document's id is the first 16
hex digits of its text's SHA-256, as :meth:`Extractor.extract_batch` names
them). Each text is extracted, validated, and becomes one row of the
``documents`` config (:func:`document_rows`; every sentence of a document in
the document's own fold); the rows are written as parquet shards in that
config's schema, with ``summary.json`` beside them.

Two engines give the same rows for the same input:

* ``local`` (:func:`extract_collection_local`): blocks of
  :data:`BLOCK_SIZE` texts in this process, one shard per block;
* ``ray`` (:func:`extract_collection_ray`): Ray Data reads the collection in
  blocks, the trained extractor is put in the object store once and every
  worker (an actor) takes it from there, never retraining; each worker
  writes its own shards. A running cluster is joined with ``address``, else a
  local one is started with ``workers`` CPUs. Ray is an optional extra
  (``pip install 'sahel-corpus[ray]'``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from sahel_corpus.build import PARQUET_OPTIONS, encode_table
from sahel_corpus.errors import DataError, UsageError, WriteError
from sahel_corpus.fileio import iter_jsonl, write_atomic
from sahel_corpus.model import document_to_dict
from sahel_corpus.textrules import check_text
from sahel_corpus.validate import raise_findings, validate_data
from sahel_corpus.views import document_fold, document_rows, features

from .pipeline import Extractor, document_id_from_name

__all__ = [
    "BLOCK_SIZE",
    "ENGINES",
    "collection_kind",
    "extract_collection_local",
    "extract_collection_ray",
    "extract_rows",
    "iter_collection",
    "read_output",
]

#: Texts per block (and per shard of the local engine).
BLOCK_SIZE = 256
ENGINES = ("local", "ray")
#: The share of a CPU Ray's read and write tasks ask for (each actor asks the rest).
IO_CPUS = 0.1
_SUMMARY = "summary.json"


def collection_kind(path: Path) -> str:
    """``parquet``, ``jsonl`` or ``hf`` (a ``save_to_disk`` folder); a clear error otherwise."""
    if path.is_dir():
        if (path / "dataset_info.json").is_file() and (path / "state.json").is_file():
            return "hf"
        if any(path.glob("*.parquet")):
            return "parquet"
    elif path.suffix == ".parquet" and path.is_file():
        return "parquet"
    elif path.suffix in (".jsonl", ".json") and path.is_file():
        return "jsonl"
    raise DataError(
        f"{path}: got {'a folder' if path.is_dir() else 'no such collection'}, expected a "
        "parquet file or folder, a JSON Lines file (.jsonl) or a folder written by "
        "Dataset.save_to_disk, with a text column",
        code="collection",
    )


def _row_id(row: dict[str, Any]) -> str:
    if row.get("id") is not None:
        return document_id_from_name(str(row["id"]))
    return hashlib.sha256(str(row["text"]).encode("utf-8")).hexdigest()[:16]


def _check_row(row: dict[str, Any], where: str) -> tuple[str, str]:
    text = row.get("text")
    if not isinstance(text, str):
        raise DataError(
            f"{where}: got text={type(text).__name__}, expected a string column `text`",
            code="collection-text",
        )
    check_text(text, where, DataError)
    return _row_id(row), text


def iter_collection(path: str | Path) -> Iterator[tuple[str, str]]:
    """``(document id, text)`` of every row of a collection, in order, each text checked."""
    path = Path(path)
    kind = collection_kind(path)
    if kind == "jsonl":
        for number, row in iter_jsonl(path, "a JSON Lines collection"):
            yield _check_row(row, f"{path}: line {number}")
        return
    if kind == "hf":
        import datasets

        data = datasets.load_from_disk(str(path))
        if isinstance(data, datasets.DatasetDict):
            raise DataError(
                f"{path}: got a DatasetDict, expected one split saved with save_to_disk",
                code="collection",
            )
        for number, row in enumerate(data, 1):
            yield _check_row(row, f"{path}: row {number}")
        return
    files = sorted(path.glob("*.parquet")) if path.is_dir() else [path]
    for file in files:
        number = 0
        for batch in pq.ParquetFile(file).iter_batches(batch_size=BLOCK_SIZE):
            for row in batch.to_pylist():
                number += 1
                yield _check_row(row, f"{file}: row {number}")


def extract_rows(extractor: Extractor, items: list[tuple[str, str]]) -> pa.Table:
    """Extract and validate each ``(id, text)``; the ``documents`` rows as an Arrow table."""
    docs = []
    for doc_id, text in items:
        doc = extractor.extract_document(text, doc_id)
        raise_findings(validate_data(document_to_dict(doc), f"{doc_id}.json", text=text), doc_id)
        docs.append(doc)
    folds = {(d.id, s.id): document_fold(d.id) for d in docs for s in d.sentences}
    return encode_table(document_rows(docs, folds), features("documents"))


def _blocks(items: Iterator[tuple[str, str]], size: int) -> Iterator[list[tuple[str, str]]]:
    block: list[tuple[str, str]] = []
    for item in items:
        block.append(item)
        if len(block) == size:
            yield block
            block = []
    if block:
        yield block


def _check_output(output: Path, overwrite: bool) -> None:
    if output.exists() and not output.is_dir():
        raise WriteError(f"{output}: got a file, expected an output folder", code="output")
    if output.is_dir() and any(output.iterdir()) and not overwrite:
        raise WriteError(
            f"{output}: got a folder that holds files, expected a new or empty folder (pass "
            "--overwrite to replace its shards)",
            code="output-exists",
        )
    if output.is_dir() and overwrite:
        for old in [*output.glob("*.parquet"), output / _SUMMARY]:
            old.unlink(missing_ok=True)


def _summary(output: Path, engine: str, workers: int, seconds: float) -> dict[str, Any]:
    """Counts over the written shards (read back from them), the engine and the time."""
    shards = sorted(output.glob("*.parquet"))
    counts = {"documents": 0, "entities": 0, "mentions": 0, "relations": 0, "stances": 0,
              "events": 0}  # fmt: skip
    words = 0
    for shard in shards:
        table = pq.read_table(shard, columns=["text", *(k for k in counts if k != "documents")])
        counts["documents"] += table.num_rows
        words += sum(len(text.split()) for text in table["text"].to_pylist())
        for layer in counts:
            if layer != "documents":
                lengths = pc.list_value_length(table[layer])
                counts[layer] += int(pc.sum(lengths).as_py() or 0)
    summary = {
        "engine": engine,
        "workers": workers,
        "shards": len(shards),
        **counts,
        "words": words,
        "seconds": round(seconds, 2),
        "words_per_second": round(words / seconds) if seconds else 0,
    }
    write_atomic(output / _SUMMARY, json.dumps(summary, indent=2) + "\n", mkdir=True)
    return summary


def extract_collection_local(
    extractor: Extractor,
    source: str | Path,
    output: str | Path,
    overwrite: bool = False,
    block_size: int = BLOCK_SIZE,
    progress: Callable[[int], object] | None = None,
) -> dict[str, Any]:
    """Extract a collection in this process: one shard per block; return the summary.

    ``progress``, if given, is called with the number of texts of each block done.
    """
    output = Path(output)
    _check_output(output, overwrite)
    start = time.perf_counter()
    for k, block in enumerate(_blocks(iter_collection(source), block_size)):
        table = extract_rows(extractor, block)
        sink = pa.BufferOutputStream()
        pq.write_table(table, sink, **PARQUET_OPTIONS)
        write_atomic(output / f"part-{k:05d}.parquet", sink.getvalue().to_pybytes(), mkdir=True)
        if progress is not None:
            progress(len(block))
    return _summary(output, "local", 1, time.perf_counter() - start)


class _Worker:
    """A Ray actor: the extractor comes from the object store once, then block after block."""

    def __init__(self, extractor: Any) -> None:
        import ray

        # an ObjectRef: fetched (unpickled) once per worker from the object store
        self.extractor: Extractor = ray.get(extractor)

    def __call__(self, batch: pa.Table) -> pa.Table:
        rows = batch.to_pylist()
        items = [_check_row(row, f"row {row.get('id', k)}") for k, row in enumerate(rows)]
        return extract_rows(self.extractor, items)


def extract_collection_ray(
    extractor: Extractor,
    source: str | Path,
    output: str | Path,
    overwrite: bool = False,
    block_size: int = BLOCK_SIZE,
    address: str | None = None,
    workers: int = 2,
    progress: bool = False,
) -> dict[str, Any]:
    """Extract a collection with Ray Data; return the summary.

    Joins the cluster at ``address`` (``"auto"`` for the one ``ray start``
    runs here), else starts a local one with ``workers`` CPUs (and stops it
    afterwards). ``workers`` actors extract blocks of ``block_size`` texts
    and write their shards themselves. ``progress`` shows Ray Data's own
    progress bars.
    """
    try:
        import ray
        import ray.data
    except ImportError:
        raise UsageError(
            "got --engine ray, but Ray is not installed, expected it: pip install "
            "'sahel-corpus[ray]'",
            code="ray-missing",
        ) from None
    source, output = Path(source), Path(output)
    kind = collection_kind(source)
    _check_output(output, overwrite)
    started = not ray.is_initialized()
    logging.getLogger("ray.data").setLevel(logging.WARNING)
    ray.data.DataContext.get_current().enable_progress_bars = progress
    if started:
        kwargs: dict[str, Any] = {
            "include_dashboard": False,
            "log_to_driver": False,
            "logging_level": logging.WARNING,
        }
        if address:
            ray.init(address=address, **kwargs)
        else:
            ray.init(num_cpus=workers, **kwargs)
    try:
        start = time.perf_counter()
        # the actors take most of a CPU each and leave room for the light read and write
        # tasks, which would otherwise wait for a CPU the actors never give back
        if kind == "jsonl":
            ds = ray.data.read_json(str(source), lines=True, num_cpus=IO_CPUS)
        elif kind == "hf":
            import datasets

            ds = ray.data.from_huggingface(datasets.load_from_disk(str(source)))
        else:
            ds = ray.data.read_parquet(str(source), num_cpus=IO_CPUS)
        ds.map_batches(
            _Worker,
            fn_constructor_kwargs={"extractor": ray.put(extractor)},
            batch_size=block_size,
            batch_format="pyarrow",
            concurrency=workers,
            num_cpus=1 - IO_CPUS,
        ).write_parquet(str(output), ray_remote_args={"num_cpus": IO_CPUS})
        return _summary(output, "ray", workers, time.perf_counter() - start)
    finally:
        if started:
            ray.shutdown()


def read_output(output: str | Path) -> list[dict[str, Any]]:
    """Every row of an output folder's shards, by document id (to compare two runs)."""
    rows = [row for shard in sorted(Path(output).glob("*.parquet"))
            for row in pq.read_table(shard).to_pylist()]  # fmt: skip
    return sorted(rows, key=lambda r: r["id"])
