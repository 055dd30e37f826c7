"""Typed, frozen annotation objects and their JSON form.

A :class:`Document` holds the text and every layer. :func:`document_from_dict`
reads the annotation file's dictionary (already validated) and
:func:`document_to_dict` writes it back with the file's stable key order, so
``document_to_dict(document_from_dict(d, text)) == d`` for every valid file.

Examples
--------
>>> m = Mention(id="m1", entity="e1", start=0, end=4, text="Mali", level="NAM")
>>> m.span
(0, 4)
>>> Span(0, 4, "Mali").contains(Span(1, 3, "al"))
True
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any

from .schema import AUTHOR, SCHEMA_VERSION, SCHEMA_VERSIONS
from .spans import SpanIndex

__all__ = [
    "ANNOTATION_LAYERS",
    "LAYERS",
    "Argument",
    "Document",
    "DocumentMeta",
    "Entity",
    "Event",
    "Mention",
    "Relation",
    "Sentence",
    "Span",
    "Stance",
    "Trigger",
    "Zone",
    "document_from_dict",
    "document_to_dict",
    "event_to_dict",
    "fresh_id",
    "has_events",
    "id_order",
    "is_span_key",
    "span_key",
    "to_plain",
    "without_events",
]

#: The annotation layers of a document, in file order (``events`` since schema 1.1).
LAYERS: tuple[str, ...] = (
    "zones",
    "sentences",
    "entities",
    "mentions",
    "relations",
    "stances",
    "events",
)
#: The layers annotators (and pre-annotation) fill; zones and sentences come first.
ANNOTATION_LAYERS: tuple[str, ...] = ("entities", "mentions", "relations", "stances", "events")


def id_order(item_id: str) -> tuple[str, int, str]:
    """Sort key that puts ids in their natural order: ``m2`` before ``m10``.

    >>> sorted(["m10", "m2", "e1"], key=id_order)
    ['e1', 'm2', 'm10']
    """
    head = item_id.rstrip("0123456789")
    tail = item_id[len(head) :]
    return (head, int(tail) if tail else -1, item_id)


def fresh_id(prefix: str, used: set[str]) -> str:
    """The first of ``prefix1``, ``prefix2``, ... not in ``used`` (added to it).

    >>> used = {"e1", "e2"}
    >>> fresh_id("e", used), sorted(used)
    ('e3', ['e1', 'e2', 'e3'])
    """
    n = 1
    while f"{prefix}{n}" in used:
        n += 1
    used.add(f"{prefix}{n}")
    return f"{prefix}{n}"


def span_key(start: int, end: int) -> str:
    """The key of a proposition target span, beside entity ids: ``span:<start>-<end>``.

    >>> span_key(3, 9), is_span_key("span:3-9"), is_span_key("e2")
    ('span:3-9', True, False)
    """
    return f"span:{start}-{end}"


def is_span_key(key: str) -> bool:
    """Whether ``key`` names a proposition span (:func:`span_key`) rather than an entity."""
    return key.startswith("span:")


class _Spanned:
    """What every object with ``start``, ``end`` and ``text`` fields shares."""

    __slots__ = ()
    start: int
    end: int

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)

    def contains(self, other: _Spanned) -> bool:
        """Return whether ``other`` lies inside this span (edges included)."""
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: _Spanned) -> bool:
        """Return whether the two spans share at least one character."""
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)
class Span(_Spanned):
    """A character span ``text[start:end]`` with its surface text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Zone(_Spanned):
    id: str
    type: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Sentence(_Spanned):
    id: str
    zone: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    type: str
    actor_category: str | None = None
    kb_id: str | None = None
    normalized: str | None = None
    machine: bool = False


@dataclass(frozen=True, slots=True)
class Mention(_Spanned):
    id: str
    entity: str
    start: int
    end: int
    text: str
    level: str
    machine: bool = False


@dataclass(frozen=True, slots=True)
class Relation:
    id: str
    type: str
    head: str
    tail: str
    evidence: tuple[str, ...]
    attributed_to: str | None = None
    machine: bool = False


@dataclass(frozen=True, slots=True)
class Stance:
    """A stance; ``target_entity`` is set, or else the proposition span ``target_span``."""

    id: str
    holder: str
    label: str
    evidence: tuple[str, ...]
    target_entity: str | None = None
    target_span: Span | None = None
    attributed_to: str | None = None
    machine: bool = False

    @property
    def holder_is_author(self) -> bool:
        return self.holder == AUTHOR

    @property
    def target_key(self) -> str:
        """The target entity's id, or the :func:`span_key` of the target proposition."""
        if self.target_entity is not None:
            return self.target_entity
        assert self.target_span is not None, "a stance has an entity or a span target"
        return span_key(self.target_span.start, self.target_span.end)


