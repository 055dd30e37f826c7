"""Deterministic build of the Hugging Face dataset repository in ``corpus/``.

``build_corpus`` validates the sources, writes one parquet file per config
and split to ``data/<config>/<split>-<fingerprint>.parquet`` and renders the
dataset card ``README.md`` (front matter and generated sections).

Determinism: rows come in a fixed order, the parquet writer settings are
pinned (:data:`PARQUET_OPTIONS`), and nothing time- or machine-dependent is
written, so the same sources and library versions give byte-identical files.

Freshness: ``datasets`` caches a local dataset by folder name, config name
and card front matter. The file name carries the first 16 hex digits of the
SHA-256 of the file's own bytes, and the front matter lists the file names,
so any change of content changes the front matter and the cache key: a
rebuilt corpus can never be served from a stale cache.

The fingerprints are :mod:`sahel_corpus.integrity`'s; ``sahel-corpus verify``
checks them.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import pyarrow as pa
import pyarrow.parquet as pq
import yaml
from datasets import DatasetInfo, Features, SplitDict, SplitInfo
from datasets.info import DatasetInfosDict

from . import __version__
from .agreement import agreement, render_agreement
from .errors import AnnotationError
from .fileio import write_atomic
from .integrity import data_files, fingerprint
from .model import Document
from .sections import get_section
from .sources import document_paths, pass_paths, read_document, read_documents
from .stats import corpus_stats, markdown_table, render_stats
from .validate import validate_paths
from .views import CONFIG_DESCRIPTIONS, CONFIGS, DOCUMENT_FOLD_THRESHOLD, N_FOLDS, features, rows

__all__ = [
    "PARQUET_OPTIONS",
    "SPLIT",
    "BuildResult",
    "agreement_results",
    "build_corpus",
    "encode_table",
    "parquet_bytes",
    "render_card",
]

SPLIT = "test"

#: Writer settings, pinned so that builds are byte-identical.
PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 9,
    "use_dictionary": True,
    "write_statistics": True,
    "version": "2.6",
    "data_page_version": "1.0",
    "row_group_size": 100_000,
    "store_schema": True,
    "write_page_index": False,
}


def encode_table(records: list[dict[str, Any]], feats: Features) -> pa.Table:
    """Encode rows (ClassLabel strings to ids) into an Arrow table with HF metadata."""
    encoded = [feats.encode_example(r) for r in records]
    schema = feats.arrow_schema
    table = pa.Table.from_pylist(encoded, schema=schema)
    meta = {"huggingface": json.dumps({"info": {"features": feats.to_dict()}}, sort_keys=True)}
    return table.replace_schema_metadata(meta)


def parquet_bytes(table: pa.Table) -> bytes:
    """Serialise a table to parquet with :data:`PARQUET_OPTIONS`."""
    sink = io.BytesIO()
    pq.write_table(table, sink, **PARQUET_OPTIONS)
    return sink.getvalue()


@dataclass
class BuildResult:
    """What a build wrote (or, with ``check``, would have changed)."""

    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)

    @property
    def changed(self) -> list[Path]:
        return self.written + self.removed


def agreement_results(corpus_dir: Path, docs: list[Document]) -> list[dict[str, Any]]:
    """Agreement between the first two passes of every document that has two."""
    out = []
    for doc in docs:
        passes = pass_paths(corpus_dir, doc.id)
        if len(passes) >= 2:
            a, b = (read_document(p) for p in passes[:2])
            out.append(agreement(a, b))
    return out


def _card_template() -> jinja2.Template:
    """The card's template; a value it names but is not given fails the build."""
    source = resources.files("sahel_corpus").joinpath("templates", "card.md").read_text("utf-8")
    environment = jinja2.Environment(
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False
    )
    return environment.from_string(source)


def _front_matter(infos: dict[str, DatasetInfo], files: dict[str, str], n_docs: int) -> str:
    card_data: dict[str, Any] = {
        "pretty_name": "Sahel Conflict News Corpus",
        "license": "cc-by-4.0",
        "language": ["en"],
        "multilinguality": ["monolingual"],
        "size_categories": ["n<1K"],
        "source_datasets": ["original"],
        "annotations_creators": ["expert-generated"],
        "language_creators": ["found"],
        "task_categories": ["token-classification", "text-classification"],
        "task_ids": [
            "named-entity-recognition",
            "coreference-resolution",
            "multi-class-classification",
        ],
        "tags": [
            "information-extraction",
            "relation-extraction",
            "stance-detection",
            "entity-linking",
            "conflict",
            "Sahel",
            "Mali",
        ],
        "version": __version__,
        "configs": [
            {
                "config_name": name,
                "data_files": [{"split": SPLIT, "path": files[name]}],
                **({"default": True} if name == "documents" else {}),
            }
            for name in CONFIGS
        ],
    }
    DatasetInfosDict(infos).to_dataset_card_data(card_data)
    body = yaml.safe_dump(card_data, sort_keys=False, allow_unicode=True, width=100)
    return f"---\n{body}---\n"


