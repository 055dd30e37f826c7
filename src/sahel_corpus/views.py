"""Flat views of annotated documents: one pure function per dataset config.

Each ``*_rows`` function turns documents into the rows of one config and
:func:`features` gives that config's Hugging Face features, with ClassLabel
names taken from :mod:`sahel_corpus.schema`.

Fold policy (:func:`assign_folds`): while the corpus has fewer than
:data:`DOCUMENT_FOLD_THRESHOLD` documents, the sentences of each document are
dealt into :data:`N_FOLDS` folds so that every layer has rows in every fold
where its data allow (:func:`sentence_folds`); from that many documents on,
every sentence of a document takes the document's fold,
``sha256(document id) mod N_FOLDS``. Both rules depend only on the document
itself, so adding documents never moves an existing one. The splits are cut
by fold (:data:`SPLIT_FOLDS`: folds 0-2 train, 3 validation, 4 test).

Examples
--------
>>> document_fold("000_b8e6d3e9cdabb873")
2
>>> sorted(CONFIGS)
['documents', 'event_triggers', 'events', 'mentions', 'ner', 'relations', 'stance']
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

from datasets import ClassLabel, Features, List, Value

from . import schema as inv
from .errors import AnnotationError, DataError
from .iob import outermost_spans, spans_to_iob2
from .model import (
    Argument,
    Document,
    DocumentMeta,
    Entity,
    Event,
    Mention,
    Relation,
    Sentence,
    Span,
    Stance,
    Trigger,
    Zone,
    document_to_dict,
    id_order,
    to_plain,
)
from .tokenize import token_offsets

__all__ = [
    "CONFIGS",
    "DOCUMENT_FOLD_THRESHOLD",
    "FIELD_DESCRIPTIONS",
    "N_FOLDS",
    "SPLITS",
    "SPLIT_FOLDS",
    "TagFunction",
    "assign_folds",
    "class_labels",
    "document_fold",
    "document_rows",
    "documents_from_dataset",
    "event_rows",
    "event_trigger_rows",
    "event_trigger_tags",
    "features",
    "mention_depths",
    "mention_rows",
    "ner_rows",
    "relation_rows",
    "restrict_to_sentences",
    "rows",
    "sentence_folds",
    "sentence_tags",
    "split_of_fold",
    "split_rows",
    "stance_rows",
]

N_FOLDS = 5
DOCUMENT_FOLD_THRESHOLD = 5

Folds = dict[tuple[str, str], int]


def document_fold(doc_id: str) -> int:
    """Return the fold of a whole document under the document-level policy."""
    return int(hashlib.sha256(doc_id.encode("utf-8")).hexdigest(), 16) % N_FOLDS


#: The splits and the folds each holds.
SPLIT_FOLDS: dict[str, tuple[int, ...]] = {"train": (0, 1, 2), "validation": (3,), "test": (4,)}
SPLITS: tuple[str, ...] = tuple(SPLIT_FOLDS)


def split_of_fold(fold: int) -> str:
    """The split a fold belongs to.

    >>> [split_of_fold(k) for k in range(5)]
    ['train', 'train', 'train', 'validation', 'test']
    """
    return next(name for name, folds in SPLIT_FOLDS.items() if fold in folds)


def _anchors(doc: Document) -> dict[str, list[str]]:
    """Per layer, the sentences its rows take their fold from (distinct, in text order)."""

    def first(evidence: Sequence[str]) -> str:
        return min(evidence, key=lambda e: doc.sentence_by_id[e].start)

    ordered = [s.id for s in sorted(doc.sentences, key=lambda s: s.start)]
    used = {
        "ner": set(ordered),
        "mentions": {_sentence_id(doc, m.start, m.end) for m in doc.mentions},
        "relations": {first(r.evidence) for r in doc.relations},
        "stance": {first(st.evidence) for st in doc.stances},
        "events": {_event_sentence(doc, e) for e in doc.events},
    }
    return {layer: [sid for sid in ordered if sid in ids] for layer, ids in used.items()}


def sentence_folds(doc: Document) -> dict[str, int]:
    """The fold of each sentence of one document (the rule for a small corpus).

    Layer by layer, the layer with the fewest distinct sentences first, each
    fold that layer does not reach yet gets the layer's earliest sentence
    not dealt yet; the remaining sentences then go, in text order, to the
    fold with the fewest sentences (the lowest such fold). So every layer
    has rows in every fold when it has sentences enough, the folds hold
    about as many sentences each, and the result depends on the document
    alone.
    """
    anchors = _anchors(doc)
    fold_of: dict[str, int] = {}
    sizes = [0] * N_FOLDS
    for layer in sorted(anchors, key=lambda name: (len(anchors[name]), name)):
        reached = {fold_of[sid] for sid in anchors[layer] if sid in fold_of}
        free = [sid for sid in anchors[layer] if sid not in fold_of]
        for fold in range(N_FOLDS):
            if fold not in reached and free:
                fold_of[free.pop(0)] = fold
                sizes[fold] += 1
    for sent in sorted(doc.sentences, key=lambda s: s.start):
        if sent.id not in fold_of:
            fold = sizes.index(min(sizes))
            fold_of[sent.id] = fold
            sizes[fold] += 1
    return fold_of


def assign_folds(docs: Sequence[Document]) -> Folds:
    """Return the fold of every ``(document id, sentence id)``."""
    folds: Folds = {}
    by_document = len(docs) >= DOCUMENT_FOLD_THRESHOLD
    for doc in docs:
        within = None if by_document else sentence_folds(doc)
        for sent in doc.sentences:
            folds[(doc.id, sent.id)] = document_fold(doc.id) if within is None else within[sent.id]
    return folds


def restrict_to_sentences(doc: Document, keep: Iterable[str]) -> Document:
    """The document with only the annotation of the sentences ``keep`` (valid on its own).

    Mentions inside the kept sentences stay, with the entities they belong
    to; a relation or stance stays with its evidence among the kept
    sentences when it has any there and every entity it names stays; an
    event stays with its triggers inside the kept sentences, when it has
    any there and its attribution stays, with the arguments whose entity
    stays; the text, zones and sentences are the whole document's.
    """
    ids = set(keep)
    spans = [s.span for s in doc.sentences if s.id in ids]

    def inside(start: int, end: int) -> bool:
        return any(a <= start and end <= b for a, b in spans)

    mentions = tuple(m for m in doc.mentions if inside(m.start, m.end))
    kept = {m.entity for m in mentions} | {inv.AUTHOR}

    def refs_kept(*names: str | None) -> bool:
        return all(n is None or n in kept for n in names)

    relations = tuple(
        replace(r, evidence=tuple(e for e in r.evidence if e in ids))
        for r in doc.relations
        if ids.intersection(r.evidence) and refs_kept(r.head, r.tail, r.attributed_to)
    )
    stances = tuple(
        replace(st, evidence=tuple(e for e in st.evidence if e in ids))
        for st in doc.stances
        if ids.intersection(st.evidence)
        and refs_kept(st.holder, st.target_entity, st.attributed_to)
        and (st.target_span is None or inside(st.target_span.start, st.target_span.end))
    )
    events = []
    for ev in doc.events:
        triggers = tuple(t for t in ev.triggers if inside(t.start, t.end))
        if triggers and refs_kept(ev.attributed_to):
            arguments = tuple(a for a in ev.arguments if a.entity in kept)
            events.append(replace(ev, triggers=triggers, arguments=arguments))
    return replace(
        doc,
        entities=tuple(e for e in doc.entities if e.id in kept),
        mentions=mentions,
        relations=relations,
        stances=stances,
        events=tuple(events),
    )


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
            "events": List(
                {
                    "id": _STR,
                    "type": _cl(inv.EVENT_TYPES),
                    "realis": _cl(inv.EVENT_REALIS),
                    "attributed_to": _STR,
                    "triggers": List({"id": _STR, "start": _INT, "end": _INT, "text": _STR}),
                    "arguments": List({"role": _cl(inv.EVENT_ROLES), "entity": _STR}),
                    "machine": Value("bool"),
                }
            ),
            "schema_version": _STR,
        }
    ),
    "ner": Features(
        {
            "id": _STR,
            "document_id": _STR,
            "sentence_id": _STR,
            "text": _STR,
            "text_start": _INT,
            "tokens": List(_STR),
            "token_starts": List(_INT),
            "token_ends": List(_INT),
            "ner_tags": List(_cl(inv.NER_TAGS)),
            "text_licence": _STR,
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
            "text_licence": _STR,
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
            "text_licence": _STR,
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
            "text_licence": _STR,
            "fold": _INT,
        }
    ),
    "events": Features(
        {
            "id": _STR,
            "document_id": _STR,
            "event_id": _STR,
            "type": _cl(inv.EVENT_TYPES),
            "realis": _cl(inv.EVENT_REALIS),
            "attributed_to": _STR,
            "attributed_to_name": _STR,
            "triggers": List(
                {"id": _STR, "start": _INT, "end": _INT, "text": _STR, "sentence_id": _STR}
            ),
            "arguments": List(
                {
                    "role": _cl(inv.EVENT_ROLES),
                    "entity": _STR,
                    "entity_name": _STR,
                    "entity_type": _cl(inv.ENTITY_TYPES),
                }
            ),
            "text_licence": _STR,
            "fold": _INT,
        }
    ),
    "event_triggers": Features(
        {
            "id": _STR,
            "document_id": _STR,
            "sentence_id": _STR,
            "text": _STR,
            "text_start": _INT,
            "tokens": List(_STR),
            "token_starts": List(_INT),
            "token_ends": List(_INT),
            "event_tags": List(_cl(inv.EVENT_TAGS)),
            "text_licence": _STR,
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
    "events": "one row per event: type, realis, attribution, its triggers (event "
    "coreference) and its arguments",
    "event_triggers": "one row per sentence: tokens, their offsets and IOB2 tags of the event "
    "types over the triggers",
}


_DOC = "the document's id"
_FOLD = (
    "cross-validation fold, 0 to 4 (see Splits and folds); the split is cut by it "
    "(0-2 train, 3 validation, 4 test)"
)
_LICENCE = "the licence of the document's text, which the row quotes (see Licence)"
_ENTITY = "entity id within the document (coreference: mentions of one entity share it)"

#: What every column of every config holds, for the dataset card's Data Fields.
FIELD_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "documents": {
        "id": _DOC,
        "title": "headline as published",
        "publisher": "who published the article",
        "url": "where it was published (null: not recorded)",
        "published": "publication date, ISO 8601 (null: not recorded)",
        "language": "BCP 47 language tag of the text",
        "text_licence": "the licence of the article text (the publisher's)",
        "annotation_licence": "the licence of the annotation (SPDX id)",
        "guideline_version": "version of the annotation guidelines followed",
        "annotators": "who annotated (pass names or people)",
        "status": "draft, reviewed or gold",
        "text": "the article text, byte for byte as published (NFC, LF line ends)",
        "zones": "id, type (HEADLINE, SUBHEADING, BODY, BOILERPLATE), start and end of each zone",
        "sentences": "id, zone, start, end and fold of each sentence",
        "entities": "id, type, actor_category, kb_id, normalized, machine and the ids of its "
        "mentions, for each entity",
        "mentions": "id, entity, start, end, text, level and machine of each mention",
        "relations": "id, type, head and tail entity, evidence sentence ids, attributed_to "
        "and machine of each relation",
        "stances": "id, holder (entity id or AUTHOR), target (entity id, or a text span with "
        "start, end and text), label, evidence, attributed_to and machine of each stance",
        "events": "id, type, realis, attributed_to, triggers (id, start, end, text), arguments "
        "(role, entity) and machine of each event (schema 1.1)",
        "schema_version": "the annotation schema version of the document's file (1.0 files have "
        "no events)",
    },
    "ner": {
        "id": "`<document id>/<sentence id>`",
        "document_id": _DOC,
        "sentence_id": "sentence id within the document",
        "text": "the sentence's text",
        "text_start": "where the sentence starts in the document text (character offset)",
        "tokens": "the sentence's tokens (the project's tokenizer: words, numbers, punctuation)",
        "token_starts": "where each token starts in the row's `text` (character offset)",
        "token_ends": "where each token ends in the row's `text` (exclusive), so "
        "`text[token_starts[i]:token_ends[i]] == tokens[i]`",
        "ner_tags": "IOB2 tag of each token, over the outermost mentions (ids: see Labels)",
        "text_licence": _LICENCE,
        "fold": _FOLD,
    },
    "mentions": {
        "id": "`<document id>/<mention id>`",
        "document_id": _DOC,
        "mention_id": "mention id within the document",
        "entity_id": _ENTITY,
        "sentence_id": "the sentence that holds the mention",
        "start": "where the mention starts in the document text (character offset)",
        "end": "where it ends (exclusive)",
        "text": "the mention's text, `document text[start:end]`",
        "type": "the entity's type",
        "level": "NAM (a name), NOM (a nominal) or PRO (a pronoun)",
        "depth": "nesting depth: 0 for an outermost mention, 1 inside one other, ...",
        "actor_category": "the entity's role in the conflict, for actors; null otherwise (values "
        "under Labels)",
        "kb_id": "exact title of the entity's English Wikipedia article; null when none is certain",
        "normalized": "ISO 8601 value of a DATE entity (`2023-08`); null otherwise",
        "text_licence": _LICENCE,
        "fold": _FOLD,
    },
    "relations": {
        "id": "`<document id>/<relation id>`",
        "document_id": _DOC,
        "relation_id": "relation id within the document",
        "type": "relation type",
        "symmetric": "true for ALLIED_WITH and IN_CONFLICT_WITH, whose direction carries no "
        "meaning",
        "head": "head entity id",
        "head_type": "head entity type",
        "head_name": "head entity's name (its first NAM mention, else its first mention)",
        "tail": "tail entity id",
        "tail_type": "tail entity type",
        "tail_name": "tail entity's name",
        "evidence": "ids of the sentences that state the relation",
        "evidence_text": "the text of those sentences, joined by a space",
        "attributed_to": "entity id of the source the article attributes the claim to; null "
        "when the article states it in its own voice",
        "text_licence": _LICENCE,
        "fold": "the fold of the first evidence sentence; " + _FOLD,
    },
    "stance": {
        "id": "`<document id>/<stance id>`",
        "document_id": _DOC,
        "stance_id": "stance id within the document",
        "holder": "entity id of who holds the stance, or AUTHOR for the article's own voice",
        "holder_name": "the holder's name (AUTHOR for the article)",
        "target_entity": "entity id of the target; null when the target is a proposition",
        "target_start": "where a proposition target starts in the document text; null for an "
        "entity target",
        "target_end": "where it ends (exclusive)",
        "target_text": "the proposition's text, or the target entity's name",
        "label": "FAVOR, AGAINST or NEUTRAL",
        "evidence": "ids of the sentences that express the stance",
        "evidence_text": "the text of those sentences, joined by a space",
        "attributed_to": "entity id the article attributes the stance to; null otherwise",
        "text_licence": _LICENCE,
        "fold": "the fold of the first evidence sentence; " + _FOLD,
    },
    "events": {
        "id": "`<document id>/<event id>`",
        "document_id": _DOC,
        "event_id": "event id within the document",
        "type": "event type (ACLED's vocabulary; see Labels)",
        "realis": "ACTUAL (it happened), GENERIC (a kind of event) or OTHER (planned, demanded, "
        "expected, hypothetical or negated)",
        "attributed_to": "entity id of the source the article attributes the event to; null "
        "when the article states it in its own voice",
        "attributed_to_name": "that entity's name",
        "triggers": "every trigger of the event (event coreference): id, start and end in the "
        "document text, text and sentence id",
        "arguments": "role, entity id, entity name and entity type of each participant",
        "text_licence": _LICENCE,
        "fold": "the fold of the first trigger's sentence; " + _FOLD,
    },
    "event_triggers": {
        "id": "`<document id>/<sentence id>`",
        "document_id": _DOC,
        "sentence_id": "sentence id within the document",
        "text": "the sentence's text",
        "text_start": "where the sentence starts in the document text (character offset)",
        "tokens": "the sentence's tokens (as in `ner`)",
        "token_starts": "where each token starts in the row's `text`",
        "token_ends": "where each token ends in the row's `text` (exclusive)",
        "event_tags": "IOB2 tag of each token over the event triggers, by event type (ids: see "
        "Labels)",
        "text_licence": _LICENCE,
        "fold": _FOLD,
    },
}


def class_labels(config: str) -> dict[str, list[str]]:
    """The label names of every ClassLabel column of a config, by dotted column path.

    >>> class_labels("stance")["label"]
    ['FAVOR', 'AGAINST', 'NEUTRAL']
    >>> sorted(class_labels("documents"))[:3]
    ['entities.type', 'events.arguments.role', 'events.realis']
    """
    out: dict[str, list[str]] = {}

    def walk(feature: Any, path: str) -> None:
        if isinstance(feature, ClassLabel):
            out[path] = list(feature.names)
        elif isinstance(feature, List):
            walk(feature.feature, path)
        elif isinstance(feature, dict):
            for key, sub in feature.items():
                walk(sub, f"{path}.{key}" if path else key)

    walk(dict(features(config)), "")
    return out


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


def document_rows(
    docs: Sequence[Document],
    folds: Folds,
    dicts: Sequence[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Rows of the ``documents`` config.

    ``dicts``, if given, are the documents' annotation dictionaries
    (:func:`~sahel_corpus.model.document_to_dict`) already made, say to be
    validated: the rows are built from them, so they hold what was checked.
    """
    if dicts is None:
        dicts = [document_to_dict(d) for d in docs]
    return [_document_row(data, d.text, folds) for d, data in zip(docs, dicts, strict=True)]


