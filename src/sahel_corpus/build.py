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
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import pyarrow as pa
import pyarrow.parquet as pq
import yaml
from datasets import ClassLabel, DatasetInfo, Features, LargeList, List, SplitDict, SplitInfo
from datasets.info import DatasetInfosDict

from . import __version__
from .agreement import agreement, render_agreement
from .errors import AnnotationError
from .fileio import write_atomic
from .integrity import data_files, fingerprint
from .model import Document
from .schema import ACTOR_CATEGORIES, SCHEMA_VERSION
from .scoring import event_scores
from .sections import get_section
from .sources import document_paths, pass_paths, read_document, read_documents
from .stats import corpus_stats, markdown_table, render_stats
from .validate import validate_paths
from .views import (
    CONFIG_DESCRIPTIONS,
    CONFIGS,
    DOCUMENT_FOLD_THRESHOLD,
    FIELD_DESCRIPTIONS,
    N_FOLDS,
    SPLIT_FOLDS,
    SPLITS,
    class_labels,
    features,
    split_rows,
)

__all__ = [
    "DEFAULT_CONFIG",
    "HOMEPAGE",
    "HUB_ID",
    "PARQUET_OPTIONS",
    "BuildResult",
    "agreement_results",
    "build_corpus",
    "encode_table",
    "parquet_bytes",
    "render_card",
]

#: The config ``load_dataset`` gives without a name: what a token-classification user expects.
DEFAULT_CONFIG = "ner"
#: Where the project lives, and the dataset's id on the Hugging Face Hub.
HOMEPAGE = "https://github.com/sahel-corpus/sahel-corpus"
HUB_ID = "sahel-corpus/sahel-corpus"
#: The name of each config's label maps, beside its data files.
LABELS_FILE = "label2id.json"

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


def _encoder(feature: Any) -> Callable[[Any], Any] | None:
    """A function that encodes values of ``feature`` (``None`` where they pass unchanged).

    It does for the project's rows what ``Features.encode_example`` does,
    ClassLabel names to ids through the ClassLabel itself, and visits only the
    parts of a row that hold a ClassLabel; Arrow then checks every value's type.
    """
    if isinstance(feature, dict):
        # a struct: a copy with its encoded parts replaced (Arrow takes the fields it knows)
        parts = {k: e for k, e in ((k, _encoder(f)) for k, f in feature.items()) if e is not None}
        if not parts:
            return None
        if len(parts) == 1:
            [(key, part)] = parts.items()
            return lambda obj: None if obj is None else {**obj, key: part(obj.get(key))}
        return lambda obj: (
            None if obj is None else {**obj, **{k: e(obj.get(k)) for k, e in parts.items()}}
        )
    if isinstance(feature, List | LargeList):
        item = _encoder(feature.feature)
        if item is None:
            return None
        return lambda obj: None if obj is None else [item(o) for o in obj]
    if isinstance(feature, ClassLabel):
        ids = {name: k for k, name in enumerate(feature.names)}

        def label(obj: Any) -> Any:
            # a name as it is: its id; anything else as the ClassLabel itself encodes it
            if obj is None:
                return None
            found = ids.get(obj) if isinstance(obj, str) else None
            return feature.encode_example(obj) if found is None else found

        return label
    return None


def encode_table(records: list[dict[str, Any]], feats: Features) -> pa.Table:
    """Encode rows (ClassLabel strings to ids) into an Arrow table with HF metadata."""
    encode = _encoder(dict(feats))
    encoded = records if encode is None else [encode(r) for r in records]
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


#: Pass files of the event layer are named ``<id>.events-<pass>.json``: the event passes were
#: made on the adjudicated layers 1-5, after the passes of those layers.
EVENT_PASS_PREFIX = "events-"


def agreement_results(corpus_dir: Path, docs: list[Document]) -> list[dict[str, Any]]:
    """Agreement between the first two passes of every document that has two.

    Layers 1-5 come from the passes ``<id>.<pass>.json``; the event layer,
    where there are two event passes ``<id>.events-<pass>.json``, from those.
    """
    out = []
    for doc in docs:
        paths = pass_paths(corpus_dir, doc.id)
        names = {p: p.name[len(doc.id) + 1 : -len(".json")] for p in paths}
        layers = [p for p in paths if not names[p].startswith(EVENT_PASS_PREFIX)]
        events = [p for p in paths if names[p].startswith(EVENT_PASS_PREFIX)]
        if len(layers) >= 2:
            a, b = (read_document(p) for p in layers[:2])
            result = agreement(a, b)
            result.pop("events", None)
            if len(events) >= 2:
                ea, eb = (read_document(p) for p in events[:2])
                result["events"] = event_scores([(ea, eb)])
                result["event_passes"] = " and ".join(names[p] for p in events[:2])
            out.append(result)
    return out


def _template(name: str) -> jinja2.Template:
    """A template of the package; a value it names but is not given fails the build."""
    source = resources.files("sahel_corpus").joinpath("templates", name).read_text("utf-8")
    environment = jinja2.Environment(
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False
    )
    return environment.from_string(source)


