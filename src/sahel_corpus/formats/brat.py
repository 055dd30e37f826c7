"""brat standoff import and export: a ``.txt`` file and its ``.ann`` file.

The export is lossless for everything but the document metadata (see
``NOT_CARRIED``): ``import_document(*export_document(doc), doc.meta) == doc``
for every valid document, ids and list order included. Offsets are code
points, as brat counts characters and as this corpus does.

The mapping, line by line (``<k>`` numbers each kind of line from 1 in file
order):

``T<k>\\t<TYPE> <start> <end>\\t<text>``
    one per zone (``TYPE`` is ``Zone-<zone type>``), sentence (``Sentence``),
    mention (``TYPE`` is the entity type) and stance proposition target
    (``Proposition``), in that order and in list order within each layer.
    Discontinuous spans (``;`` in the offsets) are refused.
``A<k>\\tLevel T<k> <level>``
    every mention's level; on import a mention without one gets ``NAM``.
``A<k>\\tActorCategory T<k> <category>``
    the entity's actor category, on its first mention (any mention on import).
``A<k>\\tMachine T<k>``
    a mention made by a machine (binary attribute, written only when true).
``N<k>\\tReference T<k> Wikipedia:<title with _ for spaces>\\t<kb_id>``
    the entity's ``kb_id`` on its first mention; the text field is the exact
    ``kb_id``. A DATE's ``normalized`` value is
    ``N<k>\\tReference T<k> ISO8601:<value>\\t<value>``.
``*\\tCoref T<k> T<k> ...``
    the mentions of each entity with two or more of them.
``R<k>\\t<TYPE> Arg1:T<k> Arg2:T<k>``
    a relation between representative mentions of its head and tail (the
    first mention of the entity, in text order, that lies in an evidence
    sentence, else its first mention), then one stance per line as
    ``Stance-<label>``: Arg1 is the holder's representative mention, or for
    the ``AUTHOR`` holder the first HEADLINE zone's ``T`` (else the first
    zone's); Arg2 is the target entity's representative mention or the
    stance's own ``Proposition`` ``T``.
``T<k>\\t<EVENT TYPE> <start> <end>\\t<text>`` and ``E<k>\\t<EVENT TYPE>:T<k> <ROLE>:T<k> ...``
    events (schema 1.1), after the stances: one ``T`` and one ``E`` line per
    trigger, in event and trigger order. The event's arguments are on the
    ``E`` line of its first trigger, in order, each the entity's first mention
    in a sentence that holds one of the event's triggers (else its first
    mention); a role that recurs is numbered as brat numbers it (``AGENT``,
    ``AGENT2``). ``A<k>\\tRealis E<k> <realis>`` is on the first ``E`` line
    (on import an event without one is ``ACTUAL``).
``#<k>\\tAnnotatorNotes <T, R or E id>\\t<key>=<value>; <key>=<value>``
    what brat has no place for, as ``key=value`` pairs joined by ``"; "``
    (keys in :data:`NOTE_KEYS`): the object ``id``; a sentence's ``zone``; a
    mention's ``entity``, with ``entity_rank`` (the entity's 1-based position
    in the entity list) and ``entity_machine=true`` on one mention of the
    entity; a relation's or stance's ``evidence`` (sentence ids joined by
    ``,``, possibly empty), ``attributed_to`` and ``machine=true``; and
    ``holder=AUTHOR`` on a stance held by the author; an event trigger's ``E``
    line carries the event ``id`` (the ``E`` lines of coreferent triggers
    share it), the ``trigger`` id, and on the first ``E`` line
    ``attributed_to`` and ``machine=true``.

Import parses strictly: a malformed line raises :class:`BratError` naming the
file, the line number, what was found and what was expected. Without notes the
import still works, generating ids (``z1``, ``s1``, ``e1``, ``m1``, ``r1``,
``st1``, skipping ids already used): a sentence's zone is the zone around it,
an entity is a ``Coref`` group (or a lone mention) and entities without an
``entity_rank`` follow the ranked ones in the order of their first mention, a
mention without ``Level`` is ``NAM``, a relation's or stance's evidence is the
sentences around its arguments, a stance whose Arg1 is a zone is held by
``AUTHOR``, and each ``E`` line without an ``id`` note is an event of its own
(ids ``ev1``, ... and triggers ``t1``, ...).

Examples
--------
>>> from sahel_corpus.model import Entity, Mention, Sentence, Zone
>>> text = "Wagner left Ber."
>>> meta = DocumentMeta("d", "d.txt", "0" * 64, "t", "p", None, None, "en", "l", "l", "1",
...                     (), "draft")
>>> doc = Document(meta, text, (Zone("z1", "BODY", 0, 16, text),),
...                (Sentence("s1", "z1", 0, 16, text),),
...                (Entity("e1", "ORG", "PRIVATE_MILITARY", "Wagner Group"), Entity("e2", "GPE")),
...                (Mention("m1", "e1", 0, 6, "Wagner", "NAM"),
...                 Mention("m2", "e2", 12, 15, "Ber", "NAM")))
>>> txt, ann = export_document(doc)
>>> print(ann, end="")
T1	Zone-BODY 0 16	Wagner left Ber.
#1	AnnotatorNotes T1	id=z1
T2	Sentence 0 16	Wagner left Ber.
#2	AnnotatorNotes T2	id=s1; zone=z1
T3	ORG 0 6	Wagner
A1	Level T3 NAM
A2	ActorCategory T3 PRIVATE_MILITARY
N1	Reference T3 Wikipedia:Wagner_Group	Wagner Group
#3	AnnotatorNotes T3	id=m1; entity=e1; entity_rank=1
T4	GPE 12 15	Ber
A3	Level T4 NAM
#4	AnnotatorNotes T4	id=m2; entity=e2; entity_rank=2
>>> import_document(txt, ann, meta) == doc
True
>>> try:
...     import_document(txt, "T1\\tGPE 12 15\\tBer.\\n", meta, name="d.ann")
... except BratError as err:
...     print(err)
d.ann, line 1: got text 'Ber.', expected txt[12:15] = 'Ber'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sahel_corpus import schema as inv
from sahel_corpus.errors import FormatError
from sahel_corpus.fileio import decode_utf8, read_bytes, write_atomic
from sahel_corpus.groups import UnionFind
from sahel_corpus.model import (
    LAYERS,
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
    fresh_id,
    has_events,
)
from sahel_corpus.schema import SCHEMA_VERSION
from sahel_corpus.spans import SpanIndex
from sahel_corpus.textrules import normalise_newlines, text_problems

from . import Format, ImportOptions, register

__all__ = [
    "FORMAT",
    "NOTE_KEYS",
    "NOT_CARRIED",
    "BratError",
    "export_document",
    "import_document",
    "read_brat",
    "write_brat",
]

NOT_CARRIED = (
    "document metadata (the caller supplies it on import)",
    "schema version (import keeps the document's, or 1.1 when the file has events)",
)

#: The note keys each kind of annotation may carry, in the order export writes them.
NOTE_KEYS: dict[str, tuple[str, ...]] = {
    "zone": ("id",),
    "sentence": ("id", "zone"),
    "mention": ("id", "entity", "entity_rank", "entity_machine"),
    "proposition": (),
    "relation": ("id", "evidence", "attributed_to", "machine"),
    "stance": ("id", "holder", "evidence", "attributed_to", "machine"),
    "trigger": (),
    "event": ("id", "trigger", "attributed_to", "machine"),
}

_ZONE = "Zone-"
_SENTENCE = "Sentence"
_PROPOSITION = "Proposition"
_STANCE = "Stance-"
_LEVEL = "Level"
_ACTOR = "ActorCategory"
_MACHINE = "Machine"
_REFERENCE = "Reference"
_WIKIPEDIA = "Wikipedia"
_ISO8601 = "ISO8601"
_COREF = "Coref"
_REALIS = "Realis"
_DEFAULT_REALIS = "ACTUAL"
_NOTES = "AnnotatorNotes"
_TRUE = "true"
_DEFAULT_LEVEL = "NAM"

_OBJECT_ID = re.compile(r"[^\s;=,]+")
_NOTE_PAIR = re.compile(r"([a-z_]+)=([^\s;=]*)")
_NUMBER = re.compile(r"[0-9]+")
_PREFIXES = ("T", "A", "N", "R", "E", "#", "*")
_ROLE = re.compile(r"([A-Z_]*[A-Z_])([0-9]*)")


class BratError(FormatError):
    """A ``.ann``/``.txt`` pair (or a document) that cannot be read (or written) as brat."""

    default_code = "brat"


def _repr(value: object) -> str:
    """A value as it appears in brat's error messages (Python repr, as brat's lines are raw)."""
    return repr(value)


# -- export -------------------------------------------------------------------------------


@dataclass
class _AnnWriter:
    lines: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def new_id(self, prefix: str) -> str:
        self.counts[prefix] = self.counts.get(prefix, 0) + 1
        return f"{prefix}{self.counts[prefix]}"

    def span(self, label: str, start: int, end: int, text: str) -> str:
        tid = self.new_id("T")
        self.lines.append(f"{tid}\t{label} {start} {end}\t{text}")
        return tid

    def attribute(self, target: str, name: str, value: str | None = None) -> None:
        suffix = "" if value is None else f" {value}"
        self.lines.append(f"{self.new_id('A')}\t{name} {target}{suffix}")

    def reference(self, target: str, db: str, ident: str, text: str) -> None:
        self.lines.append(f"{self.new_id('N')}\t{_REFERENCE} {target} {db}:{ident}\t{text}")

    def relation(self, label: str, arg1: str, arg2: str) -> str:
        rid = self.new_id("R")
        self.lines.append(f"{rid}\t{label} Arg1:{arg1} Arg2:{arg2}")
        return rid

    def event(self, label: str, trigger: str, args: Iterable[tuple[str, str]]) -> str:
        eid = self.new_id("E")
        parts = [f"{label}:{trigger}", *(f"{role}:{tid}" for role, tid in args)]
        self.lines.append(f"{eid}\t{' '.join(parts)}")
        return eid

    def note(self, target: str, pairs: Iterable[tuple[str, str | None]]) -> None:
        text = "; ".join(f"{key}={value}" for key, value in pairs if value is not None)
        if text:
            self.lines.append(f"{self.new_id('#')}\t{_NOTES} {target}\t{text}")


def _export_error(doc: Document, where: str, got: str, expected: str) -> BratError:
    return BratError(f"{doc.id}: {where}: got {got}, expected {expected}", code="brat-export")


def _check_exportable(doc: Document) -> None:
    """Refuse what the brat files could not carry back exactly."""
    if "\r" in doc.text or doc.text.startswith("\ufeff"):
        raise _export_error(doc, "text", "a CR or byte-order mark", "LF line ends and no BOM")
    ids = (
        [x.id for layer in (doc.zones, doc.sentences, doc.entities, doc.mentions) for x in layer]
        + [r.id for r in doc.relations]
        + [s.id for s in doc.stances]
    )
    ids += [ev.id for ev in doc.events] + [t.id for ev in doc.events for t in ev.triggers]
    links: list[Relation | Stance] = [*doc.relations, *doc.stances]
    for ref in (
        *ids,
        *(ev.attributed_to for ev in doc.events if ev.attributed_to),
        *(s.zone for s in doc.sentences),
        *(ev for x in links for ev in x.evidence),
        *(x.attributed_to for x in links if x.attributed_to),
    ):
        if not _OBJECT_ID.fullmatch(ref) or ref == inv.AUTHOR:
            raise _export_error(
                doc, _repr(ref), "an id with white space, ';', '=' or ','", "a plain id"
            )
    spans: list[tuple[str, int, int, str]] = [
        *((z.id, z.start, z.end, z.text) for z in doc.zones),
        *((s.id, s.start, s.end, s.text) for s in doc.sentences),
        *((m.id, m.start, m.end, m.text) for m in doc.mentions),
        *(
            (s.id, s.target_span.start, s.target_span.end, s.target_span.text)
            for s in doc.stances
            if s.target_span is not None
        ),
        *((t.id, t.start, t.end, t.text) for ev in doc.events for t in ev.triggers),
    ]
    for oid, start, end, text in spans:
        if not (0 <= start < end <= len(doc.text)) or doc.text[start:end] != text:
            raise _export_error(
                doc, oid, f"span {start}:{end} {_repr(text)}", "text[start:end] == text"
            )
        if "\n" in text:
            raise _export_error(
                doc, oid, f"a span across a line break {_repr(text)}", "a span on one line"
            )
    mentioned = {m.entity for m in doc.mentions}
    known = {e.id for e in doc.entities}
    for m in doc.mentions:
        if m.entity not in known:
            raise _export_error(doc, m.id, f"entity {_repr(m.entity)}", "a known entity id")
    for e in doc.entities:
        if e.id not in mentioned:
            raise _export_error(doc, e.id, "an entity with no mention", "at least one")
        for value in (e.kb_id, e.normalized):
            if value is not None and (not value.strip() or re.search(r"[\t\n\r]", value)):
                raise _export_error(doc, e.id, _repr(value), "a value without tab or line end")
        if e.normalized is not None and " " in e.normalized:
            raise _export_error(doc, e.id, _repr(e.normalized), "a value without spaces")
    for r in doc.relations:
        for entity_id in (r.head, r.tail):
            if entity_id not in known:
                raise _export_error(doc, r.id, f"entity {_repr(entity_id)}", "a known entity id")
    for s in doc.stances:
        if s.holder == inv.AUTHOR and not doc.zones:
            raise _export_error(doc, s.id, "an AUTHOR stance and no zone", "a zone to hold it")
        for ref_id in (s.holder, s.target_entity):
            if ref_id not in (inv.AUTHOR, None, *known):
                raise _export_error(doc, s.id, f"entity {_repr(ref_id)}", "a known entity id")
        if (s.target_entity is None) == (s.target_span is None):
            raise _export_error(
                doc, s.id, "a stance target", "exactly one of target_entity and target_span"
            )
    for ev in doc.events:
        if not ev.triggers:
            raise _export_error(doc, ev.id, "an event without trigger", "at least one")
        for arg in ev.arguments:
            if arg.entity not in known:
                raise _export_error(doc, ev.id, f"entity {_repr(arg.entity)}", "a known entity id")
            if arg.role not in inv.EVENT_ROLES:
                raise _export_error(
                    doc, ev.id, f"role {_repr(arg.role)}", f"one of {', '.join(inv.EVENT_ROLES)}"
                )


def _anchor_in_evidence(doc: Document, entity_id: str, evidence: Sequence[str]) -> Mention:
    """The entity's first mention (text order) inside an evidence sentence, else its first."""
    chain = doc.mentions_of(entity_id)
    for m in chain:
        sentence = doc.sentence_of(m.start, m.end)
        if sentence is not None and sentence.id in evidence:
            return m
    return chain[0]


