"""The contribution path: scaffold a new document, pre-annotate it, compare versions.

``scaffold`` copies an article's text into the corpus byte for byte and
writes an annotation file with proposed zones and sentences (status
``draft``); ``diff`` lists what changed between two versions of a
document's annotation. (Pre-annotation, which needs the baselines, is
:func:`sahel_corpus.baselines.extract.preannotate`.)

Examples
--------
>>> from sahel_corpus.model import Mention
>>> describe(Mention("m1", "e1", 0, 4, "Mali", "NAM"))
'm1 "Mali" 0:4 NAM -> e1'
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import AnnotationError
from .fileio import read_bytes, write_atomic
from .model import (
    ANNOTATION_LAYERS,
    Document,
    DocumentMeta,
    Entity,
    Event,
    Mention,
    Relation,
    Stance,
    document_to_dict,
    id_order,
)
from .schema import (
    GUIDELINE_VERSION,
    LANGUAGE_PATTERN,
    SCHEMA_VERSION,
    is_document_id,
    is_iso_date,
    is_url,
)
from .segment import propose_sentences, propose_zones
from .sources import write_annotation
from .textrules import decode_text
from .validate import raise_findings, validate_data

__all__ = ["Change", "check_metadata", "describe", "diff", "scaffold", "summary"]


def check_metadata(
    doc_id: str,
    title: str,
    publisher: str,
    licence: str,
    url: str | None = None,
    published: str | None = None,
    language: str = "en",
) -> None:
    """Raise :class:`~sahel_corpus.errors.AnnotationError` for the first unusable value.

    The codes are the validator's check ids where one exists (``document-id``
    for an id that is not ``letters, digits, _ and -``, ``published-date``,
    ``url-syntax``), else ``language-tag`` or ``empty-value``.
    """
    if not is_document_id(doc_id):
        raise AnnotationError(
            f"--id: got {doc_id!r}, expected a document id of letters, digits, _ and - "
            "that starts with a letter or digit (it names the files)",
            code="document-id",
        )
    for flag, value in (("--title", title), ("--publisher", publisher), ("--licence", licence)):
        if not value.strip():
            raise AnnotationError(
                f"{flag}: got {value!r}, expected a non-empty value", code="empty-value"
            )
    if re.fullmatch(LANGUAGE_PATTERN, language) is None:
        raise AnnotationError(
            f"--language: got {language!r}, expected a BCP 47 language tag such as en, fr or en-GB",
            code="language-tag",
        )
    if url is not None and not is_url(url):
        raise AnnotationError(
            f"--url: got {url!r}, expected an http or https address with a host",
            code="url-syntax",
        )
    if published is not None and not is_iso_date(published, times=True):
        raise AnnotationError(
            f"--published: got {published!r}, expected an ISO 8601 date (YYYY, YYYY-MM or "
            "YYYY-MM-DD, or a date and time)",
            code="published-date",
        )


def scaffold(
    text_path: str | Path,
    doc_id: str,
    title: str,
    publisher: str,
    licence: str,
    folder: str | Path,
    url: str | None = None,
    published: str | None = None,
    language: str = "en",
) -> Path:
    """Copy a text into ``folder`` and write its draft annotation file; return the JSON path.

    Every argument and the text are checked before anything is written: the
    metadata by :func:`check_metadata`, the text by the corpus's text rules
    (UTF-8, NFC, LF, no BOM, no control character, not empty). The text is
    copied byte for byte and never converted; the new annotation file is
    validated before it is written.
    """
    check_metadata(doc_id, title, publisher, licence, url, published, language)
    source = Path(text_path)
    raw = read_bytes(source, "the article's text file")
    text = decode_text(raw, str(source))
    folder = Path(folder)
    target = folder / f"{doc_id}.json"
    text_target = folder / f"{doc_id}.txt"
    for existing in (target, text_target):
        if existing.exists():
            raise AnnotationError(
                f"{existing}: got an existing document {doc_id!r}, expected a new id",
                code="document-exists",
            )
    zones = tuple(propose_zones(text))
    doc = Document(
        meta=DocumentMeta(
            id=doc_id,
            text_file=text_target.name,
            text_sha256=hashlib.sha256(raw).hexdigest(),
            title=title,
            publisher=publisher,
            url=url,
            published=published,
            language=language,
            text_licence=licence,
            annotation_licence="CC-BY-4.0",
            guideline_version=GUIDELINE_VERSION,
            annotators=(),
            status="draft",
        ),
        text=text,
        zones=zones,
        sentences=tuple(propose_sentences(text, zones)),
        schema_version=SCHEMA_VERSION,
    )
    data = document_to_dict(doc)
    raise_findings(validate_data(data, str(target), text=text), str(target))
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(text_target, raw)
    try:
        write_annotation(target, data)
    except BaseException:
        text_target.unlink(missing_ok=True)
        raise
    return target


def describe(item: Any) -> str:
    """One line that says what an annotation item is."""
    if isinstance(item, Mention):
        return f'{item.id} "{item.text}" {item.start}:{item.end} {item.level} -> {item.entity}'
    if isinstance(item, Entity):
        extra = ", ".join(
            f"{k}={v}"
            for k, v in (
                ("actor", item.actor_category),
                ("kb", item.kb_id),
                ("normalized", item.normalized),
            )
            if v
        )
        return f"{item.id} {item.type}" + (f" ({extra})" if extra else "")
    if isinstance(item, Relation):
        by = f" by {item.attributed_to}" if item.attributed_to else ""
        return f"{item.id} {item.type}({item.head}, {item.tail}) [{','.join(item.evidence)}]{by}"
    if isinstance(item, Event):
        triggers = ", ".join(f'"{t.text}" {t.start}:{t.end}' for t in item.triggers)
        args = ", ".join(f"{a.role}={a.entity}" for a in item.arguments)
        by = f" by {item.attributed_to}" if item.attributed_to else ""
        return f"{item.id} {item.type} {item.realis} [{triggers}] ({args}){by}"
    if isinstance(item, Stance):
        target = item.target_entity or (f'"{item.target_span.text}"' if item.target_span else "")
        by = f" by {item.attributed_to}" if item.attributed_to else ""
        return f"{item.id} {item.holder} {item.label} {target} [{','.join(item.evidence)}]{by}"
    return repr(item)


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between two versions: ``+`` added, ``-`` removed, ``~`` changed."""

    kind: str
    layer: str
    old: str | None
    new: str | None

    def format(self) -> str:
        if self.kind == "~":
            return f"~ {self.layer}: {self.old} => {self.new}"
        return f"{self.kind} {self.layer}: {self.new if self.kind == '+' else self.old}"


