"""Flat views of annotated documents: one pure function per dataset config.

Each ``*_rows`` function turns documents into the rows of one config and
:func:`features` gives that config's Hugging Face features, with ClassLabel
names taken from :mod:`sahel_corpus.schema`.

Fold policy (:func:`assign_folds`): while the corpus has fewer than
:data:`DOCUMENT_FOLD_THRESHOLD` documents, the ``fold`` of a sentence is its
position in its document modulo :data:`N_FOLDS`; from that many documents on,
every sentence of a document takes the document's fold,
``sha256(document id) mod N_FOLDS``. Both rules depend only on the document
itself, so adding documents never moves an existing one.

Examples
--------
>>> document_fold("000_b8e6d3e9cdabb873")
2
>>> sorted(CONFIGS)
['documents', 'mentions', 'ner', 'relations', 'stance']
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from datasets import ClassLabel, Features, List, Value

from . import schema as inv
from .errors import AnnotationError, DataError
from .iob import outermost_spans, spans_to_iob2
from .model import (
    Document,
    DocumentMeta,
    Entity,
    Mention,
    Relation,
    Sentence,
    Span,
    Stance,
    Zone,
    to_plain,
)
from .tokenize import token_offsets

__all__ = [
    "CONFIGS",
    "DOCUMENT_FOLD_THRESHOLD",
    "N_FOLDS",
    "assign_folds",
    "document_fold",
    "document_rows",
    "documents_from_dataset",
    "features",
    "mention_depths",
    "mention_rows",
    "ner_rows",
    "relation_rows",
    "rows",
    "sentence_tags",
    "stance_rows",
]

N_FOLDS = 5
DOCUMENT_FOLD_THRESHOLD = 5

Folds = dict[tuple[str, str], int]


def document_fold(doc_id: str) -> int:
    """Return the fold of a whole document under the document-level policy."""
    return int(hashlib.sha256(doc_id.encode("utf-8")).hexdigest(), 16) % N_FOLDS


def assign_folds(docs: Sequence[Document]) -> Folds:
    """Return the fold of every ``(document id, sentence id)``."""
    folds: Folds = {}
    by_document = len(docs) >= DOCUMENT_FOLD_THRESHOLD
    for doc in docs:
        ordered = sorted(doc.sentences, key=lambda s: s.start)
        for k, sent in enumerate(ordered):
            folds[(doc.id, sent.id)] = document_fold(doc.id) if by_document else k % N_FOLDS
    return folds


def _cl(names: Sequence[str]) -> ClassLabel:
    return ClassLabel(names=list(names))


_STR = Value("string")
_INT = Value("int32")

_FEATURES: dict[str, Features] = {
    "documents": Features(
        {
            "id": _STR,
            "title": _STR,
            "publisher": _STR,
            "url": _STR,
            "published": _STR,
            "language": _STR,
            "text_licence": _STR,
            "annotation_licence": _STR,
            "guideline_version": _STR,
            "annotators": List(_STR),
            "status": _cl(inv.DOCUMENT_STATUSES),
            "text": _STR,
            "zones": List({"id": _STR, "type": _cl(inv.ZONE_TYPES), "start": _INT, "end": _INT}),
            "sentences": List({"id": _STR, "zone": _STR, "start": _INT, "end": _INT, "fold": _INT}),
            "entities": List(
                {
                    "id": _STR,
                    "type": _cl(inv.ENTITY_TYPES),
                    "actor_category": _STR,
                    "kb_id": _STR,
                    "normalized": _STR,
                    "machine": Value("bool"),
                    "mentions": List(_STR),
                }
            ),
            "mentions": List(
                {
                    "id": _STR,
                    "entity": _STR,
                    "start": _INT,
                    "end": _INT,
                    "text": _STR,
                    "level": _cl(inv.MENTION_LEVELS),
                    "machine": Value("bool"),
                }
            ),
            "relations": List(
                {
                    "id": _STR,
                    "type": _cl(inv.RELATION_TYPES),
                    "head": _STR,
                    "tail": _STR,
                    "evidence": List(_STR),
                    "attributed_to": _STR,
                    "machine": Value("bool"),
                }
            ),
            "stances": List(
                {
                    "id": _STR,
                    "holder": _STR,
                    "target_entity": _STR,
                    "target_start": _INT,
                    "target_end": _INT,
                    "target_text": _STR,
                    "label": _cl(inv.STANCE_LABELS),
                    "evidence": List(_STR),
                    "attributed_to": _STR,
                    "machine": Value("bool"),
                }
            ),
        }
    ),
    "ner": Features(
        {
            "id": _STR,
            "document_id": _STR,
            "sentence_id": _STR,
            "text": _STR,
            "tokens": List(_STR),
            "token_starts": List(_INT),
            "token_ends": List(_INT),
            "ner_tags": List(_cl(inv.NER_TAGS)),
            "fold": _INT,
        }
    ),
    "mentions": Features(
        {
            "id": _STR,
            "document_id": _STR,
            "mention_id": _STR,
            "entity_id": _STR,
            "sentence_id": _STR,
            "start": _INT,
            "end": _INT,
            "text": _STR,
            "type": _cl(inv.ENTITY_TYPES),
            "level": _cl(inv.MENTION_LEVELS),
            "depth": _INT,
            "actor_category": _STR,
            "kb_id": _STR,
            "normalized": _STR,
            "fold": _INT,
        }
    ),
    "relations": Features(
        {
            "id": _STR,
            "document_id": _STR,
            "relation_id": _STR,
            "type": _cl(inv.RELATION_TYPES),
            "symmetric": Value("bool"),
            "head": _STR,
            "head_type": _cl(inv.ENTITY_TYPES),
            "head_name": _STR,
            "tail": _STR,
            "tail_type": _cl(inv.ENTITY_TYPES),
            "tail_name": _STR,
            "evidence": List(_STR),
            "evidence_text": _STR,
            "attributed_to": _STR,
            "fold": _INT,
        }
    ),
    "stance": Features(
        {
            "id": _STR,
            "document_id": _STR,
            "stance_id": _STR,
            "holder": _STR,
            "holder_name": _STR,
            "target_entity": _STR,
            "target_start": _INT,
            "target_end": _INT,
            "target_text": _STR,
            "label": _cl(inv.STANCE_LABELS),
            "evidence": List(_STR),
            "evidence_text": _STR,
            "attributed_to": _STR,
            "fold": _INT,
        }
    ),
}

#: What each config holds, for the dataset card.
CONFIG_DESCRIPTIONS: dict[str, str] = {
    "documents": "one row per document: the text, its metadata and every layer nested",
    "ner": "one row per sentence: tokens, their character offsets and IOB2 tags of the "
    "outermost mentions",
    "mentions": "one row per mention, with its entity (coreference), type, level, nesting "
    "depth and entity attributes",
    "relations": "one row per relation between entities, with evidence sentences and attribution",
    "stance": "one row per stance: holder, target (entity or proposition span), label, "
    "evidence and attribution",
}


def features(config: str) -> Features:
    """Return the Hugging Face features of a config.

    >>> features("ner")["ner_tags"].feature.names[:3]
    ['O', 'B-PER', 'I-PER']
    """
    try:
        return _FEATURES[config]
    except KeyError:
        raise DataError(
            f"got config {config!r}, expected one of {', '.join(CONFIGS)}", code="config"
        ) from None


def mention_depths(doc: Document) -> dict[str, int]:
    """Return each mention's nesting depth: 0 for outermost, 1 inside one other, ..."""
    depth: dict[str, int] = {}
    stack: list[tuple[int, int]] = []
    for m in sorted(doc.mentions, key=lambda m: (m.start, -m.end, m.id)):
        while stack and stack[-1][1] <= m.start:
            stack.pop()
        depth[m.id] = len(stack)
        stack.append((m.start, m.end))
    return depth