@dataclass(frozen=True, slots=True)
class Trigger(_Spanned):
    """One occurrence in the text of a word or phrase that names an event."""

    id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Argument:
    """A participant of an event: its role and the entity that fills it."""

    role: str
    entity: str


@dataclass(frozen=True, slots=True)
class Event:
    """One happening, with every trigger that names it (event coreference)."""

    id: str
    type: str
    realis: str
    triggers: tuple[Trigger, ...]
    arguments: tuple[Argument, ...] = ()
    attributed_to: str | None = None
    machine: bool = False


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    id: str
    text_file: str
    text_sha256: str
    title: str
    publisher: str
    url: str | None
    published: str | None
    language: str
    text_licence: str
    annotation_licence: str
    guideline_version: str
    annotators: tuple[str, ...]
    status: str


@dataclass(frozen=True, slots=True)
class Document:
    """One annotated document with all its layers."""

    meta: DocumentMeta
    text: str
    zones: tuple[Zone, ...] = ()
    sentences: tuple[Sentence, ...] = ()
    entities: tuple[Entity, ...] = ()
    mentions: tuple[Mention, ...] = ()
    relations: tuple[Relation, ...] = ()
    stances: tuple[Stance, ...] = ()
    schema_version: str = SCHEMA_VERSION
    events: tuple[Event, ...] = ()
    _index: dict[str, Any] = field(default_factory=dict, compare=False, repr=False, init=False)

    @property
    def id(self) -> str:
        return self.meta.id

    def entity(self, entity_id: str) -> Entity:
        """Return the entity with this id (``KeyError`` if there is none)."""
        if "entities" not in self._index:
            self._index["entities"] = {e.id: e for e in self.entities}
        entity: Entity = self._index["entities"][entity_id]
        return entity

    @property
    def sentence_by_id(self) -> dict[str, Sentence]:
        """The sentences by id (built once)."""
        if "sentences" not in self._index:
            self._index["sentences"] = {s.id: s for s in self.sentences}
        by_id: dict[str, Sentence] = self._index["sentences"]
        return by_id

    def mentions_of(self, entity_id: str) -> tuple[Mention, ...]:
        """Return the mentions of one entity in text order (its coreference chain)."""
        if "chains" not in self._index:
            chains: dict[str, list[Mention]] = {}
            for m in sorted(self.mentions, key=lambda m: (m.start, -m.end)):
                chains.setdefault(m.entity, []).append(m)
            self._index["chains"] = {k: tuple(v) for k, v in chains.items()}
        chain: tuple[Mention, ...] = self._index["chains"].get(entity_id, ())
        return chain

    def canonical_name(self, entity_id: str) -> str:
        """Return the entity's first name mention (NAM), else its first mention's text."""
        chain = self.mentions_of(entity_id)
        for m in chain:
            if m.level == "NAM":
                return m.text
        return chain[0].text if chain else entity_id

    def sentence_of(self, start: int, end: int) -> Sentence | None:
        """Return the sentence that contains ``[start, end)``, if one does (O(log n))."""
        if "sentence_index" not in self._index:
            self._index["sentence_index"] = SpanIndex((s.start, s.end, s) for s in self.sentences)
        found: Sentence | None = self._index["sentence_index"].containing(start, end)
        return found

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        """Return the mentions inside ``[start, end)``, by start, longest first (O(log n + k))."""
        if "mention_index" not in self._index:
            self._index["mention_index"] = SpanIndex((m.start, m.end, m) for m in self.mentions)
        found: list[Mention] = self._index["mention_index"].within(start, end)
        return found