def _card_template() -> jinja2.Template:
    return _template("card.md")


def _licence_template() -> jinja2.Template:
    return _template("licence.md")


def _front_matter(infos: dict[str, DatasetInfo], files: dict[str, dict[str, str]]) -> str:
    card_data: dict[str, Any] = {
        "pretty_name": "Sahel Conflict News Corpus",
        "license": "other",
        "license_name": "cc-by-4.0-annotations-publisher-texts",
        "license_link": "LICENSE.md",
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
                **({"default": True} if name == DEFAULT_CONFIG else {}),
                "data_files": [
                    {"split": split, "path": files[name][split]}
                    for split in SPLITS
                    if split in files[name]
                ],
            }
            for name in CONFIGS
        ],
    }
    DatasetInfosDict(infos).to_dataset_card_data(card_data)
    body = yaml.safe_dump(card_data, sort_keys=False, allow_unicode=True, width=100)
    return f"---\n{body}---\n"


def _type_name(feature: Any) -> str:
    """A column's type in words: ``string``, ``int32``, ``ClassLabel``, ``list of string``..."""
    from datasets import ClassLabel, List, Value

    if isinstance(feature, ClassLabel):
        return "ClassLabel"
    if isinstance(feature, Value):
        return str(feature.dtype)
    if isinstance(feature, List):
        return f"list of {_type_name(feature.feature)}"
    if isinstance(feature, dict):
        return "struct"
    return type(feature).__name__


def _short(value: Any, depth: int = 0) -> Any:
    """A value cut for display: long strings and lists end in an ellipsis."""
    if isinstance(value, str):
        return value if len(value) <= 80 else value[:80] + "…"
    if isinstance(value, list):
        keep = 2 if depth or (value and isinstance(value[0], dict)) else 8
        items = [_short(v, depth + 1) for v in value[:keep]]
        return [*items, "…"] if len(value) > keep else items
    if isinstance(value, dict):
        return {k: _short(v, depth + 1) for k, v in value.items()}
    return value


def render_fields() -> str:
    """Every column of every config with its type and meaning."""
    parts = []
    for name in CONFIGS:
        feats = features(name)
        table = markdown_table(
            ["column", "type", "meaning"],
            [[f"`{col}`", _type_name(feats[col]), FIELD_DESCRIPTIONS[name][col]] for col in feats],
        )
        parts.append(f"`{name}`:\n\n{table}")
    return "\n\n".join(parts)


def render_labels() -> str:
    """An id-to-label table for every ClassLabel of every config, shared tables once."""
    seen: dict[tuple[str, ...], str] = {}
    parts = []
    for name in CONFIGS:
        for column, names in class_labels(name).items():
            key = tuple(names)
            where = f"`{name}.{column}`"
            if key in seen:
                parts.append(f"{where}: the same labels as {seen[key]}.")
                continue
            seen[key] = where
            rows_ = [[i, f"`{label}`"] for i, label in enumerate(names)]
            parts.append(f"{where}:\n\n" + markdown_table(["id", "label"], rows_))
    return "\n\n".join(parts)


def render_instances(examples: dict[str, dict[str, Any]]) -> str:
    """One row of each config as ``datasets`` returns it (ClassLabel columns as ids), cut."""
    parts = []
    for name in CONFIGS:
        lines = [
            f"  {json.dumps(k)}: {json.dumps(_short(v), ensure_ascii=False)}"
            for k, v in examples[name].items()
        ]
        shown = "{\n" + ",\n".join(lines) + "\n}"
        parts.append(f"`{name}` (first row of `train`):\n\n```json\n{shown}\n```")
    return "\n\n".join(parts)