def render_card(
    docs: list[Document],
    infos: dict[str, DatasetInfo],
    files: dict[str, str],
    agreements: list[dict[str, Any]],
    baselines: str | None = None,
) -> str:
    """Return the whole dataset card text.

    ``baselines`` is the body of the baselines section, which
    ``sahel-corpus baselines all --update-docs`` writes into the card; the
    build carries it over from the card on disk.
    """
    stats = corpus_stats(docs)
    config_rows = [
        [f"`{name}`", infos[name].splits[SPLIT].num_examples, CONFIG_DESCRIPTIONS[name]]
        for name in CONFIGS
    ]
    configs_table = markdown_table(["config", "rows", "content"], config_rows)
    doc_rows = [
        [f"`{d.id}`", d.meta.title, d.meta.publisher, d.meta.status, d.meta.text_licence]
        for d in docs
    ]
    docs_table = markdown_table(["id", "title", "publisher", "status", "text licence"], doc_rows)
    body = _card_template().render(
        version=__version__,
        configs=configs_table,
        documents=docs_table,
        stats=render_stats(stats),
        agreement=render_agreement(agreements)
        if agreements
        else "No document has two independent passes yet.",
        n_folds=N_FOLDS,
        fold_threshold=DOCUMENT_FOLD_THRESHOLD,
        baselines=baselines or "Not computed yet: run `sahel-corpus baselines all --update-docs`.",
    )
    return _front_matter(infos, files, len(docs)) + body


def build_corpus(corpus_dir: str | Path = "corpus", check: bool = False) -> BuildResult:
    """Build (or with ``check``, compare against) the dataset files of a corpus.

    Raises :class:`~sahel_corpus.errors.AnnotationError` if any source file
    is invalid. With ``check`` nothing is written; the result lists what
    would change.

    The build is transactional: the new data files are written beside the
    old ones (their names carry their content's fingerprint, so they never
    overwrite a file of other content), then the card, which names the data
    files, is replaced in one atomic rename, and only then are the files of
    the previous build removed. A failure before the card is replaced
    removes the new files again and leaves the previous build as it was.
    """
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise AnnotationError(
            f"{corpus_dir}: got no such folder, expected a corpus folder with sources/documents",
            code="corpus-missing",
        )
    report = validate_paths([corpus_dir / "sources"])
    if not report.ok:
        raise AnnotationError(report.format_text(), findings=report.findings)
    if not document_paths(corpus_dir):
        raise AnnotationError(
            f"{corpus_dir}: got no annotation file in sources/documents, "
            "expected at least one <id>.json",
            code="corpus-empty",
        )
    docs = read_documents(corpus_dir, validate=False)
    planned, card = _plan(corpus_dir, docs)
    card_path = corpus_dir / "README.md"
    result = BuildResult()
    stale = sorted(set(data_files(corpus_dir)) - set(planned))
    result.removed.extend(stale)
    for path, data in [*planned.items(), (card_path, card)]:
        same = path.is_file() and path.read_bytes() == data
        (result.unchanged if same else result.written).append(path)
    if check:
        return result
    created: list[Path] = []
    try:
        for path in result.written:
            if path != card_path:
                existed = path.exists()
                write_atomic(path, planned[path], mkdir=True)
                if not existed:
                    created.append(path)
        if card_path in result.written:
            write_atomic(card_path, card)
    except BaseException:
        for path in created:
            path.unlink(missing_ok=True)
        raise
    for path in stale:
        path.unlink()
    for folder in {p.parent for p in stale}:
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    return result


def _plan(corpus_dir: Path, docs: list[Document]) -> tuple[dict[Path, bytes], bytes]:
    """The bytes of every data file of a build, by path, and the card's bytes."""
    planned: dict[Path, bytes] = {}
    infos: dict[str, DatasetInfo] = {}
    files: dict[str, str] = {}
    for name in CONFIGS:
        feats = features(name)
        table = encode_table(rows(name, docs), feats)
        data = parquet_bytes(table)
        rel = f"data/{name}/{SPLIT}-{fingerprint(data)}.parquet"
        files[name] = rel
        planned[corpus_dir / rel] = data
        splits = SplitDict()
        splits.add(SplitInfo(name=SPLIT, num_bytes=table.nbytes, num_examples=table.num_rows))
        infos[name] = DatasetInfo(
            features=feats,
            splits=splits,
            download_size=len(data),
            dataset_size=table.nbytes,
        )
    agreements = agreement_results(corpus_dir, docs)
    card_path = corpus_dir / "README.md"
    previous = card_path.read_text(encoding="utf-8") if card_path.is_file() else ""
    baselines = get_section(previous, "baselines")
    card = render_card(docs, infos, files, agreements, baselines).encode("utf-8")
    return planned, card
