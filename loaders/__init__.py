"""Loading the corpus: Hugging Face configs, typed documents, span and tag conversions.

``load_config`` returns a config as a ``datasets.DatasetDict`` (the same thing
``datasets.load_dataset("corpus", name)`` gives, without project code).
``read_documents`` reads typed :class:`~sahel_corpus.model.Document` objects
from the annotation sources; ``documents_from_dataset`` rebuilds them from the
whole-document config, so code that only has the built dataset gets the same
objects.
"""

from __future__ import annotations

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
from sahel_corpus.views import CONFIGS, documents_from_dataset

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
    ('documents', 'ner', 'mentions', 'relations', 'stance', 'events', 'event_triggers')
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
