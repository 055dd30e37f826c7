"""Import of INCEpTION (UIMA CAS XMI) exports.

:func:`import_xmi` reads a CAS with `dkpro-cassis <https://github.com/dkpro/dkpro-cassis>`_
(an optional dependency, imported only when called) and builds a
:class:`~sahel_corpus.model.Document`:

* named entities (:data:`NAMED_ENTITY`): one mention each; feature ``value``
  is the entity type and must be one of the corpus's entity types; the
  optional feature ``identifier`` becomes the entity's ``kb_id``;
* coreference (:data:`COREFERENCE_CHAIN` with its :data:`COREFERENCE_LINK`
  list ``first``/``next``): the named entities whose span equals a link's
  span are one entity; a link with no named entity on its span is one more
  mention of that entity. Without chains each named entity is its own entity;
* relations (:data:`RELATION`, features ``Governor``, ``Dependent`` and
  ``label``) between named entities; ``label`` must be a relation type. The
  evidence is the sentences of the two mentions; one relation between the
  same entities (either direction for symmetric types) is kept once, with
  the evidence of all;
* sentences (:data:`SENTENCE`) if the CAS has any, else proposed by
  :func:`sahel_corpus.segment.propose_sentences`; sentences inside a
  BOILERPLATE zone are dropped. Zones are always proposed from the text.

A mention's level is NAM (INCEpTION has no level) unless a feature says
otherwise: a ``level`` feature on the named entity layer, else a
coreference link's ``referenceType``, when it is NAM, NOM or PRO in any
case. UIMA offsets count UTF-16 code units; cassis converts them to code
points, and an offset inside a surrogate pair is an error. Ids are
assigned in text order (``e1``, ``m1``, ``r1``, ``s1``, ``z1``).

Examples
--------
>>> NAMED_ENTITY.rsplit(".", 1)[1], RELATION
('NamedEntity', 'webanno.custom.Relation')
>>> "stances" in NOT_CARRIED
True
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass, replace
from io import BytesIO
from pathlib import Path
from typing import Any

from .. import schema as inv
from ..errors import FormatError, UsageError
from ..fileio import read_bytes
from ..groups import UnionFind
from ..model import (
    Document,
    DocumentMeta,
    Entity,
    Mention,
    Relation,
    Sentence,
    Zone,
    without_events,
)
from ..segment import propose_sentences, propose_zones
from ..spans import SpanIndex
from . import Format, ImportOptions, register
from .losses import count_losses

__all__ = [
    "COREFERENCE_CHAIN",
    "COREFERENCE_LINK",
    "FORMAT",
    "LOSSES",
    "NAMED_ENTITY",
    "NOT_CARRIED",
    "RELATION",
    "SENTENCE",
    "XmiError",
    "import_xmi",
]

NAMED_ENTITY = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
SENTENCE = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence"
RELATION = "webanno.custom.Relation"
COREFERENCE_CHAIN = "de.tudarmstadt.ukp.dkpro.core.api.coref.type.CoreferenceChain"
COREFERENCE_LINK = "de.tudarmstadt.ukp.dkpro.core.api.coref.type.CoreferenceLink"

#: What an INCEpTION CAS does not carry into the corpus format.
NOT_CARRIED: tuple[str, ...] = (
    "stances",
    "mention levels (NAM unless a level or referenceType feature says otherwise)",
    "actor categories",
    "normalized DATE values",
    "attribution (attributed_to)",
    "relation evidence beyond the sentences of the two mentions",
    "zone types (zones are proposed from the text)",
    "machine flags",
    "document metadata (the importer takes a DocumentMeta)",
    "events (an import keeps the document's own)",
)

_CASSIS_OFFSET_WARNING = "external offset"


class XmiError(FormatError):
    """An XMI document that cannot be imported; the message names the input and the place."""

    default_code = "xmi"


#: A node of the entity graph: ("ne", xmi id) of a named entity or ("chain", xmi id).
_Node = tuple[str, int]


@dataclass(frozen=True, slots=True)
class _Span:
    """One mention to be: its node in the entity graph and what it says about the entity."""

    start: int
    end: int
    node: _Node
    level: str
    type: str | None
    kb_id: str | None


def _source(data: bytes | str) -> Any:
    return BytesIO(data) if isinstance(data, bytes) else data


def _load_cas(xmi: bytes | str, typesystem: bytes | str, name: str) -> Any:
    """Load the CAS; every failure becomes an :class:`XmiError` naming the input."""
    try:
        import cassis  # an optional dependency, so imported here
    except ImportError as exc:
        raise ImportError(
            "import_xmi needs dkpro-cassis (got no module 'cassis', expected it installed: "
            "pip install dkpro-cassis)"
        ) from exc

    try:
        ts = cassis.load_typesystem(_source(typesystem))
    except Exception as exc:  # cassis and lxml raise many kinds
        raise XmiError(
            f"{name}: type system: got an unreadable type system ({type(exc).__name__}: {exc}), "
            "expected a UIMA type system description",
            code="xmi-typesystem",
        ) from exc
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            cas = cassis.load_cas_from_xmi(_source(xmi), typesystem=ts)
        except Exception as exc:
            raise XmiError(
                f"{name}: got unreadable XMI ({type(exc).__name__}: {exc}), "
                "expected a UIMA CAS XMI document of the given type system",
                code="xmi-unreadable",
            ) from exc
    for w in caught:
        if _CASSIS_OFFSET_WARNING in str(w.message):
            raise XmiError(
                f"{name}: got an offset that is no character boundary ({w.message}), expected "
                "UTF-16 offsets between characters (not inside a surrogate pair)",
                code="xmi-offset",
            )
    if cas.sofa_string is None:
        raise XmiError(
            f"{name}: got a CAS without text (no sofaString), expected the text", code="xmi-no-text"
        )
    return cas


def _select(cas: Any, type_name: str) -> list[Any]:
    """Annotations of a type, in text order; none if the type system lacks the type."""
    if not cas.typesystem.contains_type(type_name):
        return []
    found: list[Any] = list(cas.select(type_name))
    return sorted(found, key=lambda fs: (fs.get("begin") or 0, -(fs.get("end") or 0), fs.xmiID))


def _where(fs: Any) -> str:
    return f"{fs.type.name.rsplit('.', 1)[-1]} xmi:id {fs.xmiID}"


def _checked_span(fs: Any, text: str, name: str) -> tuple[int, int]:
    start, end = fs.begin, fs.end
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        raise XmiError(
            f"{name}: {_where(fs)}: got span {start}-{end}, expected 0 <= begin < end <= "
            f"{len(text)} (code points)",
            code="xmi-offset",
        )
    return start, end


def _level(value: Any) -> str | None:
    if isinstance(value, str) and value.upper() in inv.MENTION_LEVELS:
        return value.upper()
    return None


def _sentences(cas: Any, text: str, zones: list[Zone], name: str) -> list[Sentence]:
    annotated = _select(cas, SENTENCE)
    if not annotated:
        return propose_sentences(text, zones)
    sentences: list[Sentence] = []
    zone_index = SpanIndex((z.start, z.end, z) for z in zones)
    for fs in annotated:
        start, end = _checked_span(fs, text, name)
        zone = zone_index.containing(start, end)
        if zone is None:
            raise XmiError(
                f"{name}: {_where(fs)}: got a sentence at {start}-{end} that crosses a paragraph "
                "boundary, expected each sentence inside one paragraph (zone)",
                code="xmi-sentence",
            )
        if zone.type == "BOILERPLATE":
            continue
        sentences.append(Sentence(f"s{len(sentences) + 1}", zone.id, start, end, text[start:end]))
    return sentences


def _chain_links(chain: Any, name: str) -> Iterator[Any]:
    link, seen = chain.get("first"), set()
    while link is not None:
        if link.xmiID in seen:
            raise XmiError(
                f"{name}: {_where(chain)}: got a cycle at {_where(link)}, expected a list of links",
                code="xmi-chain",
            )
        seen.add(link.xmiID)
        yield link
        link = link.get("next")


def _mention_graph(cas: Any, text: str, name: str) -> tuple[list[_Span], dict[int, _Node]]:
    """Mention spans, each with the root node of its entity; and each named entity's root.

    Named entities and chains are nodes; a chain joins the named entities on
    its links' spans (union-find), and a link with no named entity on its
    span is a further mention of the chain.
    """
    groups: UnionFind[_Node] = UnionFind()
    spans: list[_Span] = []
    by_span: dict[tuple[int, int], list[_Node]] = {}
    for fs in _select(cas, NAMED_ENTITY):
        start, end = _checked_span(fs, text, name)
        value = fs.get("value")
        if value not in inv.ENTITY_TYPES:
            raise XmiError(
                f"{name}: {_where(fs)} at {start}-{end} ({text[start:end]!r}): got value "
                f"{value!r}, expected one of {', '.join(inv.ENTITY_TYPES)}",
                code="xmi-label",
            )
        node = groups.add(("ne", fs.xmiID))
        by_span.setdefault((start, end), []).append(node)
        level = _level(fs.get("level")) or "NAM"
        spans.append(_Span(start, end, node, level, value, fs.get("identifier") or None))
    for chain in _select(cas, COREFERENCE_CHAIN):
        chain_node = groups.add(("chain", chain.xmiID))
        for link in _chain_links(chain, name):
            start, end = _checked_span(link, text, name)
            for node in by_span.get((start, end), []):
                groups.union(chain_node, node)
            if (start, end) not in by_span:
                level = _level(link.get("referenceType")) or "NAM"
                spans.append(_Span(start, end, chain_node, level, None, None))
    ne_root = {n[1]: groups.find(n) for nodes in by_span.values() for n in nodes}
    return [replace(sp, node=groups.find(sp.node)) for sp in spans], ne_root


def _entities(
    spans: list[_Span], text: str, name: str
) -> tuple[list[Entity], list[Mention], dict[_Node, str]]:
    """Entities and mentions with ids in text order, and the entity id of each root node."""
    ordered = sorted(enumerate(spans), key=lambda p: (p[1].start, -p[1].end, p[0]))
    entity_of: dict[_Node, str] = {}
    types: dict[str, set[str]] = {}
    kb_ids: dict[str, set[str]] = {}
    mentions: list[Mention] = []
    for _, span in ordered:
        eid = entity_of.setdefault(span.node, f"e{len(entity_of) + 1}")
        types.setdefault(eid, set()).update([span.type] if span.type else [])
        kb_ids.setdefault(eid, set()).update([span.kb_id] if span.kb_id else [])
        mentions.append(
            Mention(
                f"m{len(mentions) + 1}",
                eid,
                span.start,
                span.end,
                text[span.start : span.end],
                span.level,
            )
        )
    entities = []
    for node, eid in entity_of.items():
        place = f"{'coreference chain' if node[0] == 'chain' else 'NamedEntity'} xmi:id {node[1]}"
        if len(types[eid]) != 1:
            raise XmiError(
                f"{name}: {place}: got entity types {sorted(types[eid]) or 'none'} on one "
                "coreference chain, expected exactly one named entity type",
                code="xmi-chain",
            )
        if len(kb_ids[eid]) > 1:
            raise XmiError(
                f"{name}: {place}: got identifiers {sorted(kb_ids[eid])} on one coreference "
                "chain, expected at most one",
                code="xmi-chain",
            )
        kb_id = next(iter(kb_ids[eid]), None)
        entities.append(Entity(eid, next(iter(types[eid])), None, kb_id, None))
    return entities, mentions, entity_of


def _relations(
    cas: Any, entity_of_ne: dict[int, str], sentences: list[Sentence], name: str
) -> list[Relation]:
    """Relations between the entities of named entities, merged per type and entity pair."""
    found: dict[tuple[str, ...], tuple[str, str, str, list[str]]] = {}
    sentence_index = SpanIndex((s.start, s.end, s) for s in sentences)
    for fs in _select(cas, RELATION):
        ends = []
        for role in ("Governor", "Dependent"):
            arg = fs.get(role)
            if arg is None or arg.xmiID not in entity_of_ne:
                got = "nothing" if arg is None else _where(arg)
                raise XmiError(
                    f"{name}: {_where(fs)}: got {role} {got}, expected a NamedEntity",
                    code="xmi-relation",
                )
            ends.append(arg)
        label = fs.get("label")
        if label not in inv.RELATION_TYPES:
            raise XmiError(
                f"{name}: {_where(fs)}: got label {label!r}, expected one of "
                f"{', '.join(inv.RELATION_TYPES)}",
                code="xmi-label",
            )
        head, tail = (entity_of_ne[a.xmiID] for a in ends)
        if head == tail:
            raise XmiError(
                f"{name}: {_where(fs)}: got a {label} relation between two mentions of one "
                f"entity ({head}, by coreference), expected two different entities",
                code="xmi-relation",
            )
        evidence = []
        for arg in ends:
            sent = sentence_index.containing(arg.begin, arg.end)
            if sent is None:
                raise XmiError(
                    f"{name}: {_where(fs)}: got the {_where(arg)} at {arg.begin}-{arg.end} "
                    "in no sentence, expected it inside a sentence (the relation's evidence)",
                    code="xmi-relation",
                )
            evidence.append(sent.id)
        key = (label, *sorted((head, tail))) if inv.is_symmetric(label) else (label, head, tail)
        ev = found.setdefault(key, (label, head, tail, []))[3]
        ev.extend(e for e in evidence if e not in ev)
    order = {s.id: i for i, s in enumerate(sentences)}
    return [
        Relation(f"r{i}", label, h, t, tuple(sorted(ev, key=order.__getitem__)))
        for i, (label, h, t, ev) in enumerate(found.values(), start=1)
    ]


def import_xmi(
    xmi: bytes | str,
    typesystem: bytes | str,
    meta: DocumentMeta,
    name: str = "<xmi>",
) -> Document:
    """Build a :class:`Document` from an INCEpTION XMI export and its type system.

    ``xmi`` and ``typesystem`` are the files' contents; ``name`` names the
    input in error messages. Needs ``dkpro-cassis``. Raises :class:`XmiError`.
    """
    cas = _load_cas(xmi, typesystem, name)
    text: str = cas.sofa_string
    zones = propose_zones(text)
    sentences = _sentences(cas, text, zones, name)
    spans, ne_root = _mention_graph(cas, text, name)
    entities, mentions, entity_of = _entities(spans, text, name)
    entity_of_ne = {xmi_id: entity_of[node] for xmi_id, node in ne_root.items()}
    relations = _relations(cas, entity_of_ne, sentences, name)
    return without_events(
        Document(
            meta=meta,
            text=text,
            zones=tuple(zones),
            sentences=tuple(sentences),
            entities=tuple(entities),
            mentions=tuple(mentions),
            relations=tuple(relations),
        )
    )


#: What of an existing document an XMI import cannot keep (``import --drop`` names them).
LOSSES: tuple[str, ...] = (
    "stances",
    "actor-categories",
    "normalized-dates",
    "attribution",
    "relation-evidence",
    "machine-flags",
    "zone-types",
    "mention-levels",
)


def _read(path: Path, meta: DocumentMeta, options: ImportOptions) -> Document:
    if options.typesystem is None:
        raise UsageError(
            f"{path}: got --format xmi without --typesystem, expected the project's "
            "TypeSystem.xml (exported from INCEpTION beside the XMI files)",
            code="typesystem-missing",
        )
    return import_xmi(
        read_bytes(path, "an XMI file"),
        read_bytes(options.typesystem, "a UIMA type system file"),
        meta,
        name=str(path),
    )


FORMAT = register(
    Format(
        "xmi",
        "INCEpTION UIMA CAS XMI with its TypeSystem.xml (import only)",
        ("zones", "sentences", "entities", "mentions", "relations"),
        NOT_CARRIED,
        read=_read,
        losses=lambda old, new: count_losses(old, new, LOSSES),
    )
)
