"""Loading the corpus: Hugging Face configs, typed documents, span and tag conversions.

``load_config`` returns a config as a ``datasets.DatasetDict`` (the same thing
``datasets.load_dataset("corpus", name)`` gives, without project code).
``read_documents`` reads typed :class:`~sahel_corpus.model.Document` objects
from the annotation sources; ``documents_from_dataset`` rebuilds them from the
whole-document config, so code that only has the built dataset gets the same
objects.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sahel_corpus.errors import DataError
from sahel_corpus.integrity import check_data_files
from sahel_corpus.iob import check_iob2, iob2_to_spans, outermost_spans, spans_to_iob2
from sahel_corpus.model import (
    Document,
    DocumentMeta,
    Entity,
    Mention,
    Relation,
    Sentence,
    Span,
    Stance,
    Zone,
)
from sahel_corpus.sources import default_corpus_dir, read_document, read_documents
from sahel_corpus.views import CONFIGS

__all__ = [
    "Document",
    "DocumentMeta",
    "Entity",
    "Mention",
    "Relation",
    "Sentence",
    "Span",
    "Stance",
    "Zone",
    "check_iob2",
    "config_names",
    "documents_from_dataset",
    "iob2_to_spans",
    "load_config",
    "outermost_spans",
    "read_document",
    "read_documents",
    "spans_to_iob2",
]


def config_names() -> tuple[str, ...]:
    """Return the names of the dataset configs.

    >>> config_names()
    ('documents', 'ner', 'mentions', 'relations', 'stance')
    """
    return CONFIGS


def _corpus_dir(corpus_dir: str | Path | None) -> Path:
    path = Path(corpus_dir) if corpus_dir is not None else default_corpus_dir()
    if not (path / "README.md").is_file():
        raise DataError(
            f"{path}: got a folder without a README.md dataset card, expected a built corpus "
            "(run `sahel-corpus build`, or set SAHEL_CORPUS_DIR)",
            code="corpus-missing",
        )
    return path


def load_config(name: str, corpus_dir: str | Path | None = None, **kwargs: Any) -> Any:
    """Load one config of a built corpus as a ``DatasetDict`` (or streaming dict).

    The config's data files are checked against the fingerprints in their
    names first (:func:`sahel_corpus.integrity.check_data_files`), so a
    damaged file is a :class:`~sahel_corpus.errors.DataError` naming it,
    never silently wrong data. Extra keyword arguments go to
    ``datasets.load_dataset`` (``streaming``, ``cache_dir``, ...).
    """
    import datasets

    if name not in config_names():
        raise DataError(
            f"got config {name!r}, expected one of {', '.join(config_names())}", code="config"
        )
    path = _corpus_dir(corpus_dir)
    check_data_files(path, name)
    return datasets.load_dataset(str(path), name, **kwargs)


def _name(feature: Any, value: Any) -> Any:
    return feature.int2str(value) if isinstance(value, int) else value


def documents_from_dataset(rows: Iterable[dict[str, Any]], features: Any) -> list[Document]:
    """Rebuild typed documents from rows of the ``documents`` config.

    ``features`` is the dataset's ``features`` (to turn ClassLabel ids into names).
    """
    zone_type = features["zones"].feature["type"]
    entity_type = features["entities"].feature["type"]
    level = features["mentions"].feature["level"]
    relation_type = features["relations"].feature["type"]
    stance_label = features["stances"].feature["label"]
    status = features["status"]
    out = []
    for row in rows:
        text = row["text"]
        meta = DocumentMeta(
            id=row["id"],
            text_file=f"{row['id']}.txt",
            text_sha256=_sha256(text),
            title=row["title"],
            publisher=row["publisher"],
            url=row["url"],
            published=row["published"],
            language=row["language"],
            text_licence=row["text_licence"],
            annotation_licence=row["annotation_licence"],
            guideline_version=row["guideline_version"],
            annotators=tuple(row["annotators"]),
            status=_name(status, row["status"]),
        )
        out.append(
            Document(
                meta=meta,
                text=text,
                zones=tuple(
                    Zone(
                        z["id"],
                        _name(zone_type, z["type"]),
                        z["start"],
                        z["end"],
                        text[z["start"] : z["end"]],
                    )
                    for z in row["zones"]
                ),
                sentences=tuple(
                    Sentence(s["id"], s["zone"], s["start"], s["end"], text[s["start"] : s["end"]])
                    for s in row["sentences"]
                ),
                entities=tuple(
                    Entity(
                        e["id"],
                        _name(entity_type, e["type"]),
                        e["actor_category"],
                        e["kb_id"],
                        e["normalized"],
                        e.get("machine", False),
                    )
                    for e in row["entities"]
                ),
                mentions=tuple(
                    Mention(
                        m["id"],
                        m["entity"],
                        m["start"],
                        m["end"],
                        m["text"],
                        _name(level, m["level"]),
                        m.get("machine", False),
                    )
                    for m in row["mentions"]
                ),
                relations=tuple(
                    Relation(
                        r["id"],
                        _name(relation_type, r["type"]),
                        r["head"],
                        r["tail"],
                        tuple(r["evidence"]),
                        r["attributed_to"],
                        r.get("machine", False),
                    )
                    for r in row["relations"]
                ),
                stances=tuple(
                    Stance(
                        id=s["id"],
                        holder=s["holder"],
                        label=_name(stance_label, s["label"]),
                        evidence=tuple(s["evidence"]),
                        target_entity=s["target_entity"],
                        target_span=(
                            Span(s["target_start"], s["target_end"], s["target_text"])
                            if s["target_entity"] is None
                            else None
                        ),
                        attributed_to=s["attributed_to"],
                        machine=s.get("machine", False),
                    )
                    for s in row["stances"]
                ),
            )
        )
    return out


def _sha256(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()