def _document_row(data: dict[str, Any], text: str, folds: Folds) -> dict[str, Any]:
    """One row of ``documents`` from an annotation dictionary (every layer's ``machine``
    flag present, zones and sentences without their text, sentences with their fold, an
    entity with the ids of its mentions in text order, a stance's target flattened)."""
    meta = dict(data["document"])
    doc_id = meta["id"]
    del meta["text_file"], meta["text_sha256"]  # the text itself is in the row
    chains: dict[str, list[str]] = {}
    for m in sorted(data["mentions"], key=lambda m: (m["start"], -m["end"])):
        chains.setdefault(m["entity"], []).append(m["id"])
    return {
        **meta,
        "text": text,
        "zones": [_without_text(z) for z in data["zones"]],
        "sentences": [
            {**_without_text(s), "fold": folds[(doc_id, s["id"])]} for s in data["sentences"]
        ],
        "entities": [
            {**e, "machine": e.get("machine", False), "mentions": chains.get(e["id"], [])}
            for e in data["entities"]
        ],
        "mentions": [{**x, "machine": x.get("machine", False)} for x in data["mentions"]],
        "relations": [{**r, "machine": r.get("machine", False)} for r in data["relations"]],
        "stances": [_stance_struct(s) for s in data["stances"]],
        "events": [{**e, "machine": e.get("machine", False)} for e in data.get("events", [])],
        "schema_version": data["schema_version"],
    }


