"""Import a tool's annotation into an existing document, without ever damaging it.

:func:`import_into` builds the new document in memory, checks that its text
is the document's, counts what it would lose that the format cannot carry,
validates it, and only then replaces the annotation file (atomically). Any
failure leaves the file byte-identical.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from .errors import AnnotationError, FormatError, UsageError
from .formats import ImportOptions, get
from .model import document_to_dict
from .sources import read_document, write_annotation
from .validate import raise_findings, read_annotation, validate_data

__all__ = ["import_into"]


def import_into(
    source: str | Path,
    format_name: str,
    into: str | Path,
    *,
    text: str | Path | None = None,
    typesystem: str | Path | None = None,
    normalise_newlines: bool = False,
    drop: Sequence[str] = (),
) -> str:
    """Import ``source`` (in ``format_name``) into the annotation file ``into``; return a report.

    The document's text and metadata are kept. Raises
    :class:`~sahel_corpus.errors.FormatError` (code ``different-text``) when
    the tool's text differs, :class:`~sahel_corpus.errors.AnnotationError`
    with code ``would-lose`` when the import would drop annotation the
    format cannot carry and ``drop`` does not name that kind, and with the
    validator's findings when the result would be invalid. In every case
    ``into`` is left as it was.
    """
    fmt = get(format_name)
    if fmt.read is None:
        raise UsageError(f"got --format {format_name}, expected a format that imports")
    source, into = Path(source), Path(into)
    target = read_document(into)
    options = ImportOptions(
        text=Path(text) if text else None,
        typesystem=Path(typesystem) if typesystem else None,
        normalise_newlines=normalise_newlines,
    )
    imported = fmt.read(source, target.meta, options)
    if imported.text != target.text:
        raise FormatError(
            f"{source}: got a text that differs from {into}'s text, expected the same text "
            "(the tool's file must be an export of this document)",
            code="different-text",
        )
    new = replace(imported, meta=target.meta)
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
            f"{source}: got an import that would lose {lost} of {into} ({fmt.name} cannot "
            f"carry them), expected no loss; {into} is unchanged. To import anyway, pass {flags}",
            code="would-lose",
        )
    data = document_to_dict(new)
    raise_findings(
        validate_data(data, str(into), file_name=into.name, text=target.text), str(source)
    )
    changed = data != read_annotation(into)
    if changed:
        write_annotation(into, data)
    counts = ", ".join(
        f"{len(getattr(new, layer))} {layer}"
        for layer in ("entities", "mentions", "relations", "stances")
    )
    verb = "imported" if changed else "imported (no change)"
    dropped = "; dropped: " + ", ".join(f"{losses[k]} {k}" for k in drop) if drop else ""
    return f"{verb} {source} into {into}: {counts}, valid{dropped}\n{fmt.summary()}"