def render_card(
    docs: list[Document],
    infos: dict[str, DatasetInfo],
    files: dict[str, dict[str, str]],
    agreements: list[dict[str, Any]],
    examples: dict[str, dict[str, Any]],
    baselines: str | None = None,
) -> str:
    """Return the whole dataset card text.

    ``baselines`` is the body of the baselines section, which
    ``sahel-corpus baselines all --update-docs`` writes into the card; the
    build carries it over from the card on disk.
    """
    stats = corpus_stats(docs)
    config_rows = [
        [
            f"`{name}`",
            *(
                infos[name].splits[split].num_examples if split in infos[name].splits else 0
                for split in SPLITS
            ),
            CONFIG_DESCRIPTIONS[name],
        ]
        for name in CONFIGS
    ]
    configs_table = markdown_table(["config", *SPLITS, "content"], config_rows)
    doc_rows = [
        [
            f"`{d.id}`",
            d.meta.title,
            d.meta.publisher,
            d.meta.published or "not recorded",
            d.meta.url or "not recorded",
            d.meta.text_licence,
            d.meta.status,
        ]
        for d in docs
    ]
    docs_table = markdown_table(
        ["id", "title", "publisher", "published", "url", "text licence", "status"], doc_rows
    )
    unrecorded = [d.id for d in docs if d.meta.url is None or d.meta.published is None]
    annotators = sorted({a for d in docs for a in d.meta.annotators})
    body = _card_template().render(
        version=__version__,
        schema_version=SCHEMA_VERSION,
        homepage=HOMEPAGE,
        hub_id=HUB_ID,
        default_config=DEFAULT_CONFIG,
        labels_file=LABELS_FILE,
        configs=configs_table,
        split_folds=", ".join(
            f"`{name}` fold{'s' if len(f) > 1 else ''} {', '.join(map(str, f))}"
            for name, f in SPLIT_FOLDS.items()
        ),
        documents=docs_table,
        unrecorded=unrecorded,
        annotators=", ".join(f"`{a}`" for a in annotators),
        stats=render_stats(stats),
        agreement=render_agreement(agreements)
        if agreements
        else "No document has two independent passes yet.",
        n_folds=N_FOLDS,
        fold_threshold=DOCUMENT_FOLD_THRESHOLD,
        instances=render_instances(examples),
        fields=render_fields(),
        labels=render_labels(),
        actor_categories=", ".join(f"`{c}`" for c in ACTOR_CATEGORIES),
        baselines=baselines or "Not computed yet: run `sahel-corpus baselines all --update-docs`.",
    )
    return _front_matter(infos, files) + body


def render_licence(docs: list[Document]) -> str:
    """``LICENSE.md``: what is whose, the annotation's licence and each text's."""
    rows_ = [[f"`{d.id}`", d.meta.publisher, d.meta.text_licence] for d in docs]
    return _licence_template().render(
        homepage=HOMEPAGE,
        texts=markdown_table(["document", "publisher", "text licence"], rows_),
        annotation_licences=", ".join(sorted({d.meta.annotation_licence for d in docs})),
    )


#: The steps a build reports to its ``progress`` callback: one per config, the card, the writes.
BUILD_STEPS = len(CONFIGS) + 2


def build_corpus(
    corpus_dir: str | Path = "corpus",
    check: bool = False,
    progress: Callable[[str], object] | None = None,
) -> BuildResult:
    """Build (or with ``check``, compare against) the dataset files of a corpus.

    ``progress``, if given, is called with a step's name after each of the
    :data:`BUILD_STEPS` steps (each config, the card, the writing).

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
    planned, card = _plan(corpus_dir, docs, progress or (lambda step: None))
    card_path = corpus_dir / "README.md"
    result = BuildResult()
    stale = sorted(set(data_files(corpus_dir)) - set(planned))
    result.removed.extend(stale)
    for path, data in [*planned.items(), (card_path, card)]:
        same = path.is_file() and path.read_bytes() == data
        (result.unchanged if same else result.written).append(path)
    if check:
        if progress is not None:
            progress("compared")
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
    if progress is not None:
        progress("written")
    return result


def _plan(
    corpus_dir: Path, docs: list[Document], progress: Callable[[str], object]
) -> tuple[dict[Path, bytes], bytes]:
    """The bytes of every file of a build (data, label maps, licence), by path, and the card's."""
    planned: dict[Path, bytes] = {}
    infos: dict[str, DatasetInfo] = {}
    files: dict[str, dict[str, str]] = {}
    examples: dict[str, dict[str, Any]] = {}
    for name in CONFIGS:
        feats = features(name)
        splits = SplitDict()
        files[name] = {}
        download = size = 0
        by_split = split_rows(name, docs)
        for split in SPLITS:
            if not by_split[split]:  # `datasets` cannot load an empty split: leave it out
                continue
            table = encode_table(by_split[split], feats)
            data = parquet_bytes(table)
            rel = f"data/{name}/{split}-{fingerprint(data)}.parquet"
            files[name][split] = rel
            planned[corpus_dir / rel] = data
            splits.add(SplitInfo(name=split, num_bytes=table.nbytes, num_examples=table.num_rows))
            download += len(data)
            size += table.nbytes
        first = next((by_split[split][0] for split in SPLITS if by_split[split]), None)
        examples[name] = feats.encode_example(first) if first is not None else {}
        infos[name] = DatasetInfo(
            features=feats, splits=splits, download_size=download, dataset_size=size
        )
        label_maps = {
            column: {label: i for i, label in enumerate(names)}
            for column, names in class_labels(name).items()
        }
        planned[corpus_dir / "data" / name / LABELS_FILE] = (
            json.dumps(label_maps, indent=2, ensure_ascii=False) + "\n"
        ).encode("utf-8")
        progress(name)
    planned[corpus_dir / "LICENSE.md"] = render_licence(docs).encode("utf-8")
    agreements = agreement_results(corpus_dir, docs)
    card_path = corpus_dir / "README.md"
    previous = card_path.read_text(encoding="utf-8") if card_path.is_file() else ""
    baselines = get_section(previous, "baselines")
    card = render_card(docs, infos, files, agreements, examples, baselines).encode("utf-8")
    progress("card")
    return planned, card