def _argument_anchor(doc: Document, entity_id: str, triggers: Sequence[Trigger]) -> Mention:
    """The entity's first mention in a sentence holding one of the triggers, else its first."""
    held = {doc.sentence_of(t.start, t.end) for t in triggers}
    evidence = [s.id for s in held if s is not None]
    return _anchor_in_evidence(doc, entity_id, evidence)


def _numbered_roles(roles: Iterable[str]) -> list[str]:
    """brat's names for argument slots: a role's second filler is ``ROLE2``, and so on."""
    seen: dict[str, int] = {}
    out = []
    for role in roles:
        seen[role] = seen.get(role, 0) + 1
        out.append(role if seen[role] == 1 else f"{role}{seen[role]}")
    return out


def _flag(value: bool) -> str | None:
    return _TRUE if value else None


def export_document(doc: Document) -> tuple[str, str]:
    """Return ``(txt, ann)``: the text exactly and the brat annotation text (LF, final LF).

    Raises :class:`BratError` for what brat cannot carry back exactly: CR or a
    BOM in the text, a span across a line break, a span whose text is not
    ``text[start:end]``, ids with white space, ``;``, ``=`` or ``,``, an
    entity without mention, or an ``AUTHOR`` stance in a document without zones.
    """
    _check_exportable(doc)
    out = _AnnWriter()
    zone_t: dict[str, str] = {}
    for z in doc.zones:
        zone_t[z.id] = out.span(f"{_ZONE}{z.type}", z.start, z.end, z.text)
        out.note(zone_t[z.id], [("id", z.id)])
    for s in doc.sentences:
        tid = out.span(_SENTENCE, s.start, s.end, s.text)
        out.note(tid, [("id", s.id), ("zone", s.zone)])
    rank = {e.id: i for i, e in enumerate(doc.entities, 1)}
    mention_t: dict[str, str] = {}
    chains: dict[str, list[str]] = {}
    for m in doc.mentions:
        entity = doc.entity(m.entity)
        first = m.entity not in chains
        tid = out.span(entity.type, m.start, m.end, m.text)
        mention_t[m.id] = tid
        chains.setdefault(m.entity, []).append(tid)
        out.attribute(tid, _LEVEL, m.level)
        if first and entity.actor_category is not None:
            out.attribute(tid, _ACTOR, entity.actor_category)
        if m.machine:
            out.attribute(tid, _MACHINE)
        if first and entity.kb_id is not None:
            out.reference(tid, _WIKIPEDIA, entity.kb_id.replace(" ", "_"), entity.kb_id)
        if first and entity.normalized is not None:
            out.reference(tid, _ISO8601, entity.normalized, entity.normalized)
        pairs: list[tuple[str, str | None]] = [("id", m.id), ("entity", m.entity)]
        if first:
            pairs += [("entity_rank", str(rank[m.entity]))]
            pairs += [("entity_machine", _flag(entity.machine))]
        out.note(tid, pairs)
    for e in doc.entities:
        if len(chains[e.id]) > 1:
            out.lines.append(f"*\t{_COREF} {' '.join(chains[e.id])}")
    proposition_t: dict[str, str] = {}
    for st in doc.stances:
        if st.target_span is not None:
            sp = st.target_span
            proposition_t[st.id] = out.span(_PROPOSITION, sp.start, sp.end, sp.text)
    for r in doc.relations:
        head = _anchor_in_evidence(doc, r.head, r.evidence)
        tail = _anchor_in_evidence(doc, r.tail, r.evidence)
        rid = out.relation(r.type, mention_t[head.id], mention_t[tail.id])
        out.note(
            rid,
            [
                ("id", r.id),
                ("evidence", ",".join(r.evidence)),
                ("attributed_to", r.attributed_to),
                ("machine", _flag(r.machine)),
            ],
        )
    author_zone = next((z for z in doc.zones if z.type == "HEADLINE"), None)
    author_t = zone_t[author_zone.id] if author_zone else next(iter(zone_t.values()), "")
    for st in doc.stances:
        is_author = st.holder == inv.AUTHOR
        arg1 = (
            author_t
            if is_author
            else mention_t[_anchor_in_evidence(doc, st.holder, st.evidence).id]
        )
        if st.target_entity is not None:
            arg2 = mention_t[_anchor_in_evidence(doc, st.target_entity, st.evidence).id]
        else:
            arg2 = proposition_t[st.id]
        rid = out.relation(f"{_STANCE}{st.label}", arg1, arg2)
        out.note(
            rid,
            [
                ("id", st.id),
                ("holder", inv.AUTHOR if is_author else None),
                ("evidence", ",".join(st.evidence)),
                ("attributed_to", st.attributed_to),
                ("machine", _flag(st.machine)),
            ],
        )
    for ev in doc.events:
        trigger_t = [out.span(ev.type, t.start, t.end, t.text) for t in ev.triggers]
        roles = _numbered_roles(a.role for a in ev.arguments)
        args = [
            (role, mention_t[_argument_anchor(doc, a.entity, ev.triggers).id])
            for role, a in zip(roles, ev.arguments, strict=True)
        ]
        for k, (trigger, tid) in enumerate(zip(ev.triggers, trigger_t, strict=True)):
            eid = out.event(ev.type, tid, args if k == 0 else ())
            if k == 0:
                out.attribute(eid, _REALIS, ev.realis)
            keys: list[tuple[str, str | None]] = [("id", ev.id), ("trigger", trigger.id)]
            if k == 0:
                keys += [("attributed_to", ev.attributed_to), ("machine", _flag(ev.machine))]
            out.note(eid, keys)
    return doc.text, "".join(f"{line}\n" for line in out.lines)