def _sentence_id(doc: Document, start: int, end: int) -> str:
    sent = doc.sentence_of(start, end)
    if sent is None:
        raise AnnotationError(
            f"{doc.id}: got span {start}:{end} outside every sentence, "
            "expected a validated document",
            code="span-sentence",
        )
    return sent.id


def _evidence_text(doc: Document, evidence: Sequence[str]) -> str:
    by_id = doc.sentence_by_id
    return " ".join(by_id[e].text for e in sorted(evidence, key=lambda e: by_id[e].start))


def _first_fold(doc: Document, evidence: Sequence[str], folds: Folds) -> int:
    first = min(evidence, key=lambda e: doc.sentence_by_id[e].start)
    return folds[(doc.id, first)]


def document_rows(docs: Sequence[Document], folds: Folds) -> list[dict[str, Any]]:
    """Rows of the ``documents`` config."""
    out = []
    for doc in docs:
        meta = to_plain(doc.meta)
        del meta["text_file"], meta["text_sha256"]  # the text itself is in the row
        out.append(
            {
                **meta,
                "text": doc.text,
                "zones": [{k: v for k, v in to_plain(z).items() if k != "text"} for z in doc.zones],
                "sentences": [
                    {
                        **{k: v for k, v in to_plain(s).items() if k != "text"},
                        "fold": folds[(doc.id, s.id)],
                    }
                    for s in doc.sentences
                ],
                "entities": [
                    {
                        **to_plain(e),
                        "machine": e.machine,
                        "mentions": [x.id for x in doc.mentions_of(e.id)],
                    }
                    for e in doc.entities
                ],
                "mentions": [{**to_plain(x), "machine": x.machine} for x in doc.mentions],
                "relations": [{**to_plain(r), "machine": r.machine} for r in doc.relations],
                "stances": [_stance_struct(s) for s in doc.stances],
            }
        )
    return out


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
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _stance_struct(s: Any) -> dict[str, Any]:
    span = s.target_span
    return {
        "id": s.id,
        "holder": s.holder,
        "target_entity": s.target_entity,
        "target_start": span.start if span else None,
        "target_end": span.end if span else None,
        "target_text": span.text if span else None,
        "label": s.label,
        "evidence": list(s.evidence),
        "attributed_to": s.attributed_to,
        "machine": s.machine,
    }