def _without_text(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k != "text"}


def _name(feature: Any, value: Any) -> Any:
    return feature.int2str(value) if isinstance(value, int) else value


def documents_from_dataset(rows: Iterable[dict[str, Any]], features: Any) -> list[Document]:
    """Rebuild typed documents from rows of the ``documents`` config.

    ``features`` is the dataset's ``features`` (to turn ClassLabel ids into names).
    Rows of the same document (its parts in the splits) are merged into one
    document, each layer in the natural order of its ids (``m2`` before
    ``m10``).
    """
    merged: dict[str, Document] = {}
    for doc in _documents_from_rows(rows, features):
        merged[doc.id] = doc if doc.id not in merged else _merge(merged[doc.id], doc)
    return list(merged.values())


def _merge(a: Document, b: Document) -> Document:
    def union(x: Sequence[Any], y: Sequence[Any]) -> tuple[Any, ...]:
        by_id = {item.id: item for item in (*x, *y)}
        return tuple(by_id[k] for k in sorted(by_id, key=id_order))

    return replace(
        a,
        entities=union(a.entities, b.entities),
        mentions=union(a.mentions, b.mentions),
        relations=union(a.relations, b.relations),
        stances=union(a.stances, b.stances),
        events=union(a.events, b.events),
    )


def _documents_from_rows(rows: Iterable[dict[str, Any]], features: Any) -> list[Document]:
    """One document per row, as the row holds it."""
    zone_type = features["zones"].feature["type"]
    entity_type = features["entities"].feature["type"]
    level = features["mentions"].feature["level"]
    relation_type = features["relations"].feature["type"]
    stance_label = features["stances"].feature["label"]
    status = features["status"]
    event_type = features["events"].feature["type"]
    realis = features["events"].feature["realis"]
    role = features["events"].feature["arguments"].feature["role"]
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
                schema_version=row.get("schema_version") or "1.0",
                events=tuple(
                    Event(
                        id=e["id"],
                        type=_name(event_type, e["type"]),
                        realis=_name(realis, e["realis"]),
                        triggers=tuple(Trigger(**t) for t in e["triggers"]),
                        arguments=tuple(
                            Argument(_name(role, a["role"]), a["entity"]) for a in e["arguments"]
                        ),
                        attributed_to=e["attributed_to"],
                        machine=e.get("machine", False),
                    )
                    for e in row.get("events") or []
                ),
            )
        )
    return out


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _stance_struct(s: dict[str, Any]) -> dict[str, Any]:
    """A stance of an annotation dictionary with its target flattened."""
    target = s["target"]
    return {
        "id": s["id"],
        "holder": s["holder"],
        "target_entity": target.get("entity"),
        "target_start": target.get("start"),
        "target_end": target.get("end"),
        "target_text": target.get("text"),
        "label": s["label"],
        "evidence": s["evidence"],
        "attributed_to": s["attributed_to"],
        "machine": s.get("machine", False),
    }