# -- import: lines ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _T:
    line: int
    id: str
    label: str
    start: int
    end: int
    text: str

    @property
    def kind(self) -> str:
        if self.label.startswith(_ZONE):
            return "zone"
        if self.label == _SENTENCE:
            return "sentence"
        if self.label == _PROPOSITION:
            return "proposition"
        if self.label in inv.EVENT_TYPES:
            return "trigger"
        return "mention"


@dataclass(frozen=True, slots=True)
class _A:
    line: int
    id: str
    name: str
    target: str
    value: str | None


@dataclass(frozen=True, slots=True)
class _N:
    line: int
    id: str
    target: str
    db: str
    value: str


@dataclass(frozen=True, slots=True)
class _R:
    line: int
    id: str
    label: str
    arg1: str
    arg2: str

    @property
    def kind(self) -> str:
        return "stance" if self.label.startswith(_STANCE) else "relation"


@dataclass(frozen=True, slots=True)
class _E:
    line: int
    id: str
    label: str
    trigger: str
    args: tuple[tuple[str, str], ...]

    @property
    def kind(self) -> str:
        return "event"


@dataclass(frozen=True, slots=True)
class _Coref:
    line: int
    targets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Note:
    line: int
    id: str
    target: str
    pairs: dict[str, str]


_Line = _T | _A | _N | _R | _E | _Coref | _Note


