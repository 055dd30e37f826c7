"""Reading and writing annotation source files.

The corpus keeps, per document, the text exactly as published
(``<id>.txt``) and one pretty-printed JSON annotation file (``<id>.json``)
in ``corpus/sources/documents/``; independent annotation passes live in
``corpus/sources/passes/`` as ``<id>.<pass>.json``.

Examples
--------
>>> dumps_annotation({"b": 1, "a": [1, 2]})
'{\\n  "b": 1,\\n  "a": [\\n    1,\\n    2\\n  ]\\n}\\n'
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import orjson

from .fileio import write_atomic
from .model import Document, document_from_dict
from .validate import raise_findings, read_annotation, validate_file

__all__ = [
    "check_not_in_a_corpus",
    "default_corpus_dir",
    "document_paths",
    "dumps_annotation",
    "pass_paths",
    "read_annotation",
    "read_document",
    "read_documents",
    "write_annotation",
]


def check_not_in_a_corpus(out: str | Path, what: str = "output") -> None:
    """Refuse an output (file or folder) inside any corpus's ``sources/`` or ``data/``, or a
    corpus folder itself: those hold the gold and the built data, which only the
    annotation commands and ``build`` write. A corpus is a folder with ``sources/documents``.
    """
    path = Path(out).resolve()
    for folder in (path, *path.parents):
        if (folder / "sources" / "documents").is_dir():
            inside = [folder, folder / "sources", folder / "data"]
            if path == folder or any(path.is_relative_to(f) for f in inside[1:]):
                from .errors import WriteError

                raise WriteError(
                    f"{out}: got an {what} inside the corpus {folder} (its sources or built "
                    "data), expected a place outside it (machine output and exports never go "
                    "there; use `sahel-corpus new`, `import` and `build`)",
                    code="output-in-sources",
                )
            return


def default_corpus_dir() -> Path:
    """Return the corpus folder: ``$SAHEL_CORPUS_DIR``, else ``./corpus`` if it exists."""
    env = os.environ.get("SAHEL_CORPUS_DIR")
    if env:
        return Path(env)
    return Path("corpus")


def document_paths(corpus_dir: str | Path) -> list[Path]:
    """Return the gold annotation files of a corpus, sorted by document id (a folder whose
    name ends in ``.json`` is no file, and the validator skips it too)."""
    return sorted(
        p for p in (Path(corpus_dir) / "sources" / "documents").glob("*.json") if p.is_file()
    )


def pass_paths(corpus_dir: str | Path, doc_id: str) -> list[Path]:
    """Return the independent annotation passes of one document, sorted by pass name."""
    return sorted((Path(corpus_dir) / "sources" / "passes").glob(f"{doc_id}.*.json"))


def dumps_annotation(data: dict[str, Any]) -> str:
    """Return the canonical text of an annotation file (two-space indent, final newline).

    The canonical text is ``json.dumps(data, indent=2, ensure_ascii=False)``
    and a newline. orjson writes the same text, about ten times faster, for
    everything an annotation file holds (strings, integers, booleans, null;
    the schema has no floats, and the write paths validate first); the
    standard library writes what orjson refuses (an integer past 64 bits).
    """
    try:
        return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode("utf-8") + "\n"
    except orjson.JSONEncodeError:
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write_annotation(path: str | Path, data: dict[str, Any], *, sync_folder: bool = True) -> Path:
    """Write an annotation file in canonical form (UTF-8, LF), atomically (``sync_folder`` as
    in :func:`~sahel_corpus.fileio.atomic_output`)."""
    return write_atomic(path, dumps_annotation(data), sync_folder=sync_folder)


def read_document(path: str | Path, validate: bool = True) -> Document:
    """Read one annotation file and its text into a :class:`Document`.

    With ``validate`` (the default) the file is validated first and an
    :class:`~sahel_corpus.errors.AnnotationError` lists every finding if it
    is not valid (its ``findings`` hold them).
    """
    path = Path(path)
    if validate:
        raise_findings(validate_file(path), str(path))
    data = read_annotation(path)
    text_path = path.parent / data["document"]["text_file"]
    text = text_path.read_bytes().decode("utf-8")
    return document_from_dict(data, text)


def read_documents(corpus_dir: str | Path, validate: bool = True) -> list[Document]:
    """Read every gold document of a corpus, sorted by id."""
    return [read_document(p, validate) for p in document_paths(corpus_dir)]