def sentence_tags(doc: Document, sent: Sentence) -> tuple[list[tuple[int, int]], list[str]]:
    """A sentence's token offsets and the IOB2 tags of its outermost mentions."""
    toks = token_offsets(doc.text, sent.start, sent.end)
    spans = [(m.start, m.end, doc.entity(m.entity).type) for m in doc.mentions_in(*sent.span)]
    return toks, spans_to_iob2(toks, outermost_spans(spans))


TagFunction = Callable[[Document, Sentence], tuple[list[tuple[int, int]], list[str]]]


def _token_rows(
    docs: Sequence[Document], folds: Folds, tags_of: TagFunction, column: str
) -> list[dict[str, Any]]:
    """One row per sentence: its tokens with offsets into the row's text, and ``column``'s tags."""
    out = []
    for doc in docs:
        for sent in sorted(doc.sentences, key=lambda s: s.start):
            toks, tags = tags_of(doc, sent)
            out.append(
                {
                    "id": f"{doc.id}/{sent.id}",
                    "document_id": doc.id,
                    "sentence_id": sent.id,
                    "text": sent.text,
                    "text_start": sent.start,
                    "tokens": [doc.text[a:b] for a, b in toks],
                    "token_starts": [a - sent.start for a, _ in toks],
                    "token_ends": [b - sent.start for _, b in toks],
                    column: tags,
                    "text_licence": doc.meta.text_licence,
                    "fold": folds[(doc.id, sent.id)],
                }
            )
    return out