def sentence_tags(doc: Document, sent: Sentence) -> tuple[list[tuple[int, int]], list[str]]:
    """A sentence's token offsets and the IOB2 tags of its outermost mentions."""
    toks = token_offsets(doc.text, sent.start, sent.end)
    spans = [(m.start, m.end, doc.entity(m.entity).type) for m in doc.mentions_in(*sent.span)]
    return toks, spans_to_iob2(toks, outermost_spans(spans))


def ner_rows(docs: Sequence[Document], folds: Folds) -> list[dict[str, Any]]:
    """Rows of the ``ner`` config: one per sentence, outermost mentions as IOB2 tags."""
    out = []
    for doc in docs:
        for sent in sorted(doc.sentences, key=lambda s: s.start):
            toks, tags = sentence_tags(doc, sent)
            out.append(
                {
                    "id": f"{doc.id}/{sent.id}",
                    "document_id": doc.id,
                    "sentence_id": sent.id,
                    "text": sent.text,
                    "tokens": [doc.text[a:b] for a, b in toks],
                    "token_starts": [a for a, _ in toks],
                    "token_ends": [b for _, b in toks],
                    "ner_tags": tags,
                    "fold": folds[(doc.id, sent.id)],
                }
            )
    return out


def mention_rows(docs: Sequence[Document], folds: Folds) -> list[dict[str, Any]]:
    """Rows of the ``mentions`` config, in text order."""
    out = []
    for doc in docs:
        depth = mention_depths(doc)
        for m in sorted(doc.mentions, key=lambda m: (m.start, -m.end, m.id)):
            ent = doc.entity(m.entity)
            sid = _sentence_id(doc, m.start, m.end)
            out.append(
                {
                    "id": f"{doc.id}/{m.id}",
                    "document_id": doc.id,
                    "mention_id": m.id,
                    "entity_id": m.entity,
                    "sentence_id": sid,
                    "start": m.start,
                    "end": m.end,
                    "text": m.text,
                    "type": ent.type,
                    "level": m.level,
                    "depth": depth[m.id],
                    "actor_category": ent.actor_category,
                    "kb_id": ent.kb_id,
                    "normalized": ent.normalized,
                    "fold": folds[(doc.id, sid)],
                }
            )
    return out


def relation_rows(docs: Sequence[Document], folds: Folds) -> list[dict[str, Any]]:
    """Rows of the ``relations`` config."""
    out = []
    for doc in docs:
        for r in doc.relations:
            out.append(
                {
                    "id": f"{doc.id}/{r.id}",
                    "document_id": doc.id,
                    "relation_id": r.id,
                    "type": r.type,
                    "symmetric": inv.is_symmetric(r.type),
                    "head": r.head,
                    "head_type": doc.entity(r.head).type,
                    "head_name": doc.canonical_name(r.head),
                    "tail": r.tail,
                    "tail_type": doc.entity(r.tail).type,
                    "tail_name": doc.canonical_name(r.tail),
                    "evidence": list(r.evidence),
                    "evidence_text": _evidence_text(doc, r.evidence),
                    "attributed_to": r.attributed_to,
                    "fold": _first_fold(doc, r.evidence, folds),
                }
            )
    return out


def stance_rows(docs: Sequence[Document], folds: Folds) -> list[dict[str, Any]]:
    """Rows of the ``stance`` config."""
    out = []
    for doc in docs:
        for s in doc.stances:
            struct = _stance_struct(s)
            del struct["machine"]
            if s.target_entity is not None:
                struct["target_text"] = doc.canonical_name(s.target_entity)
            holder_name = inv.AUTHOR if s.holder_is_author else doc.canonical_name(s.holder)
            out.append(
                {
                    "id": f"{doc.id}/{s.id}",
                    "document_id": doc.id,
                    "stance_id": s.id,
                    "holder": s.holder,
                    "holder_name": holder_name,
                    "target_entity": struct["target_entity"],
                    "target_start": struct["target_start"],
                    "target_end": struct["target_end"],
                    "target_text": struct["target_text"],
                    "label": s.label,
                    "evidence": list(s.evidence),
                    "evidence_text": _evidence_text(doc, s.evidence),
                    "attributed_to": s.attributed_to,
                    "fold": _first_fold(doc, s.evidence, folds),
                }
            )
    return out


_ROW_FUNCTIONS: dict[str, Callable[[Sequence[Document], Folds], list[dict[str, Any]]]] = {
    "documents": document_rows,
    "ner": ner_rows,
    "mentions": mention_rows,
    "relations": relation_rows,
    "stance": stance_rows,
}

#: Config names in the order the card lists them.
CONFIGS: tuple[str, ...] = tuple(_ROW_FUNCTIONS)


def rows(config: str, docs: Sequence[Document]) -> list[dict[str, Any]]:
    """Return the rows of one config for the given documents."""
    features(config)  # raises on an unknown name
    return _ROW_FUNCTIONS[config](docs, assign_folds(docs))