def diff(old: Document, new: Document) -> list[Change]:
    """Added, removed and changed entities, mentions, relations and stances (matched by id)."""
    if old.text != new.text:
        raise AnnotationError(
            f"got two different texts ({old.id!r}, {new.id!r}), expected two "
            "versions of one document",
            code="different-texts",
        )
    changes: list[Change] = []
    for layer in ANNOTATION_LAYERS:
        before: dict[str, Any] = {x.id: x for x in getattr(old, layer)}
        after: dict[str, Any] = {x.id: x for x in getattr(new, layer)}
        for key in sorted(before.keys() - after.keys(), key=id_order):
            changes.append(Change("-", layer, describe(before[key]), None))
        for key in sorted(after.keys() - before.keys(), key=id_order):
            changes.append(Change("+", layer, None, describe(after[key])))
        for key in sorted(before.keys() & after.keys(), key=id_order):
            if before[key] != after[key]:
                changes.append(Change("~", layer, describe(before[key]), describe(after[key])))
    return changes


def summary(changes: Sequence[Change]) -> str:
    """A count of changes per layer and kind.

    >>> summary([Change("+", "mentions", None, "m1")])
    '1 change(s): mentions +1'
    """
    counts: dict[str, dict[str, int]] = {}
    for c in changes:
        counts.setdefault(c.layer, {}).setdefault(c.kind, 0)
        counts[c.layer][c.kind] += 1
    parts = [
        f"{layer} " + " ".join(f"{k}{n}" for k, n in kinds.items())
        for layer, kinds in counts.items()
    ]
    return f"{len(changes)} change(s)" + (": " + "; ".join(parts) if parts else "")
