"""Import a tool's annotation into existing documents, without ever damaging one.

:func:`import_into` builds every new document in memory, checks that its
text is the document's, counts what it would lose that the format cannot
carry, validates it, and only then replaces the annotation file (atomically).
A file that holds many tasks (a Label Studio project export) imports into a
folder of documents, matched by document id; a task that several people
annotated imports as independent passes (``<id>.<annotator>.json``, for
``agree`` and adjudication) and leaves the document as it is. Nothing is
written unless everything is valid; any failure leaves every file as it was.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .contribute import diff, summary
from .errors import AnnotationError, FormatError, UsageError, WriteError
from .formats import Format, ImportOptions, get
from .model import Document, DocumentMeta, document_to_dict, has_events, without_events
from .schema import SCHEMA_VERSION as EVENTS_VERSION
from .sources import read_document, write_annotation
from .validate import raise_findings, read_annotation, validate_data

__all__ = ["import_into"]


@dataclass(frozen=True, slots=True)
class _Write:
    """One annotation file to write, validated."""

    path: Path
    data: dict[str, object]
    line: str


def import_into(
    source: str | Path,
    format_name: str,
    into: str | Path,
    *,
    text: str | Path | None = None,
    typesystem: str | Path | None = None,
    normalise_newlines: bool = False,
    drop: Sequence[str] = (),
    passes: str | Path | None = None,
) -> str:
    """Import ``source`` (in ``format_name``) into ``into``; return a report.

    ``into`` is a document's annotation file, or (for a format that holds
    many documents) a folder of them. Each document's text and metadata are
    kept. Raises :class:`~sahel_corpus.errors.FormatError` (code
    ``different-text``) when the tool's text differs,
    :class:`~sahel_corpus.errors.AnnotationError` with code ``would-lose``
    when an import would drop annotation the format cannot carry and ``drop``
    does not name that kind, and with the validator's findings when a result
    would be invalid. In every case every file is left as it was.
    """
    fmt = get(format_name)
    if fmt.read is None:
        raise UsageError(f"got --format {format_name}, expected a format that imports")
    source, into = Path(source), Path(into)
    options = ImportOptions(
        text=Path(text) if text else None,
        typesystem=Path(typesystem) if typesystem else None,
        normalise_newlines=normalise_newlines,
    )
    if fmt.read_many is None:
        if into.is_dir():
            raise UsageError(
                f"--into {into}: got a folder, expected a document's annotation file "
                f"({fmt.name} files hold one document)",
                code="into",
            )
        target = read_document(into)
        imported = {target.id: [("", fmt.read(source, target.meta, options))]}
        targets = {target.id: (into, target)}
    else:
        targets = {}
        imported = {}

        def meta_of(doc_id: str) -> DocumentMeta:
            if doc_id not in targets:
                targets[doc_id] = _target(into, doc_id, source)
            return targets[doc_id][1].meta

        for item in fmt.read_many(source, meta_of, options):
            imported.setdefault(item.doc_id, []).append((item.annotator, item.document))
    writes: list[_Write] = []
    for doc_id, made in imported.items():
        path, target = targets[doc_id]
        for _, doc in made:
            if doc.text != target.text:
                raise FormatError(
                    f"{source}: got a text for {doc_id} that differs from {path}'s, expected "
                    "the same text (the tool's file must be an export of this document)",
                    code="different-text",
                )
        if len(made) == 1:
            writes.append(_replacement(fmt, source, path, target, made[0][1], drop))
        else:
            writes.extend(_passes(fmt, source, path, target, made, passes))
    if not writes:
        raise FormatError(
            f"{source}: got no annotation, expected at least one task with an annotation",
            code="nothing-to-import",
        )
    lines = []
    for write in writes:
        changed = not write.path.is_file() or write.data != read_annotation(write.path)
        if changed:
            write.path.parent.mkdir(parents=True, exist_ok=True)
            write_annotation(write.path, write.data)
        lines.append(write.line + ("" if changed else " (no change)"))
    lines.append(fmt.summary())
    return "\n".join(lines)


def _target(into: Path, doc_id: str, source: Path) -> tuple[Path, Document]:
    """The annotation file and document a task's document id names."""
    if into.is_dir():
        path = into / f"{doc_id}.json"
        if not path.is_file():
            raise AnnotationError(
                f"{source}: got a task of document {doc_id!r}, expected its annotation file "
                f"{path} (import into the folder of the documents the tasks came from)",
                code="unknown-document",
            )
    else:
        path = into
    document = read_document(path)
    if document.id != doc_id:
        raise AnnotationError(
            f"{source}: got a task of document {doc_id!r}, expected one of {document.id!r} "
            f"(--into {into}); import a project export --into the documents folder",
            code="document-id",
        )
    return path, document