def ner_rows(docs: Sequence[Document], folds: Folds) -> list[dict[str, Any]]:
    """Rows of the ``ner`` config: one per sentence, outermost mentions as IOB2 tags."""
    return _token_rows(docs, folds, sentence_tags, "ner_tags")


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
                    "text_licence": doc.meta.text_licence,
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
                    "text_licence": doc.meta.text_licence,
                    "fold": _first_fold(doc, r.evidence, folds),
                }
            )
    return out


def stance_rows(docs: Sequence[Document], folds: Folds) -> list[dict[str, Any]]:
    """Rows of the ``stance`` config."""
    out = []
    for doc in docs:
        for s in doc.stances:
            span = s.target_span
            if s.target_entity is not None:
                target_text: str | None = doc.canonical_name(s.target_entity)
            else:
                target_text = span.text if span else None
            holder_name = inv.AUTHOR if s.holder_is_author else doc.canonical_name(s.holder)
            out.append(
                {
                    "id": f"{doc.id}/{s.id}",
                    "document_id": doc.id,
                    "stance_id": s.id,
                    "holder": s.holder,
                    "holder_name": holder_name,
                    "target_entity": s.target_entity,
                    "target_start": span.start if span else None,
                    "target_end": span.end if span else None,
                    "target_text": target_text,
                    "label": s.label,
                    "evidence": list(s.evidence),
                    "evidence_text": _evidence_text(doc, s.evidence),
                    "attributed_to": s.attributed_to,
                    "text_licence": doc.meta.text_licence,
                    "fold": _first_fold(doc, s.evidence, folds),
                }
            )
    return out