class _Where:
    """The file name and line number that errors name."""

    def __init__(self, name: str, line: int) -> None:
        self.name = name
        self.line = line

    def error(self, got: str, expected: str, code: str = "brat-syntax") -> BratError:
        return BratError(
            f"{self.name}, line {self.line}: got {got}, expected {expected}", code=code
        )


_SPAN_LABELS = frozenset(
    (
        *inv.ENTITY_TYPES,
        *(f"{_ZONE}{z}" for z in inv.ZONE_TYPES),
        _SENTENCE,
        _PROPOSITION,
        *inv.EVENT_TYPES,
    )
)
_RELATION_LABELS = frozenset((*inv.RELATION_TYPES, *(f"{_STANCE}{s}" for s in inv.STANCE_LABELS)))


def _fields(where: _Where, line: str, count: int, layout: str) -> list[str]:
    fields = line.split("\t")
    if len(fields) != count:
        raise where.error(
            f"{len(fields)} tab-separated field(s) in {_repr(line)}",
            f"{count} ({layout})",
            code="brat-fields",
        )
    return fields


def _words(where: _Where, part: str, counts: tuple[int, ...], layout: str) -> list[str]:
    words = part.split(" ")
    if len(words) not in counts or not all(words):
        raise where.error(_repr(part), layout, code="brat-fields")
    return words


def _ann_id(where: _Where, value: str, prefix: str) -> str:
    if not (value.startswith(prefix) and _NUMBER.fullmatch(value[len(prefix) :])):
        raise where.error(f"id {_repr(value)}", f"{prefix} followed by digits", code="brat-id")
    return value


def _label(where: _Where, value: str, allowed: Iterable[str], what: str) -> str:
    options = tuple(allowed)
    if value not in options:
        raise where.error(
            f"{what} {_repr(value)}", f"one of {', '.join(sorted(options))}", code="brat-label"
        )
    return value


def _offset(where: _Where, value: str) -> int:
    if not _NUMBER.fullmatch(value):
        raise where.error(f"offset {_repr(value)}", "a non-negative integer", code="brat-offset")
    return int(value)


def _parse_t(where: _Where, line: str, txt: str) -> _T:
    tid, middle, text = _fields(where, line, 3, "ID, TYPE START END, TEXT")
    if ";" in middle:
        raise where.error(
            f"discontinuous offsets in {_repr(middle)}",
            "one START END pair (discontinuous spans are not supported)",
            code="brat-offset",
        )
    label, first, last = _words(where, middle, (3,), "TYPE START END")
    label = _label(where, label, sorted(_SPAN_LABELS), "type")
    start, end = _offset(where, first), _offset(where, last)
    if not start < end <= len(txt):
        raise where.error(
            f"offsets {start} {end}", f"0 <= start < end <= {len(txt)}", code="brat-offset"
        )
    if txt[start:end] != text:
        raise where.error(
            f"text {_repr(text)}", f"txt[{start}:{end}] = {_repr(txt[start:end])}", code="brat-text"
        )
    return _T(where.line, _ann_id(where, tid, "T"), label, start, end, text)


def _parse_a(where: _Where, line: str) -> _A:
    aid, middle = _fields(where, line, 2, "ID, NAME TARGET [VALUE]")
    words = _words(where, middle, (2, 3), "NAME TARGET [VALUE]")
    name = _label(where, words[0], (_LEVEL, _ACTOR, _MACHINE, _REALIS), "attribute")
    target = _ann_id(where, words[1], "E" if name == _REALIS else "T")
    if name == _MACHINE:
        if len(words) != 2:
            raise where.error(
                _repr(middle), f"{_MACHINE} TARGET (a binary attribute)", code="brat-fields"
            )
        return _A(where.line, _ann_id(where, aid, "A"), name, target, None)
    if len(words) != 3:
        raise where.error(_repr(middle), f"{name} TARGET VALUE", code="brat-fields")
    allowed = {
        _LEVEL: inv.MENTION_LEVELS,
        _ACTOR: inv.ACTOR_CATEGORIES,
        _REALIS: inv.EVENT_REALIS,
    }[name]
    value = _label(where, words[2], allowed, f"{name} value")
    return _A(where.line, _ann_id(where, aid, "A"), name, target, value)


def _parse_n(where: _Where, line: str) -> _N:
    nid, middle, text = _fields(where, line, 3, "ID, Reference TARGET DB:ID, TEXT")
    kind, target, ref = _words(where, middle, (3,), "Reference TARGET DB:ID")
    _label(where, kind, (_REFERENCE,), "normalization type")
    db, sep, ident = ref.partition(":")
    _label(where, db, (_WIKIPEDIA, _ISO8601), "database")
    if not sep or not ident:
        raise where.error(_repr(ref), f"{db}:ID with a non-empty ID", code="brat-reference-id")
    expected = text.replace(" ", "_") if db == _WIKIPEDIA else text
    if ident != expected:
        raise where.error(
            f"ID {_repr(ident)} for text {_repr(text)}",
            f"{_repr(expected)}",
            code="brat-reference-id",
        )
    return _N(where.line, _ann_id(where, nid, "N"), _ann_id(where, target, "T"), db, text)


def _parse_r(where: _Where, line: str) -> _R:
    fields = line.split("\t")
    if len(fields) == 3 and fields[2] == "":  # brat itself may write an empty third field
        fields = fields[:2]
    rid, middle = _fields(where, "\t".join(fields), 2, "ID, TYPE Arg1:T Arg2:T")
    label, arg1, arg2 = _words(where, middle, (3,), "TYPE Arg1:T Arg2:T")
    label = _label(where, label, sorted(_RELATION_LABELS), "relation type")
    if not (arg1.startswith("Arg1:") and arg2.startswith("Arg2:")):
        raise where.error(
            f"arguments {_repr(arg1)} {_repr(arg2)}", "Arg1:T<k> Arg2:T<k>", code="brat-fields"
        )
    return _R(
        where.line,
        _ann_id(where, rid, "R"),
        label,
        _ann_id(where, arg1[5:], "T"),
        _ann_id(where, arg2[5:], "T"),
    )