def _counts(doc: Document) -> str:
    layers = ("entities", "mentions", "relations", "stances", "events")
    return ", ".join(f"{len(getattr(doc, layer))} {layer}" for layer in layers)


def _with_events(fmt: Format, target: Document, new: Document) -> Document:
    """Keep the document's events (and schema version) when the format cannot carry them.

    A format that carries events sets schema 1.1 when the file has events and
    keeps the document's version otherwise.
    """
    if "events" not in fmt.carries:
        return replace(new, schema_version=target.schema_version, events=target.events)
    if new.events or has_events(target.schema_version):
        return replace(new, schema_version=EVENTS_VERSION)
    return replace(new, schema_version=target.schema_version)


def _replacement(
    fmt: Format,
    source: Path,
    path: Path,
    target: Document,
    imported: Document,
    drop: Sequence[str],
) -> _Write:
    new = _with_events(fmt, target, replace(imported, meta=target.meta))
    losses = {kind: n for kind, n in fmt.losses(target, new).items() if n}
    unknown = sorted(set(drop) - set(losses))
    if unknown:
        kinds = ", ".join(sorted(losses)) or "none"
        raise UsageError(
            f"--drop: got {', '.join(unknown)}, expected a kind this import would lose ({kinds})",
            code="drop",
        )
    kept = {kind: n for kind, n in losses.items() if kind not in drop}
    if kept:
        lost = ", ".join(f"{n} {kind}" for kind, n in kept.items())
        flags = " ".join(f"--drop {kind}" for kind in kept)
        raise AnnotationError(
            f"{source}: got an import that would lose {lost} of {path} ({fmt.name} cannot "
            f"carry them), expected no loss; {path} is unchanged. To import anyway, pass {flags}",
            code="would-lose",
        )
    data = document_to_dict(new)
    raise_findings(
        validate_data(data, str(path), file_name=path.name, text=target.text), str(source)
    )
    dropped = "; dropped: " + ", ".join(f"{losses[k]} {k}" for k in drop) if drop else ""
    changes = diff(target, new)
    changed = f"; {summary(changes)}" if changes else ""
    if "events" not in fmt.carries and new.events:
        changed += f"; {len(new.events)} events kept from {path.name}"
    return _Write(
        path, data, f"imported {source} into {path}: {_counts(new)}, valid{dropped}{changed}"
    )


def _passes_folder(document_path: Path, passes: str | Path | None) -> Path:
    if passes is not None:
        return Path(passes)
    if document_path.parent.name == "documents":
        return document_path.parent.parent / "passes"
    raise UsageError(
        f"{document_path}: got a task with several annotations and no --passes folder, "
        "expected --passes (or documents in a corpus's sources/documents folder)",
        code="passes",
    )


def _passes(
    fmt: Format,
    source: Path,
    path: Path,
    target: Document,
    annotations: list[tuple[str, Document]],
    passes: str | Path | None,
) -> list[_Write]:
    """Each annotation of one task as an independent pass file beside the corpus's passes."""
    folder = _passes_folder(path, passes)
    text_file = os.path.relpath(path.parent / target.meta.text_file, folder)
    writes = []
    seen: dict[str, int] = {}
    for annotator, doc in annotations:
        seen[annotator] = seen.get(annotator, 0) + 1
        name = annotator if seen[annotator] == 1 else f"{annotator}-{seen[annotator]}"
        pass_path = folder / f"{target.id}.{name}.json"
        meta = replace(target.meta, text_file=text_file, annotators=(name,), status="reviewed")
        new = replace(doc, meta=meta)
        if "events" not in fmt.carries:  # a pass without the layer, not a pass that found none
            new = without_events(new)
        data = document_to_dict(new)
        if pass_path.exists() and read_annotation(pass_path) != data:
            raise WriteError(
                f"{pass_path}: got an existing pass file that differs from {name}'s annotation "
                "in the export, expected a new pass or the same one (a pass is an annotator's "
                "own work: move the old file away first)",
                code="output-exists",
            )
        raise_findings(
            validate_data(data, str(pass_path), file_name=pass_path.name, text=target.text),
            str(source),
        )
        writes.append(
            _Write(pass_path, data, f"imported {source} as pass {pass_path}: {_counts(new)}, valid")
        )
    return writes