def event_rows(docs: Sequence[Document], folds: Folds) -> list[dict[str, Any]]:
    """Rows of the ``events`` config: one per event, its fold that of its first trigger."""
    out = []
    for doc in docs:
        for e in doc.events:
            out.append(
                {
                    "id": f"{doc.id}/{e.id}",
                    "document_id": doc.id,
                    "event_id": e.id,
                    "type": e.type,
                    "realis": e.realis,
                    "attributed_to": e.attributed_to,
                    "attributed_to_name": doc.canonical_name(e.attributed_to)
                    if e.attributed_to
                    else None,
                    "triggers": [
                        {**to_plain(t), "sentence_id": _sentence_id(doc, t.start, t.end)}
                        for t in e.triggers
                    ],
                    "arguments": [
                        {
                            "role": a.role,
                            "entity": a.entity,
                            "entity_name": doc.canonical_name(a.entity),
                            "entity_type": doc.entity(a.entity).type,
                        }
                        for a in e.arguments
                    ],
                    "text_licence": doc.meta.text_licence,
                    "fold": folds[(doc.id, _event_sentence(doc, e))],
                }
            )
    return out


def event_trigger_tags(doc: Document, sent: Sentence) -> tuple[list[tuple[int, int]], list[str]]:
    """A sentence's token offsets and the IOB2 tags of the event types of its triggers."""
    toks = token_offsets(doc.text, sent.start, sent.end)
    spans = [
        (t.start, t.end, e.type)
        for e in doc.events
        for t in e.triggers
        if sent.start <= t.start and t.end <= sent.end
    ]
    return toks, spans_to_iob2(toks, sorted(spans))


