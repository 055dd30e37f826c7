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

import contextlib
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from sahel_corpus.build import PARQUET_OPTIONS, encode_table
from sahel_corpus.errors import DataError, SahelCorpusError, UsageError, WriteError
from sahel_corpus.fileio import iter_jsonl, write_atomic
from sahel_corpus.model import document_to_dict
from sahel_corpus.schema import is_document_id
from sahel_corpus.sources import check_not_in_a_corpus
from sahel_corpus.textrules import check_text
from sahel_corpus.tokenize import word_count
from sahel_corpus.validate import raise_findings, validate_data
from sahel_corpus.views import document_fold, document_rows, features

from .pipeline import Extractor, freeze_for_extraction

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
    found = (
        "a folder without parquet files or a saved dataset"
        if path.is_dir()
        else f"a file ending {path.suffix or 'in no suffix'!r}"
        if path.is_file()
        else "no such file or folder"
    )
    raise DataError(
        f"{path}: got {found}, expected a parquet file or folder, a JSON Lines file (.jsonl) "
        "or a folder written by Dataset.save_to_disk, with a text column",
        code="collection",
    )


def _row_id(row: dict[str, Any], where: str) -> str:
    if row.get("id") is None:
        return hashlib.sha256(str(row["text"]).encode("utf-8")).hexdigest()[:16]
    doc_id = str(row["id"])
    if not is_document_id(doc_id):
        raise DataError(
            f"{where}: got id {doc_id!r}, expected a document id (letters, digits, _ and -, "
            "starting with a letter or digit)",
            code="collection-id",
        )
    return doc_id


def _check_row(row: dict[str, Any], where: str) -> tuple[str, str]:
    if "text" not in row:
        raise DataError(
            f"{where}: got no text column (columns: {', '.join(sorted(row)) or 'none'}), "
            "expected a string column `text`",
            code="collection-text",
        )
    text = row["text"]
    if not isinstance(text, str):
        raise DataError(
            f"{where}: got text of type {type(text).__name__}, expected a string",
            code="collection-text",
        )
    check_text(text, where, DataError)
    return _row_id(row, where), text


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
        try:
            batches = pq.ParquetFile(file).iter_batches(batch_size=BLOCK_SIZE)
            for batch in batches:
                for row in batch.to_pylist():
                    number += 1
                    yield _check_row(row, f"{file}: row {number}")
        except (pa.ArrowException, OSError) as err:
            raise DataError(
                f"{file}: got a file parquet cannot read ({err}), expected a parquet file",
                code="collection",
            ) from None


def _unique(items: Iterator[tuple[str, str]], where: str) -> Iterator[tuple[str, str]]:
    """The items, refusing an id seen before (two texts with one id, or one text twice) and
    a collection without any text."""
    seen: set[str] = set()
    for doc_id, text in items:
        if doc_id in seen:
            raise DataError(
                f"{where}: got document id {doc_id!r} twice, expected each text once with ids "
                "of its own",
                code="collection-duplicate",
            )
        seen.add(doc_id)
        yield doc_id, text
    if not seen:
        raise DataError(
            f"{where}: got no row, expected at least one text to extract", code="collection-empty"
        )


def extract_rows(extractor: Extractor, items: list[tuple[str, str]]) -> pa.Table:
    """Extract and validate each ``(id, text)``; the ``documents`` rows as an Arrow table."""
    docs = extractor.extract_documents((text, doc_id) for doc_id, text in items)
    dicts = [document_to_dict(doc) for doc in docs]
    for doc, data in zip(docs, dicts, strict=True):
        raise_findings(validate_data(data, f"{doc.id}.json", text=doc.text), doc.id)
    folds = {(d.id, s.id): document_fold(d.id) for d in docs for s in d.sentences}
    return encode_table(document_rows(docs, folds, dicts), features("documents"))


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
    check_not_in_a_corpus(output, "output folder")
    if output.is_dir() and any(output.iterdir()) and not overwrite:
        raise WriteError(
            f"{output}: got a folder that holds files, expected a new or empty folder (pass "
            "--overwrite to replace its shards)",
            code="output-exists",
        )