def _parse_e(where: _Where, line: str) -> _E:
    fields = line.split("\t")
    if len(fields) == 3 and fields[2] == "":
        fields = fields[:2]
    eid, middle = _fields(where, "\t".join(fields), 2, "ID, TYPE:T ROLE:T ...")
    parts = middle.split(" ")
    if not all(parts):
        raise where.error(_repr(middle), "TYPE:T ROLE:T ... (one space apart)", code="brat-fields")
    pairs = []
    for part in parts:
        key, sep, target = part.partition(":")
        if not sep:
            raise where.error(_repr(part), "NAME:T<k>", code="brat-fields")
        pairs.append((key, _ann_id(where, target, "T")))
    label = _label(where, pairs[0][0], inv.EVENT_TYPES, "event type")
    args = []
    for slot, target in pairs[1:]:
        match = _ROLE.fullmatch(slot)
        role = match.group(1) if match else slot
        _label(where, role, inv.EVENT_ROLES, "argument role")
        args.append((role, target))
    return _E(where.line, _ann_id(where, eid, "E"), label, pairs[0][1], tuple(args))


def _parse_coref(where: _Where, line: str) -> _Coref:
    _, middle = _fields(where, line, 2, "*, Coref T T ...")
    words = middle.split(" ")
    if len(words) < 3 or not all(words):
        raise where.error(_repr(middle), "Coref followed by two or more T ids", code="brat-fields")
    _label(where, words[0], (_COREF,), "equivalence type")
    return _Coref(where.line, tuple(_ann_id(where, w, "T") for w in words[1:]))