def event_trigger_rows(docs: Sequence[Document], folds: Folds) -> list[dict[str, Any]]:
    """Rows of the ``event_triggers`` config: one per sentence, like ``ner``."""
    return _token_rows(docs, folds, event_trigger_tags, "event_tags")


_ROW_FUNCTIONS: dict[str, Callable[[Sequence[Document], Folds], list[dict[str, Any]]]] = {
    "documents": document_rows,
    "ner": ner_rows,
    "mentions": mention_rows,
    "relations": relation_rows,
    "stance": stance_rows,
    "events": event_rows,
    "event_triggers": event_trigger_rows,
}

#: Config names in the order the card lists them.
CONFIGS: tuple[str, ...] = tuple(_ROW_FUNCTIONS)


def rows(config: str, docs: Sequence[Document]) -> list[dict[str, Any]]:
    """Return the rows of one config for the given documents."""
    features(config)  # raises on an unknown name
    return _ROW_FUNCTIONS[config](docs, assign_folds(docs))


def split_rows(config: str, docs: Sequence[Document]) -> dict[str, list[dict[str, Any]]]:
    """The rows of one config, split by fold (:data:`SPLIT_FOLDS`).

    A row of the flat configs goes to the split of its ``fold``. Each split
    of ``documents`` holds every document that has a sentence in one of the
    split's folds, with the part of its annotation that belongs to the split
    (:func:`_split_part`): the rows of one document in the three splits
    together hold all of it, and :func:`documents_from_dataset` puts them
    back together.
    """
    features(config)  # raises on an unknown name
    folds = assign_folds(docs)
    if config == "documents":
        return {
            name: document_rows(
                [_split_part(d, folds, in_split) for d in docs if _document_in(d, folds, in_split)],
                folds,
            )
            for name, in_split in SPLIT_FOLDS.items()
        }
    every = _ROW_FUNCTIONS[config](docs, folds)
    return {name: [r for r in every if r["fold"] in SPLIT_FOLDS[name]] for name in SPLITS}