@contextlib.contextmanager
def _staged(output: Path) -> Iterator[Path]:
    """A folder beside ``output`` for the shards; moved into ``output`` only when all went
    well (the old shards and summary replaced), removed otherwise."""
    output.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(dir=output.parent, prefix=f".{output.name}.partial-"))
    try:
        yield stage
        output.mkdir(exist_ok=True)
        for old in [*output.glob("*.parquet"), output / _SUMMARY]:
            old.unlink(missing_ok=True)
        for shard in sorted(stage.iterdir()):
            os.replace(shard, output / shard.name)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _summary(output: Path, engine: str, workers: int, seconds: float) -> dict[str, Any]:
    """Counts over the written shards (read back from them), the engine and the time."""
    shards = sorted(output.glob("*.parquet"))
    counts = {"documents": 0, "entities": 0, "mentions": 0, "relations": 0, "stances": 0,
              "events": 0}  # fmt: skip
    words = 0
    for shard in shards:
        table = pq.read_table(shard, columns=["text", *(k for k in counts if k != "documents")])
        counts["documents"] += table.num_rows
        words += sum(word_count(text) for text in table["text"].to_pylist())
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
    with _staged(output) as stage:
        items = _unique(iter_collection(source), str(source))
        for k, block in enumerate(_blocks(items, block_size)):
            table = extract_rows(extractor, block)
            sink = pa.BufferOutputStream()
            pq.write_table(table, sink, **PARQUET_OPTIONS)
            write_atomic(stage / f"part-{k:05d}.parquet", sink.getvalue().to_pybytes())
            if progress is not None:
                progress(len(block))
    return _summary(output, "local", 1, time.perf_counter() - start)


class _Worker:
    """A Ray actor: the extractor comes from the object store once, then block after block."""

    def __init__(self, extractor: Any) -> None:
        import ray

        # an ObjectRef: fetched (unpickled) once per worker from the object store
        self.extractor: Extractor = ray.get(extractor)
        freeze_for_extraction()

    def __call__(self, batch: pa.Table) -> pa.Table:
        try:
            rows = batch.to_pylist()
            items = [_check_row(row, f"row {row.get('id', k)}") for k, row in enumerate(rows)]
            return extract_rows(self.extractor, items)
        except SahelCorpusError as err:  # carried to the driver in the message Ray keeps
            found = {"class": type(err).__name__, "code": err.code, "message": str(err)}
            raise RuntimeError(_MARK + json.dumps(found) + _MARK) from None


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
        with _staged(output) as stage:
            try:
                ds.map_batches(
                    _Worker,
                    fn_constructor_kwargs={"extractor": ray.put(extractor)},
                    batch_size=block_size,
                    batch_format="pyarrow",
                    concurrency=workers,
                    num_cpus=1 - IO_CPUS,
                ).write_parquet(str(stage), ray_remote_args={"num_cpus": IO_CPUS})
            except Exception as err:  # a worker's own error, out of Ray's wrapping
                raise _project_error(err) from None
            ids = [i for shard in stage.glob("*.parquet")
                   for i in pq.read_table(shard, columns=["id"])["id"].to_pylist()]  # fmt: skip
            list(_unique(((i, "") for i in ids), str(source)))
        return _summary(output, "ray", workers, time.perf_counter() - start)
    finally:
        if started:
            ray.shutdown()


_MARK = "\x1esahel-corpus-error\x1e"


def _project_error(err: BaseException) -> BaseException:
    """The project's own error a Ray worker raised (carried in Ray's message), else ``err``."""
    from sahel_corpus import errors

    text = str(err)
    if _MARK not in text:
        return err
    found = json.loads(text.split(_MARK)[1])
    cls = getattr(errors, found["class"], DataError)
    if not (isinstance(cls, type) and issubclass(cls, SahelCorpusError)):
        cls = DataError
    rebuilt: BaseException = cls(found["message"], code=found["code"])
    return rebuilt


def read_output(output: str | Path) -> list[dict[str, Any]]:
    """Every row of an output folder's shards, by document id (to compare two runs)."""
    rows = [row for shard in sorted(Path(output).glob("*.parquet"))
            for row in pq.read_table(shard).to_pylist()]  # fmt: skip
    return sorted(rows, key=lambda r: r["id"])