def _parse_note_text(where: _Where, text: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for part in text.split(";"):
        match = _NOTE_PAIR.fullmatch(part.strip())
        if match is None:
            raise where.error(f"note part {_repr(part.strip())}", "key=value", code="brat-note")
        key, value = match.groups()
        if key in pairs:
            raise where.error(f"note key {_repr(key)} twice", "each key once", code="brat-note")
        pairs[key] = value
    return pairs


def _parse_note(where: _Where, line: str) -> _Note:
    nid, middle, text = _fields(where, line, 3, "ID, AnnotatorNotes TARGET, NOTE")
    kind, target = _words(where, middle, (2,), "AnnotatorNotes TARGET")
    _label(where, kind, (_NOTES,), "note type")
    if not target.startswith(("T", "R", "E")):
        raise where.error(f"note target {_repr(target)}", "a T, R or E id", code="brat-note")
    target = _ann_id(where, target, target[0])
    return _Note(where.line, _ann_id(where, nid, "#"), target, _parse_note_text(where, text))


def _parse_line(where: _Where, line: str, txt: str) -> _Line:
    if line.startswith("*"):
        return _parse_coref(where, line)
    prefix = line[:1]
    if prefix == "T":
        return _parse_t(where, line, txt)
    if prefix == "A":
        return _parse_a(where, line)
    if prefix == "N":
        return _parse_n(where, line)
    if prefix == "R":
        return _parse_r(where, line)
    if prefix == "E":
        return _parse_e(where, line)
    if prefix == "#":
        return _parse_note(where, line)
    raise where.error(
        f"line prefix {_repr(prefix)}", f"one of {', '.join(_PREFIXES)}", code="brat-fields"
    )


def _clean(text: str, name: str, normalise: bool) -> str:
    """Refuse (or, with ``normalise``, remove) a BOM and CRLF line ends; a lone CR is refused."""
    if normalise:
        text = normalise_newlines(text)
    for problem in text_problems(text):
        if problem.rule in ("text-bom", "text-line-ends"):
            hint = "" if normalise else " (import --normalise-newlines converts it)"
            line = text.count("\n", 0, problem.index) + 1
            raise BratError(f"{name}, line {line}: {problem.message}{hint}", code=problem.rule)
    return text


# -- import: building the document --------------------------------------------------------


class _Ids:
    """Object ids in use, and fresh ones for objects without an ``id`` note."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.lines: dict[str, int] = {}
        self.used: set[str] = set()

    def claim(self, value: str, line: int) -> str:
        where = _Where(self.name, line)
        if not _OBJECT_ID.fullmatch(value) or value == inv.AUTHOR:
            raise where.error(
                f"id {_repr(value)}", f"a plain id other than {inv.AUTHOR}", code="brat-id"
            )
        if value in self.lines:
            raise where.error(
                f"id {_repr(value)} again (first on line {self.lines[value]})",
                "ids unique in the document",
                code="brat-duplicate",
            )
        self.lines[value] = line
        self.used.add(value)
        return value

    def fresh(self, prefix: str) -> str:
        value = fresh_id(prefix, self.used)
        self.lines[value] = 0
        return value


class _Builder:
    def __init__(self, name: str, txt: str, records: list[_Line]) -> None:
        self.name = name
        self.txt = txt
        self.spans: dict[str, _T] = {}
        self.attributes: list[_A] = []
        self.references: list[_N] = []
        self.relations: list[_R] = []
        self.events: list[_E] = []
        self.corefs: list[_Coref] = []
        self.notes: dict[str, _Note] = {}
        seen: dict[str, int] = {}
        for rec in records:
            if isinstance(rec, _Coref):
                self.corefs.append(rec)
                continue
            if rec.id in seen:
                raise self.at(rec.line).error(
                    f"annotation id {rec.id} again (first on line {seen[rec.id]})",
                    "unique annotation ids",
                    code="brat-duplicate",
                )
            seen[rec.id] = rec.line
            if isinstance(rec, _T):
                self.spans[rec.id] = rec
            elif isinstance(rec, _A):
                self.attributes.append(rec)
            elif isinstance(rec, _N):
                self.references.append(rec)
            elif isinstance(rec, _R):
                self.relations.append(rec)
            elif isinstance(rec, _E):
                self.events.append(rec)
            else:
                self.add_note(rec)
        self.ids = _Ids(name)

    def at(self, line: int) -> _Where:
        return _Where(self.name, line)

    def add_note(self, note: _Note) -> None:
        if note.target in self.notes:
            first = self.notes[note.target].line
            raise self.at(note.line).error(
                f"a second note on {note.target} (first on line {first})",
                "one note per target",
                code="brat-duplicate",
            )
        self.notes[note.target] = note

    def span(self, line: int, tid: str, kinds: tuple[str, ...], role: str) -> _T:
        where = self.at(line)
        if tid not in self.spans:
            raise where.error(
                f"{role} {tid}, which no T line defines",
                "a T id of this file",
                code="brat-reference",
            )
        t = self.spans[tid]
        if t.kind not in kinds:
            raise where.error(
                f"{role} {tid} (a {t.label})", f"a {' or '.join(kinds)} T", code="brat-reference"
            )
        return t

    def note(self, ann_id: str, kind: str) -> tuple[int, dict[str, str]]:
        """The note on an annotation (line 0 and no pairs if it has none), keys checked."""
        note = self.notes.get(ann_id)
        if note is None:
            return 0, {}
        allowed = NOTE_KEYS[kind]
        for key in note.pairs:
            if key not in allowed:
                expected = f"one of {', '.join(allowed)}" if allowed else "no note"
                raise self.at(note.line).error(
                    f"note key {_repr(key)} on a {kind}", expected, code="brat-note"
                )
        return note.line, note.pairs

    def flag(self, line: int, pairs: dict[str, str], key: str) -> bool:
        value = pairs.get(key)
        if value not in (None, _TRUE):
            raise self.at(line).error(
                f"{key}={value}", f"{key}={_TRUE} or no {key}", code="brat-note"
            )
        return value == _TRUE

    def build(self, meta: DocumentMeta, schema_version: str) -> Document:
        for note in self.notes.values():
            if note.target.startswith("T"):
                self.span(
                    note.line,
                    note.target,
                    ("zone", "sentence", "mention", "proposition"),
                    "note target",
                )
            elif note.target.startswith("E"):
                if not any(e.id == note.target for e in self.events):
                    raise self.at(note.line).error(
                        f"note target {note.target}, which no E line defines",
                        "an E id of this file",
                        code="brat-reference",
                    )
            elif not any(r.id == note.target for r in self.relations):
                raise self.at(note.line).error(
                    f"note target {note.target}, which no R line defines",
                    "an R id of this file",
                    code="brat-reference",
                )
        if self.events and not has_events(schema_version):
            raise self.at(self.events[0].line).error(
                f"an event in a schema {schema_version} document",
                "no E line (events are schema 1.1)",
                code="brat-event",
            )
        self.schema_version = schema_version
        self.claim_ids()
        zones = self.zones()
        sentences = self.sentences(zones)
        entities, mentions = self.entities_and_mentions()
        relations, stances = self.relations_and_stances(sentences, mentions, entities)
        events = self.event_layer(mentions)
        return Document(
            meta=meta,
            text=self.txt,
            zones=tuple(zones),
            sentences=tuple(sentences),
            entities=tuple(entities),
            mentions=tuple(mentions.values()),
            relations=tuple(relations),
            stances=tuple(stances),
            schema_version=self.schema_version,
            events=tuple(events),
        )

    def claim_ids(self) -> None:
        """Check every note's keys and reserve its ids, so that generated ids avoid them."""
        kinds = {r.id: r.kind for r in self.relations}
        kinds.update((t.id, t.kind) for t in self.spans.values())
        kinds.update((e.id, e.kind) for e in self.events)
        entity_lines: dict[str, int] = {}
        event_lines: dict[str, int] = {}
        for target, note in self.notes.items():
            self.note(target, kinds[target])
            if "trigger" in note.pairs:
                self.ids.claim(note.pairs["trigger"], note.line)
            if "id" in note.pairs and kinds[target] == "event":
                event_lines.setdefault(note.pairs["id"], note.line)
            elif "id" in note.pairs:
                self.ids.claim(note.pairs["id"], note.line)
            if "entity" in note.pairs:
                entity_lines.setdefault(note.pairs["entity"], note.line)
        for object_id, line in (*entity_lines.items(), *event_lines.items()):
            self.ids.claim(object_id, line)

    def own_id(self, ann_id: str, prefix: str) -> str:
        note = self.notes.get(ann_id)
        if note is not None and "id" in note.pairs:
            return note.pairs["id"]
        return self.ids.fresh(prefix)

    def zones(self) -> list[Zone]:
        return [
            Zone(self.own_id(t.id, "z"), t.label[len(_ZONE) :], t.start, t.end, t.text)
            for t in self.spans.values()
            if t.kind == "zone"
        ]

    def sentences(self, zones: list[Zone]) -> list[Sentence]:
        out = []
        known = {z.id for z in zones}
        zone_index = SpanIndex((z.start, z.end, z) for z in zones)
        for t in self.spans.values():
            if t.kind != "sentence":
                continue
            line, pairs = self.note(t.id, "sentence")
            zone = pairs.get("zone")
            if zone is not None and zone not in known:
                raise self.at(line).error(
                    f"zone={zone}", "the id of a zone of this file", code="brat-reference"
                )
            if zone is None:
                around = zone_index.containing(t.start, t.end)
                if around is None:
                    raise self.at(t.line).error(
                        f"a sentence at {t.start}:{t.end} in no zone",
                        "it inside a Zone T",
                        code="brat-zone",
                    )
                zone = around.id
            out.append(Sentence(self.own_id(t.id, "s"), zone, t.start, t.end, t.text))
        return out

    def groups(self, mention_ts: list[_T]) -> dict[str, str]:
        """Map each mention T to a group root: same ``entity`` note or one Coref line."""
        groups = UnionFind(t.id for t in mention_ts)
        label: dict[str, str] = {}
        by_entity: dict[str, str] = {}
        for t in mention_ts:
            entity = self.note(t.id, "mention")[1].get("entity")
            if entity is None:
                continue
            if entity in by_entity:
                groups.union(by_entity[entity], t.id)
            else:
                by_entity[entity] = t.id
                label[t.id] = entity
        for coref in self.corefs:
            members = [
                self.span(coref.line, tid, ("mention",), "Coref member") for tid in coref.targets
            ]
            for other in members[1:]:
                a, b = groups.find(members[0].id), groups.find(other.id)
                if a == b:
                    continue
                if a in label and b in label:
                    raise self.at(coref.line).error(
                        f"{members[0].id} (entity {label[a]}) and {other.id} (entity "
                        f"{label[b]}) in one Coref group",
                        "mentions of one entity",
                        code="brat-entity",
                    )
                groups.union(a, b)
                if b in label:
                    label[a] = label.pop(b)
        self.group_labels = label
        return {t.id: groups.find(t.id) for t in mention_ts}

    def entity_rank(self, line: int, value: str) -> int:
        if not _NUMBER.fullmatch(value) or int(value) < 1:
            raise self.at(line).error(
                f"entity_rank={value}", "a positive integer", code="brat-note"
            )
        return int(value)

    def entities_and_mentions(self) -> tuple[list[Entity], dict[str, Mention]]:
        mention_ts = [t for t in self.spans.values() if t.kind == "mention"]
        roots = self.groups(mention_ts)
        entity_of: dict[str, str] = {}
        for t in mention_ts:
            r = roots[t.id]
            if r not in entity_of:
                entity_of[r] = self.group_labels.get(r) or self.ids.fresh("e")
        # per-group data: type, rank, machine, attributes, references
        first_t: dict[str, _T] = {}
        rank: dict[str, tuple[int, int]] = {}
        machine: dict[str, tuple[int, bool]] = {}
        for t in mention_ts:
            eid = entity_of[roots[t.id]]
            if eid not in first_t:
                first_t[eid] = t
            elif t.label != first_t[eid].label:
                f = first_t[eid]
                raise self.at(t.line).error(
                    f"type {t.label} for {t.id} (entity {eid})",
                    f"{f.label} like {f.id}",
                    code="brat-entity",
                )
            line, pairs = self.note(t.id, "mention")
            for key, store in (("entity_rank", rank), ("entity_machine", machine)):
                if key not in pairs:
                    continue
                if eid in store:
                    raise self.at(line).error(
                        f"a second {key} for entity {eid} (first on line {store[eid][0]})",
                        "one per entity",
                        code="brat-duplicate",
                    )
            if "entity_rank" in pairs:
                rank[eid] = (line, self.entity_rank(line, pairs["entity_rank"]))
            if "entity_machine" in pairs:
                machine[eid] = (line, self.flag(line, pairs, "entity_machine"))
        level: dict[str, str] = {}
        mention_machine: set[str] = set()
        actor: dict[str, tuple[int, str]] = {}
        for a in self.attributes:
            if a.name == _REALIS:
                continue
            t = self.span(a.line, a.target, ("mention",), f"{a.name} target")
            eid = entity_of[roots[t.id]]
            if a.name == _MACHINE:
                if t.id in mention_machine:
                    raise self.at(a.line).error(
                        f"a second {_MACHINE} on {t.id}", "one", code="brat-duplicate"
                    )
                mention_machine.add(t.id)
            elif a.name == _LEVEL:
                if t.id in level:
                    raise self.at(a.line).error(
                        f"a second {_LEVEL} on {t.id}", "one", code="brat-duplicate"
                    )
                assert a.value is not None
                level[t.id] = a.value
            else:
                if eid in actor:
                    raise self.at(a.line).error(
                        f"a second {_ACTOR} for entity {eid} (first on line {actor[eid][0]})",
                        "one per entity",
                        code="brat-duplicate",
                    )
                assert a.value is not None
                actor[eid] = (a.line, a.value)
        refs: dict[tuple[str, str], tuple[int, str]] = {}
        for n in self.references:
            t = self.span(n.line, n.target, ("mention",), "Reference target")
            ref = (entity_of[roots[t.id]], n.db)
            if ref in refs:
                raise self.at(n.line).error(
                    f"a second {n.db} reference for entity {ref[0]} (first on line {refs[ref][0]})",
                    "one per entity",
                    code="brat-duplicate",
                )
            refs[ref] = (n.line, n.value)
        seen_ranks: dict[int, str] = {}
        for eid, (line, value) in rank.items():
            if value in seen_ranks:
                raise self.at(line).error(
                    f"entity_rank={value} for {eid} and {seen_ranks[value]}",
                    "distinct ranks",
                    code="brat-duplicate",
                )
            seen_ranks[value] = eid
        appearance = list(first_t)
        order = sorted(
            appearance,
            key=lambda e: (0, rank[e][1]) if e in rank else (1, appearance.index(e)),
        )
        entities = [
            Entity(
                id=eid,
                type=first_t[eid].label,
                actor_category=actor[eid][1] if eid in actor else None,
                kb_id=refs[(eid, _WIKIPEDIA)][1] if (eid, _WIKIPEDIA) in refs else None,
                normalized=refs[(eid, _ISO8601)][1] if (eid, _ISO8601) in refs else None,
                machine=machine[eid][1] if eid in machine else False,
            )
            for eid in order
        ]
        mentions = {
            t.id: Mention(
                id=self.own_id(t.id, "m"),
                entity=entity_of[roots[t.id]],
                start=t.start,
                end=t.end,
                text=t.text,
                level=level.get(t.id, _DEFAULT_LEVEL),
                machine=t.id in mention_machine,
            )
            for t in mention_ts
        }
        return entities, mentions

    def evidence(self, line: int, pairs: dict[str, str], spans: list[_T]) -> tuple[str, ...]:
        """The ``evidence`` note's sentence ids, else the sentences around ``spans``."""
        order = self.sentence_order
        if "evidence" not in pairs:
            around = {self.sentence_index.containing(t.start, t.end) for t in spans}
            return tuple(sorted((s.id for s in around if s is not None), key=order.__getitem__))
        value = pairs["evidence"]
        ids = tuple(value.split(",")) if value else ()
        for ev in ids:
            if ev not in order:
                raise self.at(line).error(
                    f"evidence {_repr(ev)}", "the id of a sentence", code="brat-reference"
                )
        return ids

    def attributed_to(self, line: int, pairs: dict[str, str]) -> str | None:
        value = pairs.get("attributed_to")
        if value is not None and value not in self.entity_ids:
            raise self.at(line).error(
                f"attributed_to={value}", "the id of an entity", code="brat-reference"
            )
        return value

    def event_layer(self, mentions: dict[str, Mention]) -> list[Event]:
        """Events: ``E`` lines grouped by their ``id`` note (each its own event without one)."""
        groups: dict[str, list[_E]] = {}
        used: dict[str, int] = {}
        for e in self.events:
            t = self.span(e.line, e.trigger, ("trigger",), "trigger")
            if t.label != e.label:
                raise self.at(e.line).error(
                    f"trigger {t.id} (a {t.label})", f"a {e.label} T", code="brat-event"
                )
            if t.id in used:
                raise self.at(e.line).error(
                    f"trigger {t.id} again (first on line {used[t.id]})",
                    "one E line per trigger T",
                    code="brat-duplicate",
                )
            used[t.id] = e.line
            event_id = self.note(e.id, "event")[1].get("id") or self.ids.fresh("ev")
            groups.setdefault(event_id, []).append(e)
        for t in self.spans.values():
            if t.kind == "trigger" and t.id not in used:
                raise self.at(t.line).error(
                    f"trigger {t.id} that no E line uses",
                    "each event T in one E line",
                    code="brat-event",
                )
        lines_of = {e.id: e.line for e in self.events}
        realis: dict[str, _A] = {}
        for a in self.attributes:
            if a.name != _REALIS:
                continue
            if a.target not in lines_of:
                raise self.at(a.line).error(
                    f"{_REALIS} target {a.target}, which no E line defines",
                    "an E id of this file",
                    code="brat-reference",
                )
            realis[a.target] = a
        events = []
        for event_id, group in groups.items():
            first = group[0]
            for e in group[1:]:
                if e.label != first.label:
                    raise self.at(e.line).error(
                        f"type {e.label} for event {event_id}",
                        f"{first.label} like line {first.line}",
                        code="brat-event",
                    )
            once: dict[str, tuple[int, str]] = {}
            triggers = []
            for e in group:
                line, pairs = self.note(e.id, "event")
                found = (
                    [("Realis", realis[e.id].line, realis[e.id].value or "")]
                    if (e.id in realis)
                    else []
                )
                found += [(k, line, pairs[k]) for k in ("attributed_to", "machine") if k in pairs]
                for key, at, value in found:
                    if key in once:
                        raise self.at(at).error(
                            f"a second {key} for event {event_id} (first on line {once[key][0]})",
                            "one per event",
                            code="brat-duplicate",
                        )
                    once[key] = (at, value)
                t = self.spans[e.trigger]
                trigger_id = pairs.get("trigger") or self.ids.fresh("t")
                triggers.append(Trigger(trigger_id, t.start, t.end, t.text))
            # an entity in one role once, wherever its E line gives it (first wins)
            arguments = tuple(
                dict.fromkeys(
                    Argument(
                        role,
                        mentions[
                            self.span(e.line, tid, ("mention",), f"{role} argument").id
                        ].entity,
                    )
                    for e in group
                    for role, tid in e.args
                )
            )
            attributed = once.get("attributed_to")
            machine = once.get("machine")
            events.append(
                Event(
                    id=event_id,
                    type=first.label,
                    realis=once["Realis"][1] if "Realis" in once else _DEFAULT_REALIS,
                    triggers=tuple(triggers),
                    arguments=arguments,
                    attributed_to=(
                        self.attributed_to(attributed[0], {"attributed_to": attributed[1]})
                        if attributed
                        else None
                    ),
                    machine=(
                        self.flag(machine[0], {"machine": machine[1]}, "machine")
                        if machine
                        else False
                    ),
                )
            )
        return events

    def relations_and_stances(
        self, sentences: list[Sentence], mentions: dict[str, Mention], entities: list[Entity]
    ) -> tuple[list[Relation], list[Stance]]:
        self.sentence_index = SpanIndex((s.start, s.end, s) for s in sentences)
        self.sentence_order = {s.id: i for i, s in enumerate(sentences)}
        self.entity_ids = {e.id for e in entities}
        relations: list[Relation] = []
        stances: list[Stance] = []
        targeted: set[str] = set()
        for r in self.relations:
            line, pairs = self.note(r.id, r.kind)
            machine = self.flag(line, pairs, "machine")
            if r.kind == "relation":
                head = self.span(r.line, r.arg1, ("mention",), "Arg1")
                tail = self.span(r.line, r.arg2, ("mention",), "Arg2")
                relations.append(
                    Relation(
                        id=self.own_id(r.id, "r"),
                        type=r.label,
                        head=mentions[head.id].entity,
                        tail=mentions[tail.id].entity,
                        evidence=self.evidence(line, pairs, [head, tail]),
                        attributed_to=self.attributed_to(line, pairs),
                        machine=machine,
                    )
                )
                continue
            holder_t = self.span(r.line, r.arg1, ("mention", "zone"), "Arg1")
            target_t = self.span(r.line, r.arg2, ("mention", "proposition"), "Arg2")
            author = holder_t.kind == "zone"
            if "holder" in pairs and (pairs["holder"] != inv.AUTHOR or not author):
                raise self.at(line).error(
                    f"holder={pairs.get('holder')} with Arg1 {holder_t.id} (a {holder_t.label})",
                    f"holder={inv.AUTHOR} only when Arg1 is a Zone T",
                    code="brat-stance",
                )
            if target_t.kind == "proposition":
                targeted.add(target_t.id)
            stances.append(
                Stance(
                    id=self.own_id(r.id, "st"),
                    holder=inv.AUTHOR if author else mentions[holder_t.id].entity,
                    label=r.label[len(_STANCE) :],
                    evidence=self.evidence(
                        line, pairs, [target_t] if author else [holder_t, target_t]
                    ),
                    target_entity=(
                        mentions[target_t.id].entity if target_t.kind == "mention" else None
                    ),
                    target_span=(
                        Span(target_t.start, target_t.end, target_t.text)
                        if target_t.kind == "proposition"
                        else None
                    ),
                    attributed_to=self.attributed_to(line, pairs),
                    machine=machine,
                )
            )
        for t in self.spans.values():
            if t.kind == "proposition" and t.id not in targeted:
                raise self.at(t.line).error(
                    f"{_PROPOSITION} {t.id} that no Stance relation targets",
                    "each Proposition the Arg2 of a Stance-* relation",
                    code="brat-stance",
                )
        return relations, stances


def import_document(
    txt: str,
    ann: str,
    meta: DocumentMeta,
    name: str = "<ann>",
    *,
    txt_name: str = "<txt>",
    normalise_newlines: bool = False,
    schema_version: str = SCHEMA_VERSION,
) -> Document:
    """Rebuild a :class:`Document` from brat text and annotation, with the caller's ``meta``.

    ``name`` and ``txt_name`` are the file names that errors report. A BOM or
    a CR in either text raises :class:`BratError`. With
    ``normalise_newlines=True`` a leading BOM is dropped and every CRLF is
    converted to LF in both texts before anything else; the ``.ann`` offsets
    must then refer to the converted text (as brat's own offsets do when it
    served an LF file). A lone CR is refused either way. ``meta`` is taken as
    given (its ``text_sha256`` is not checked). The document gets
    ``schema_version``; ``E`` lines in a version without events are refused.
    """
    txt = _clean(txt, txt_name, normalise_newlines)
    ann = _clean(ann, name, normalise_newlines)
    records = [
        _parse_line(_Where(name, number), line, txt)
        for number, line in enumerate(ann.split("\n"), 1)
        if line
    ]
    if txt.strip() and not any(isinstance(r, _T) and r.kind == "zone" for r in records):
        got = "an empty file" if not records else f"{len(records)} line(s) and no zone span"
        raise BratError(
            f"{name}: got {got}, expected the document's zones as {_ZONE}<type> spans (every "
            "character of the text is in a zone; `export --format brat` writes them)",
            code="brat-no-zones",
        )
    return _Builder(name, txt, records).build(meta, schema_version)


def _read_utf8(path: Path) -> str:
    return decode_utf8(read_bytes(path, "a brat file"), str(path), BratError)


def read_brat(
    txt_path: str | Path,
    ann_path: str | Path,
    meta: DocumentMeta,
    *,
    normalise_newlines: bool = False,
    schema_version: str = SCHEMA_VERSION,
) -> Document:
    """Read a brat ``.txt``/``.ann`` pair (UTF-8, bytes as they are) into a :class:`Document`."""
    txt_path, ann_path = Path(txt_path), Path(ann_path)
    ann = _read_utf8(ann_path)
    return import_document(
        _read_utf8(txt_path),
        ann,
        meta,
        name=str(ann_path),
        txt_name=str(txt_path),
        normalise_newlines=normalise_newlines,
        schema_version=schema_version,
    )


def write_brat(doc: Document, folder: str | Path) -> tuple[Path, Path]:
    """Write ``<id>.txt`` and ``<id>.ann`` into ``folder`` (UTF-8, LF); return both paths."""
    folder = Path(folder)
    txt, ann = export_document(doc)
    txt_path = write_atomic(folder / f"{doc.id}.txt", txt, mkdir=True)
    return txt_path, write_atomic(folder / f"{doc.id}.ann", ann)


def _read(path: Path, meta: DocumentMeta, options: ImportOptions) -> Document:
    txt = options.text or path.with_suffix(".txt")
    return read_brat(txt, path, meta, normalise_newlines=options.normalise_newlines)


FORMAT = register(
    Format(
        "brat",
        "brat standoff: a .txt file and its .ann file",
        LAYERS,
        NOT_CARRIED,
        read=_read,
        write=lambda doc, folder: list(write_brat(doc, folder)),
    )
)