def _document_in(doc: Document, folds: Folds, in_split: tuple[int, ...]) -> bool:
    """Whether a split of ``documents`` holds the document (one without sentences: its fold's)."""
    if not doc.sentences:
        return document_fold(doc.id) in in_split
    return any(folds[(doc.id, s.id)] in in_split for s in doc.sentences)


def _split_part(doc: Document, folds: Folds, in_split: tuple[int, ...]) -> Document:
    """The part of a document's annotation that belongs to one split (for ``documents``).

    Mentions go with their sentence's fold, relations and stances with their
    first evidence sentence's (as in the flat configs), so each item is in
    exactly one split; an entity is in every split that holds one of its
    mentions or an item naming it. Text, zones and sentences are whole.
    """

    def here(evidence: Sequence[str]) -> bool:
        first = min(evidence, key=lambda e: doc.sentence_by_id[e].start)
        return folds[(doc.id, first)] in in_split

    mentions = tuple(m for m in doc.mentions if here([_sentence_id(doc, m.start, m.end)]))
    relations = tuple(r for r in doc.relations if here(r.evidence))
    stances = tuple(st for st in doc.stances if here(st.evidence))
    events = tuple(e for e in doc.events if here([_event_sentence(doc, e)]))
    named = {m.entity for m in mentions}
    for r in relations:
        named |= {r.head, r.tail, r.attributed_to or ""}
    for st in stances:
        named |= {st.holder, st.target_entity or "", st.attributed_to or ""}
    for e in events:
        named |= {a.entity for a in e.arguments} | {e.attributed_to or ""}
    return replace(
        doc,
        entities=tuple(e for e in doc.entities if e.id in named),
        mentions=mentions,
        relations=relations,
        stances=stances,
        events=events,
    )


def _event_sentence(doc: Document, event: Event) -> str:
    """The sentence of an event's first trigger in the text: its rows take that fold."""
    first = min(event.triggers, key=lambda t: t.start)
    return _sentence_id(doc, first.start, first.end)