def document_from_dict(data: dict[str, Any], text: str) -> Document:
    """Build a :class:`Document` from an annotation file's dictionary and its text."""
    meta = dict(data["document"])
    meta["annotators"] = tuple(meta["annotators"])
    stances = []
    for s in data["stances"]:
        target = s["target"]
        stances.append(
            Stance(
                id=s["id"],
                holder=s["holder"],
                label=s["label"],
                evidence=tuple(s["evidence"]),
                target_entity=target.get("entity"),
                target_span=(
                    Span(target["start"], target["end"], target["text"])
                    if "entity" not in target
                    else None
                ),
                attributed_to=s["attributed_to"],
                machine=s.get("machine", False),
            )
        )
    return Document(
        meta=DocumentMeta(**meta),
        text=text,
        zones=tuple(Zone(**z) for z in data["zones"]),
        sentences=tuple(Sentence(**s) for s in data["sentences"]),
        entities=tuple(Entity(**e) for e in data["entities"]),
        mentions=tuple(Mention(**m) for m in data["mentions"]),
        relations=tuple(
            Relation(**{**r, "evidence": tuple(r["evidence"])}) for r in data["relations"]
        ),
        stances=tuple(stances),
        schema_version=data["schema_version"],
        events=tuple(
            Event(
                id=e["id"],
                type=e["type"],
                realis=e["realis"],
                triggers=tuple(Trigger(**t) for t in e["triggers"]),
                arguments=tuple(Argument(**a) for a in e["arguments"]),
                attributed_to=e["attributed_to"],
                machine=e.get("machine", False),
            )
            for e in data.get("events", [])
        ),
    )


def has_events(schema_version: str) -> bool:
    """Whether files of this schema version have the event layer (1.1 on).

    >>> has_events("1.0"), has_events("1.1")
    (False, True)
    """
    return schema_version != SCHEMA_VERSIONS[0]


def without_events(doc: Document) -> Document:
    """The document as a format without an event layer holds it: schema 1.0, no events.

    >>> doc = Document(DocumentMeta("d", "d.txt", "0" * 64, "t", "p", None, None, "en",
    ...                             "l", "l", "1", (), "draft"), "x")
    >>> (doc.schema_version, without_events(doc).schema_version)
    ('1.1', '1.0')
    """
    return replace(doc, schema_version=SCHEMA_VERSIONS[0], events=())


def event_to_dict(e: Event) -> dict[str, Any]:
    """An event as the annotation file holds it (``machine`` only when true)."""
    out: dict[str, Any] = {
        "id": e.id,
        "type": e.type,
        "realis": e.realis,
        "attributed_to": e.attributed_to,
        "triggers": [to_plain(t) for t in e.triggers],
        "arguments": [{"role": a.role, "entity": a.entity} for a in e.arguments],
    }
    if e.machine:
        out["machine"] = True
    return out


def _stance_to_dict(s: Stance) -> dict[str, Any]:
    target: dict[str, Any]
    if s.target_entity is not None:
        target = {"entity": s.target_entity}
    else:
        assert s.target_span is not None
        span = s.target_span
        target = {"start": span.start, "end": span.end, "text": span.text}
    out: dict[str, Any] = {
        "id": s.id,
        "holder": s.holder,
        "target": target,
        "label": s.label,
        "evidence": list(s.evidence),
        "attributed_to": s.attributed_to,
    }
    if s.machine:
        out["machine"] = True
    return out


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    """The field names of a dataclass, in order (looked up once per class)."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


def to_plain(
    obj: DocumentMeta | Zone | Sentence | Entity | Mention | Relation | Trigger,
) -> dict[str, Any]:
    """Return a flat annotation object as a JSON-ready dict, in field order.

    ``machine`` appears only when true: manual annotation has no such key.

    >>> to_plain(Mention("m1", "e1", 0, 4, "Mali", "NAM"))
    {'id': 'm1', 'entity': 'e1', 'start': 0, 'end': 4, 'text': 'Mali', 'level': 'NAM'}
    """
    return {
        name: list(value) if isinstance(value, tuple) else value
        for name in _field_names(type(obj))
        for value in (getattr(obj, name),)
        if not (name == "machine" and value is False)
    }


def document_to_dict(doc: Document) -> dict[str, Any]:
    """Return the annotation file's dictionary, keys in the file's stable order."""
    return {
        "schema_version": doc.schema_version,
        "document": to_plain(doc.meta),
        "zones": [to_plain(z) for z in doc.zones],
        "sentences": [to_plain(s) for s in doc.sentences],
        "entities": [to_plain(e) for e in doc.entities],
        "mentions": [to_plain(x) for x in doc.mentions],
        "relations": [to_plain(r) for r in doc.relations],
        "stances": [_stance_to_dict(s) for s in doc.stances],
        **(
            {"events": [event_to_dict(e) for e in doc.events]}
            if has_events(doc.schema_version)
            else {}
        ),
    }
