"""The contribution path: scaffold a new document, pre-annotate it, compare versions.

``scaffold`` copies an article's text into the corpus byte for byte and
writes an annotation file with proposed zones and sentences (status
``draft``); ``preannotate`` fills its empty layers with the baselines'
predictions, every item marked ``"machine": true``; ``diff`` lists what
changed between two versions of a document's annotation.

Examples
--------
>>> from sahel_corpus.model import Mention
>>> describe(Mention("m1", "e1", 0, 4, "Mali", "NAM"))
'm1 "Mali" 0:4 NAM -> e1'
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .model import Document, DocumentMeta, Entity, Mention, Relation, Stance, document_to_dict
from .schema import SCHEMA_VERSION
from .segment import propose_sentences, propose_zones
from .sources import CorpusError, read_document, read_documents, write_annotation

__all__ = ["Change", "describe", "diff", "preannotate", "scaffold", "summary"]

_LAYERS = ("entities", "mentions", "relations", "stances")


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

    The text must already be UTF-8, NFC, with LF line ends and no BOM; it is
    copied byte for byte and never converted.
    """
    from sahel_corpus.baselines.pipeline import check_text

    source = Path(text_path)
    raw = source.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise CorpusError(
            f"{source}: byte {err.start}: got bytes that are not UTF-8, expected UTF-8 text"
        ) from None
    try:
        check_text(text, str(source))
    except ValueError as err:
        raise CorpusError(str(err)) from None
    folder = Path(folder)
    target = folder / f"{doc_id}.json"
    if target.exists() or (folder / f"{doc_id}.txt").exists():
        raise CorpusError(f"{target}: got an existing document {doc_id!r}, expected a new id")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{doc_id}.txt").write_bytes(raw)
    zones = tuple(propose_zones(text))
    doc = Document(
        meta=DocumentMeta(
            id=doc_id,
            text_file=f"{doc_id}.txt",
            text_sha256=hashlib.sha256(raw).hexdigest(),
            title=title,
            publisher=publisher,
            url=url,
            published=published,
            language=language,
            text_licence=licence,
            annotation_licence="CC-BY-4.0",
            guideline_version="1.0",
            annotators=(),
            status="draft",
        ),
        text=text,
        zones=zones,
        sentences=tuple(propose_sentences(text, zones)),
        schema_version=SCHEMA_VERSION,
    )
    write_annotation(target, document_to_dict(doc))
    return target


def preannotate(path: str | Path, corpus_dir: str | Path, seed: int = 0) -> Document:
    """Fill a document's empty layers with machine-made predictions and save it.

    The models train on the corpus's other documents. The document's own
    zones and sentences are kept. Refuses a document that already has
    entities, mentions, relations or stances.
    """
    from sahel_corpus.baselines.pipeline import EXTRACTOR_NAME, Extractor

    path = Path(path)
    doc = read_document(path)
    filled = [layer for layer in _LAYERS if getattr(doc, layer)]
    if filled:
        raise CorpusError(
            f"{path}: got annotation in {', '.join(filled)}, expected empty layers "
            "(pre-annotation never overwrites annotation)"
        )
    training = [d for d in read_documents(corpus_dir) if d.id != doc.id]
    if not training:
        raise CorpusError(
            f"{corpus_dir}: got no other document to train on, expected at least "
            "one annotated document"
        )
    made = Extractor.train(training, seed=seed).annotate(doc.text, doc.id, doc.zones, doc.sentences)
    annotators = doc.meta.annotators
    if EXTRACTOR_NAME not in annotators:
        annotators = (*annotators, EXTRACTOR_NAME)
    result = replace(
        doc,
        meta=replace(doc.meta, annotators=annotators),
        entities=made.entities,
        mentions=made.mentions,
        relations=made.relations,
        stances=made.stances,
    )
    write_annotation(path, document_to_dict(result))
    return result


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
        raise ValueError(
            f"got two different texts ({old.id!r}, {new.id!r}), expected two "
            "versions of one document"
        )
    changes: list[Change] = []
    for layer in _LAYERS:
        before: dict[str, Any] = {x.id: x for x in getattr(old, layer)}
        after: dict[str, Any] = {x.id: x for x in getattr(new, layer)}
        for key in sorted(before.keys() - after.keys(), key=_natural):
            changes.append(Change("-", layer, describe(before[key]), None))
        for key in sorted(after.keys() - before.keys(), key=_natural):
            changes.append(Change("+", layer, None, describe(after[key])))
        for key in sorted(before.keys() & after.keys(), key=_natural):
            if before[key] != after[key]:
                changes.append(Change("~", layer, describe(before[key]), describe(after[key])))
    return changes


def _natural(key: str) -> tuple[str, int]:
    head = key.rstrip("0123456789")
    tail = key[len(head) :]
    return (head, int(tail) if tail else -1)


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
