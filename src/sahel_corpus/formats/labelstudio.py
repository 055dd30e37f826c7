"""Label Studio JSON import and export.

A document becomes one Label Studio task: ``data.text`` is the text and
``data.id`` the document id; its single annotation's ``result`` list holds
every layer. Label Studio counts offsets in UTF-16 code units (JavaScript
strings), so offsets are converted with :mod:`sahel_corpus.formats.offsets`
both ways.

How each layer is carried (the controls are those of :data:`LABEL_CONFIG`):

* zones: ``labels`` regions of control ``zone`` labelled ``Zone-<TYPE>``,
  region id = zone id;
* sentences: ``labels`` regions of control ``sentence`` labelled
  ``Sentence``, region id = sentence id, meta ``zone``;
* mentions: ``labels`` regions of control ``entity`` labelled with the
  entity type, region id = mention id; per-region ``choices`` ``level`` and
  (when set) ``actor_category``; meta ``entity``, ``kb_id``, ``normalized``,
  and ``machine`` / ``entity_machine`` when true. Entity attributes are
  repeated on every mention of the entity: on import the mentions that carry
  one must agree, and a mention without ``entity`` becomes a new entity;
* relations: ``relation`` results between the representative mentions (an
  entity's first NAM mention, else its first mention) labelled with the
  relation type, direction ``bi`` for symmetric types; meta ``id``,
  ``evidence``, ``attributed_to`` and ``machine`` when true;
* stances of an entity: ``relation`` results from the holder's
  representative mention to the target entity's representative mention or
  to a ``proposition`` region (control ``proposition``, label
  ``Proposition``, one per target span), labelled ``Stance-<LABEL>``, with
  the relations' meta keys;
* stances of the ``AUTHOR``: per-region ``choices`` ``author_stance``
  (``Stance-<LABEL>``) on the target region, with meta ``author_stance_id``,
  ``author_stance_evidence``, ``author_stance_attributed_to`` and
  ``author_stance_machine`` when true;
* the order of every layer: ``data.sahel_order`` maps each layer to its ids
  in document order; objects not listed (new in Label Studio) follow in
  result order.

Meta lines are ``key=<JSON value>`` in the region's or relation's
``meta.text`` list. A relation drawn in Label Studio without meta gets a
fresh id, the sentences of its two regions as evidence and no attribution.
Document metadata and events are not carried (see :data:`NOT_CARRIED`): the
importer takes a :class:`~sahel_corpus.model.DocumentMeta` and returns a
schema 1.0 document (``import`` keeps the existing document's events).

Examples
--------
>>> from sahel_corpus.model import DocumentMeta, Document, Entity, Mention
>>> meta = DocumentMeta("d1", "d1.txt", "0" * 64, "T", "P", None, None, "en",
...                     "x", "CC-BY-4.0", "1.0", ("a",), "draft")
>>> doc = Document(meta, "😀 Mali", entities=(Entity("e1", "GPE"),),
...                mentions=(Mention("m1", "e1", 2, 6, "Mali", "NAM"),), schema_version="1.0")
>>> task = export_document(doc)
>>> task["annotations"][0]["result"][0]["value"]
{'start': 3, 'end': 7, 'text': 'Mali', 'labels': ['GPE']}
>>> import_document(task, meta) == doc
True
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from .. import schema as inv
from ..errors import FormatError
from ..fileio import read_json, write_atomic
from ..model import (
    LAYERS,
    Document,
    DocumentMeta,
    Entity,
    Mention,
    Relation,
    Sentence,
    Span,
    Stance,
    Zone,
    fresh_id,
    without_events,
)
from ..spans import SpanIndex
from ..textrules import line_col, normalise_newlines, text_problems
from . import Format, ImportOptions, register
from .offsets import OffsetError, from_utf16, to_utf16

__all__ = [
    "CONFIG_FILE",
    "FORMAT",
    "LABEL_CONFIG",
    "NOT_CARRIED",
    "ImportedAnnotation",
    "LabelStudioError",
    "export_document",
    "import_document",
    "import_tasks",
    "read_labelstudio",
    "write_labelstudio",
]

#: What a Label Studio task does not carry.
NOT_CARRIED: tuple[str, ...] = (
    "document metadata (the importer takes a DocumentMeta)",
    "entities without mentions",
    "events (an import keeps the document's own)",
)
#: The layers a task carries.
CARRIED: tuple[str, ...] = tuple(layer for layer in LAYERS if layer != "events")

_TO_NAME = "text"
_ZONE, _SENTENCE, _ENTITY, _PROPOSITION = "zone", "sentence", "entity", "proposition"
_LEVEL, _ACTOR, _AUTHOR_STANCE = "level", "actor_category", "author_stance"
_ORDER_KEY = "sahel_order"
#: The meta key prefix that carries a relation's or stance's own data on its source region:
#: ``link.<LABEL>.<target region id>=<JSON object>`` (Label Studio keeps region meta, and
#: drops the meta of relation results when the page saves).
_LINK = "link"

#: Labels of each ``Labels`` control.
_LABEL_CONTROLS: dict[str, tuple[str, ...]] = {
    _ZONE: tuple(f"Zone-{t}" for t in inv.ZONE_TYPES),
    _SENTENCE: ("Sentence",),
    _ENTITY: inv.ENTITY_TYPES,
    _PROPOSITION: ("Proposition",),
}
_STANCE_CHOICES: tuple[str, ...] = tuple(f"Stance-{label}" for label in inv.STANCE_LABELS)
#: Choices of each per-region ``Choices`` control and the region controls it applies to.
_CHOICE_CONTROLS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    _LEVEL: (inv.MENTION_LEVELS, (_ENTITY,)),
    _ACTOR: (inv.ACTOR_CATEGORIES, (_ENTITY,)),
    _AUTHOR_STANCE: (_STANCE_CHOICES, (_ENTITY, _PROPOSITION)),
}
_RELATION_LABELS: tuple[str, ...] = (*inv.RELATION_TYPES, *_STANCE_CHOICES)

_STANCE_KEYS = ("author_stance_id", "author_stance_evidence", "author_stance_attributed_to")
_META_KEYS: dict[str, tuple[str, ...]] = {
    _ZONE: (),
    _SENTENCE: ("zone",),
    _ENTITY: (
        "entity",
        "kb_id",
        "normalized",
        "machine",
        "entity_machine",
        *_STANCE_KEYS,
        "author_stance_machine",
    ),
    _PROPOSITION: (*_STANCE_KEYS, "author_stance_machine"),
    "relation": ("id", "evidence", "attributed_to", "machine"),
}


#: Headers of the per-region choices, shown beside the text when a region is selected.
_CHOICE_HEADERS = {
    _LEVEL: "Mention level (of the selected mention)",
    _ACTOR: "Actor category (of the mention's entity)",
    _AUTHOR_STANCE: "The article's own stance on the selected entity or proposition",
}


def _label_config() -> str:
    """The labeling configuration: labels and text on the left, region choices on the right.

    Relations allow several labels (``choice="multiple"``): Label Studio keeps
    one relation per ordered pair of regions, so two relations (or a relation
    and a stance) between the same mentions share one relation result. The
    per-region choices appear, with a header each, only while a region is
    selected.
    """
    lines = ['<View style="display: flex; gap: 1em">', '  <View style="flex: 68%">']
    for name, labels in _LABEL_CONTROLS.items():
        lines.append(f'    <Labels name="{name}" toName="{_TO_NAME}">')
        lines.extend(f'      <Label value="{label}"/>' for label in labels)
        lines.append("    </Labels>")
    lines.append(f'    <Text name="{_TO_NAME}" value="$text"/>')
    lines.append('    <Relations choice="multiple">')
    lines.extend(f'      <Relation value="{label}"/>' for label in _RELATION_LABELS)
    lines.append("    </Relations>")
    lines.append("  </View>")
    lines.append('  <View style="flex: 32%; position: sticky; top: 0">')
    for name, (choices, controls) in _CHOICE_CONTROLS.items():
        when = f' whenTagName="{controls[0]}"' if len(controls) == 1 else ""
        lines.append(f'    <View visibleWhen="region-selected"{when}>')
        lines.append(f'      <Header value="{_CHOICE_HEADERS[name]}" size="5"/>')
        lines.append(
            f'      <Choices name="{name}" toName="{_TO_NAME}" perRegion="true" '
            'choice="single-radio">'
        )
        lines.extend(f'        <Choice value="{choice}"/>' for choice in choices)
        lines.append("      </Choices>")
        lines.append("    </View>")
    lines.append("  </View>")
    lines.append("</View>")
    return "\n".join(lines) + "\n"


#: A Label Studio labeling configuration with every control the exported tasks use.
LABEL_CONFIG: str = _label_config()


class LabelStudioError(FormatError):
    """A Label Studio task that cannot be converted; the message names file and place."""

    default_code = "labelstudio"


# --------------------------------------------------------------------------- export


def _meta_lines(pairs: Sequence[tuple[str, Any]]) -> list[str]:
    return [f"{key}={json.dumps(value, ensure_ascii=False)}" for key, value in pairs]


def _name_mention(doc: Document, entity_id: str, user: str) -> str:
    """The id of the entity's first name (NAM) mention, else of its first mention."""
    chain = doc.mentions_of(entity_id)
    if not chain:
        raise LabelStudioError(
            f"{doc.id}: {user}: got entity {entity_id!r} without mentions, "
            "expected at least one mention to anchor it",
            code="ls-export",
        )
    for m in chain:
        if m.level == "NAM":
            return m.id
    return chain[0].id


def _author_stance_pairs(stance: Stance) -> list[tuple[str, Any]]:
    pairs: list[tuple[str, Any]] = [
        ("author_stance_id", stance.id),
        ("author_stance_evidence", list(stance.evidence)),
        ("author_stance_attributed_to", stance.attributed_to),
    ]
    if stance.machine:
        pairs.append(("author_stance_machine", True))
    return pairs


def _relation_pairs(obj: Relation | Stance) -> list[tuple[str, Any]]:
    pairs: list[tuple[str, Any]] = [
        ("id", obj.id),
        ("evidence", list(obj.evidence)),
        ("attributed_to", obj.attributed_to),
    ]
    if obj.machine:
        pairs.append(("machine", True))
    return pairs


def _stance_regions(
    doc: Document,
) -> tuple[dict[tuple[int, int], str], dict[str, str], dict[str, Stance]]:
    """Plan the regions stances need.

    Returns the proposition region id of each target span (fresh ids ``p1``,
    ``p2``, ... unused in ``doc``), the target region of each stance and the
    AUTHOR stance each region carries.
    """
    used = {
        *(o.id for layer in (doc.zones, doc.sentences, doc.entities, doc.mentions) for o in layer),
        *(r.id for r in doc.relations),
        *(s.id for s in doc.stances),
    }
    propositions: dict[tuple[int, int], str] = {}
    for s in doc.stances:
        if (
            s.target_span is not None
            and (s.target_span.start, s.target_span.end) not in propositions
        ):
            propositions[(s.target_span.start, s.target_span.end)] = fresh_id("p", used)
    targets: dict[str, str] = {}
    author: dict[str, Stance] = {}
    for s in doc.stances:
        if s.target_span is not None:
            targets[s.id] = propositions[(s.target_span.start, s.target_span.end)]
        else:
            assert s.target_entity is not None
            targets[s.id] = _name_mention(doc, s.target_entity, f"stance {s.id}")
        if s.holder_is_author:
            if targets[s.id] in author:
                raise LabelStudioError(
                    f"{doc.id}: stance {s.id}: got a second AUTHOR stance on the target of "
                    f"stance {author[targets[s.id]].id}, expected one AUTHOR stance per target",
                    code="ls-export",
                )
            author[targets[s.id]] = s
    return propositions, targets, author


def _links(
    doc: Document, targets: Mapping[str, str]
) -> dict[tuple[str, str], list[tuple[str, Relation | Stance]]]:
    """Relations and stances (but the author's) by the pair of regions they join, in order.

    Label Studio keeps one relation per ordered pair of regions, so every
    relation and stance between the same two regions goes into one relation
    result with several labels.
    """
    links: dict[tuple[str, str], list[tuple[str, Relation | Stance]]] = {}
    for r in doc.relations:
        where = f"relation {r.id}"
        pair = (_name_mention(doc, r.head, where), _name_mention(doc, r.tail, where))
        links.setdefault(pair, []).append((r.type, r))
    for st in doc.stances:
        if not st.holder_is_author:
            pair = (_name_mention(doc, st.holder, f"stance {st.id}"), targets[st.id])
            links.setdefault(pair, []).append((f"Stance-{st.label}", st))
    return links


def export_document(doc: Document) -> dict[str, Any]:
    """Return one Label Studio task (a dict) carrying every layer of ``doc``.

    Raises :class:`LabelStudioError` for what a task cannot hold: a relation
    or stance on an entity without mentions, or two AUTHOR stances on one target.
    """
    text = doc.text

    def value(start: int, end: int) -> dict[str, Any]:
        return {"start": to_utf16(text, start), "end": to_utf16(text, end), "text": text[start:end]}

    def region(rid: str, control: str, start: int, end: int, label: str) -> dict[str, Any]:
        return {
            "id": rid,
            "from_name": control,
            "to_name": _TO_NAME,
            "type": "labels",
            "value": {**value(start, end), "labels": [label]},
        }

    def choice(rid: str, control: str, start: int, end: int, picked: str) -> dict[str, Any]:
        return {
            "id": rid,
            "from_name": control,
            "to_name": _TO_NAME,
            "type": "choices",
            "value": {**value(start, end), "choices": [picked]},
        }

    def with_meta(result: dict[str, Any], pairs: Sequence[tuple[str, Any]]) -> dict[str, Any]:
        if pairs:
            result["meta"] = {"text": _meta_lines(pairs)}
        return result

    propositions, targets, author = _stance_regions(doc)
    links = _links(doc, targets)
    carried: dict[str, list[tuple[str, Any]]] = {}
    for (source, target), labelled in links.items():
        for label, obj in labelled:
            carried.setdefault(source, []).append(
                (f"{_LINK}.{label}.{target}", dict(_relation_pairs(obj)))
            )

    results: list[dict[str, Any]] = []
    for z in doc.zones:
        results.append(region(z.id, _ZONE, z.start, z.end, f"Zone-{z.type}"))
    for sent in doc.sentences:
        results.append(
            with_meta(
                region(sent.id, _SENTENCE, sent.start, sent.end, "Sentence"), [("zone", sent.zone)]
            )
        )
    for m in doc.mentions:
        entity = doc.entity(m.entity)
        pairs: list[tuple[str, Any]] = [
            ("entity", entity.id),
            ("kb_id", entity.kb_id),
            ("normalized", entity.normalized),
        ]
        if m.machine:
            pairs.append(("machine", True))
        if entity.machine:
            pairs.append(("entity_machine", True))
        if m.id in author:
            pairs.extend(_author_stance_pairs(author[m.id]))
        pairs.extend(carried.get(m.id, []))
        results.append(with_meta(region(m.id, _ENTITY, m.start, m.end, entity.type), pairs))
        results.append(choice(m.id, _LEVEL, m.start, m.end, m.level))
        if entity.actor_category is not None:
            results.append(choice(m.id, _ACTOR, m.start, m.end, entity.actor_category))
        if m.id in author:
            label = f"Stance-{author[m.id].label}"
            results.append(choice(m.id, _AUTHOR_STANCE, m.start, m.end, label))
    for (start, end), rid in propositions.items():
        pairs = _author_stance_pairs(author[rid]) if rid in author else []
        results.append(with_meta(region(rid, _PROPOSITION, start, end, "Proposition"), pairs))
        if rid in author:
            results.append(choice(rid, _AUTHOR_STANCE, start, end, f"Stance-{author[rid].label}"))
    for (source, target), labelled in links.items():
        labels = [label for label, _ in labelled]
        symmetric = all(inv.is_symmetric(label) for label in labels)
        results.append(
            {
                "from_id": source,
                "to_id": target,
                "type": "relation",
                "direction": "bi" if symmetric else "right",
                "labels": labels,
            }
        )
    order = {layer: [o.id for o in getattr(doc, layer)] for layer in CARRIED}
    return {
        "data": {"text": text, "id": doc.id, _ORDER_KEY: order},
        "annotations": [{"result": results}],
    }


def write_labelstudio(doc: Document, path: str | Path) -> Path:
    """Write ``doc`` as a Label Studio import file: a JSON list with one task."""
    text = json.dumps([export_document(doc)], indent=2, ensure_ascii=False) + "\n"
    return write_atomic(path, text, mkdir=True)


# --------------------------------------------------------------------------- import

T = TypeVar("T")
_OPT_STR = (str, type(None))
_META_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_.-]*)=")


def _skip_separators(line: str, pos: int) -> int:
    """The position after white space and commas (what separates meta pairs)."""
    while pos < len(line) and (line[pos].isspace() or line[pos] == ","):
        pos += 1
    return pos


@dataclass(frozen=True, slots=True)
class _Region:
    """A ``labels`` result: its place in the result list, id, control, label and span."""

    index: int
    id: str
    control: str
    label: str
    start: int
    end: int
    text: str
    raw: tuple[int, int]
    meta: dict[str, Any]

    @property
    def where(self) -> str:
        return f"result {self.index} (region {self.id})"


@dataclass(frozen=True, slots=True)
class _Link:
    """A ``relation`` result with its ends in head-to-tail order and its meta."""

    index: int
    source: _Region
    target: _Region
    label: str
    meta: dict[str, Any]

    @property
    def where(self) -> str:
        return f"result {self.index} (relation {self.source.id} -> {self.target.id})"


def _single_task(task: Any, name: str) -> dict[str, Any]:
    if isinstance(task, list):
        if len(task) != 1:
            raise LabelStudioError(
                f"{name}: got a list of {len(task)} tasks, expected one task", code="ls-tasks"
            )
        task = task[0]
    if not isinstance(task, dict):
        raise LabelStudioError(
            f"{name}: got a task of type {type(task).__name__}, expected a JSON object",
            code="ls-structure",
        )
    return task


def _clean_text(raw: str, name: str, normalise: bool) -> tuple[str, Callable[[int], int]]:
    """Return the text with LF line ends and no BOM, and the code-point map raw -> clean.

    Without ``normalise`` a BOM or a CR is refused; with it, the BOM is dropped
    and CRLF becomes LF (:func:`~sahel_corpus.textrules.normalise_newlines`),
    and a lone CR is still refused.
    """
    clean = normalise_newlines(raw) if normalise else raw
    for problem in text_problems(clean):
        if problem.rule in ("text-bom", "text-line-ends"):
            hint = "" if normalise else " (import --normalise-newlines converts it)"
            raise LabelStudioError(
                f"{name}: data.text: {line_col(clean, problem.index)}: {problem.message}{hint}",
                code=problem.rule,
            )
    if not normalise:
        return raw, lambda i: i
    removed = [0] if raw.startswith("\ufeff") else []
    removed.extend(i for i, ch in enumerate(raw) if ch == "\r")
    return clean, lambda i: i - bisect.bisect_left(removed, i)


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


_Obj = TypeVar("_Obj", bound=_HasId)


def _ordered(items: Sequence[_Obj], order: Sequence[str]) -> tuple[_Obj, ...]:
    """Sort objects by their id's place in ``order``; unlisted ones follow, in input order."""
    rank = {oid: i for i, oid in enumerate(order)}
    keyed = sorted(enumerate(items), key=lambda p: (rank.get(p[1].id, len(rank)), p[0]))
    return tuple(item for _, item in keyed)


class _Importer:
    """One task's conversion: checks results and builds each layer."""

    def __init__(self, name: str, raw: str, text: str, clean: Callable[[int], int]) -> None:
        self.name = name
        self.raw = raw
        self.text = text
        self.clean = clean
        self.regions: dict[str, _Region] = {}
        self.picked: dict[str, dict[str, str]] = {}
        self.links: list[_Link] = []
        self.entity_of: dict[str, str] = {}
        self.used: set[str] = set()
        self.sentence_index: SpanIndex[Sentence] = SpanIndex(())
        self.sentence_order: dict[str, int] = {}

    # ---- checks of single values

    def fail(self, where: str, message: str, code: str = "ls-structure") -> LabelStudioError:
        return LabelStudioError(f"{self.name}: {where}: {message}", code=code)

    def field(self, obj: Mapping[str, Any], key: str, kind: type[T], where: str) -> T:
        if key not in obj:
            raise self.fail(
                where, f"got no {key!r}, expected a {kind.__name__}", code="ls-structure"
            )
        got = obj[key]
        if not isinstance(got, kind) or (kind is int and isinstance(got, bool)):
            raise self.fail(
                where,
                f"got {key} {got!r} ({type(got).__name__}), expected a {kind.__name__}",
                code="ls-structure",
            )
        return got

    def one(self, obj: Mapping[str, Any], key: str, allowed: Sequence[str], where: str) -> str:
        got = self.field(obj, key, list, where)
        if len(got) != 1:
            raise self.fail(where, f"got {key} {got!r}, expected exactly one", code="ls-structure")
        if got[0] not in allowed:
            raise self.fail(
                where,
                f"got unknown label {got[0]!r} in {key}, expected one of {', '.join(allowed)}",
                code="ls-label",
            )
        value: str = got[0]
        return value

    def meta(self, result: Mapping[str, Any], allowed: Sequence[str], where: str) -> dict[str, Any]:
        """A result's meta as a dictionary of ``key=<JSON value>`` pairs.

        The pairs come one per line of ``meta.text`` (as exported), or several
        in one string separated by commas or line breaks (as Label Studio's
        meta editor saves them). Keys are checked against ``allowed``; on
        entity regions, ``link.<LABEL>.<region>`` keys carry relations.
        """
        raw = result.get("meta")
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            raise self.fail(
                where, f"got meta {raw!r}, expected an object with a 'text' list", code="ls-meta"
            )
        lines = raw.get("text", [])
        if isinstance(lines, str):
            lines = [lines]
        if not isinstance(lines, list) or not all(isinstance(x, str) for x in lines):
            raise self.fail(
                where, f"got meta.text {lines!r}, expected a list of strings", code="ls-meta"
            )
        links_allowed = "entity" in allowed
        out: dict[str, Any] = {}
        for line in lines:
            for key, value in self.meta_pairs(line, where):
                known = key in allowed or (links_allowed and key.startswith(f"{_LINK}."))
                if not known:
                    raise self.fail(
                        where,
                        f"got meta key {key!r}, expected one of {', '.join(allowed) or '(none)'}",
                        code="ls-meta",
                    )
                if key in out:
                    raise self.fail(
                        where, f"got meta key {key!r} twice, expected it once", code="ls-meta"
                    )
                out[key] = value
        return out

    def meta_pairs(self, line: str, where: str) -> Iterator[tuple[str, Any]]:
        """The ``key=<JSON value>`` pairs of one meta string, in order."""
        decoder = json.JSONDecoder()
        pos = 0
        while True:
            pos = _skip_separators(line, pos)
            if pos >= len(line):
                return
            match = _META_KEY.match(line, pos)
            if match is None:
                raise self.fail(
                    where,
                    f"got meta text {line[pos : pos + 40]!r}, expected key=<JSON value>",
                    code="ls-meta",
                )
            try:
                value, pos = decoder.raw_decode(line, match.end())
            except json.JSONDecodeError as exc:
                raise self.fail(
                    where,
                    f"got meta line {line!r}, expected a JSON value after "
                    f"'{match.group(1)}=' ({exc.msg})",
                    code="ls-meta",
                ) from None
            yield match.group(1), value

    def typed(
        self, meta: Mapping[str, Any], key: str, kinds: tuple[type, ...], where: str, default: Any
    ) -> Any:
        """Return ``meta[key]`` checked against ``kinds`` (lists hold strings), else ``default``."""
        if key not in meta:
            return default
        got = meta[key]
        ok = isinstance(got, kinds) and not (isinstance(got, bool) and bool not in kinds)
        if ok and isinstance(got, list):
            ok = all(isinstance(x, str) for x in got)
        if not ok:
            names = " or ".join("null" if k is type(None) else k.__name__ for k in kinds)
            raise self.fail(where, f"got meta {key} = {got!r}, expected {names}", code="ls-meta")
        return got

    def span(self, value: Mapping[str, Any], where: str) -> tuple[int, int, tuple[int, int]]:
        """Return the clean code-point span of a result value and its raw UTF-16 offsets."""
        raw_start = self.field(value, "start", int, where)
        raw_end = self.field(value, "end", int, where)
        try:
            start, end = from_utf16(self.raw, raw_start), from_utf16(self.raw, raw_end)
        except OffsetError as exc:
            raise self.fail(
                where,
                f"{exc} (Label Studio offsets count UTF-16 code units; an offset inside a "
                "surrogate pair splits a character)",
                code="ls-offset",
            ) from None
        if not start < end:
            raise self.fail(
                where,
                f"got start {raw_start} and end {raw_end}, expected start < end",
                code="ls-offset",
            )
        got = self.field(value, "text", str, where)
        expected = self.raw[start:end]
        if got != expected:
            raise self.fail(
                where,
                f"got span text {got!r}, expected {expected!r} = text[{start}:{end}] "
                f"(UTF-16 offsets {raw_start}:{raw_end})",
                code="ls-span-text",
            )
        return self.clean(start), self.clean(end), (raw_start, raw_end)

    def fresh(self, prefix: str) -> str:
        return fresh_id(prefix, self.used)

    # ---- reading the result list

    def read_results(self, results: list[Any]) -> None:
        """Check every result and collect regions, per-region choices and relations."""
        choices: list[tuple[int, dict[str, Any]]] = []
        relations: list[tuple[int, dict[str, Any]]] = []
        for index, result in enumerate(results):
            where = f"result {index}"
            if not isinstance(result, dict):
                raise self.fail(
                    where, f"got {type(result).__name__}, expected an object", code="ls-structure"
                )
            kind = self.field(result, "type", str, where)
            if kind == "labels":
                self.read_region(index, result)
            elif kind == "choices":
                choices.append((index, result))
            elif kind == "relation":
                relations.append((index, result))
            else:
                raise self.fail(
                    where,
                    f"got type {kind!r}, expected labels, choices or relation",
                    code="ls-structure",
                )
        for index, result in choices:
            self.read_choice(index, result)
        metas = [
            self.meta(result, _META_KEYS["relation"], f"result {index} (relation)")
            for index, result in relations
        ]
        self.used.update(self.regions)
        for r in self.regions.values():
            self.used.update(r.meta[key] for key in ("entity", "author_stance_id") if key in r.meta)
            self.used.update(
                value["id"]
                for key, value in r.meta.items()
                if key.startswith(f"{_LINK}.") and isinstance(value, dict) and "id" in value
            )
        self.used.update(m["id"] for m in metas if "id" in m)
        for (index, result), meta in zip(relations, metas, strict=True):
            self.read_relation(index, result, meta)

    def read_region(self, index: int, result: dict[str, Any]) -> None:
        rid = self.field(result, "id", str, f"result {index}")
        where = f"result {index} (region {rid})"
        control = self.field(result, "from_name", str, where)
        if control not in _LABEL_CONTROLS:
            raise self.fail(
                where,
                f"got from_name {control!r}, expected one of {', '.join(_LABEL_CONTROLS)}",
                code="ls-label",
            )
        value = self.field(result, "value", dict, where)
        label = self.one(value, "labels", _LABEL_CONTROLS[control], where)
        start, end, raw = self.span(value, where)
        if rid in self.regions:
            raise self.fail(
                where,
                f"got region id {rid!r} again (first at result {self.regions[rid].index}), "
                "expected unique region ids",
                code="ls-duplicate",
            )
        meta = self.meta(result, _META_KEYS[control], where)
        self.regions[rid] = _Region(
            index, rid, control, label, start, end, self.text[start:end], raw, meta
        )

    def read_choice(self, index: int, result: dict[str, Any]) -> None:
        rid = self.field(result, "id", str, f"result {index}")
        where = f"result {index} (region {rid})"
        control = self.field(result, "from_name", str, where)
        if control not in _CHOICE_CONTROLS:
            raise self.fail(
                where,
                f"got from_name {control!r}, expected one of {', '.join(_CHOICE_CONTROLS)}",
                code="ls-label",
            )
        allowed, region_controls = _CHOICE_CONTROLS[control]
        value = self.field(result, "value", dict, where)
        picked = self.one(value, "choices", allowed, where)
        region = self.regions.get(rid)
        if region is None:
            raise self.fail(
                where,
                f"got a {control} choice for unknown region {rid!r}, "
                "expected the id of a labels region",
                code="ls-reference",
            )
        if region.control not in region_controls:
            raise self.fail(
                where,
                f"got a {control} choice on a {region.control} region, "
                f"expected it on {' or '.join(region_controls)} regions",
                code="ls-reference",
            )
        if "start" in value or "end" in value:
            raw = self.span(value, where)[2]
            if raw != region.raw:
                raise self.fail(
                    where,
                    f"got offsets {raw[0]}:{raw[1]}, expected the region's offsets "
                    f"{region.raw[0]}:{region.raw[1]}",
                    code="ls-offset",
                )
        if control in self.picked.get(rid, {}):
            raise self.fail(
                where,
                f"got a second {control} choice for the region, expected one",
                code="ls-duplicate",
            )
        self.picked.setdefault(rid, {})[control] = picked

    def read_relation(self, index: int, result: dict[str, Any], meta: dict[str, Any]) -> None:
        where = f"result {index} (relation)"
        ends = []
        for key in ("from_id", "to_id"):
            rid = self.field(result, key, str, where)
            if rid not in self.regions:
                raise self.fail(
                    where,
                    f"got {key} {rid!r}, a relation to an unknown region, "
                    "expected the id of a labels region",
                    code="ls-reference",
                )
            ends.append(self.regions[rid])
        direction = result.get("direction", "right")
        if direction not in ("right", "left", "bi"):
            raise self.fail(
                where,
                f"got direction {direction!r}, expected right, left or bi",
                code="ls-structure",
            )
        source, target = reversed(ends) if direction == "left" else ends
        where = f"result {index} (relation {source.id} -> {target.id})"
        labels = self.field(result, "labels", list, where)
        if not labels or len(set(map(str, labels))) != len(labels):
            raise self.fail(where, f"got labels {labels!r}, expected one or more labels, each once")
        for label in labels:
            if label not in _RELATION_LABELS:
                raise self.fail(
                    where,
                    f"got unknown label {label!r} in labels, expected one of "
                    f"{', '.join(_RELATION_LABELS)}",
                    code="ls-label",
                )
        if source.control != _ENTITY:
            raise self.fail(
                where,
                f"got a relation from a {source.control} region, expected an entity region",
                code="ls-reference",
            )
        for label in labels:
            allowed = (_ENTITY,) if label in inv.RELATION_TYPES else (_ENTITY, _PROPOSITION)
            if target.control not in allowed:
                raise self.fail(
                    where,
                    f"got a {label} relation to a {target.control} region, "
                    f"expected it to {' or '.join(allowed)} regions",
                    code="ls-reference",
                )
            carried = source.meta.get(f"{_LINK}.{label}.{target.id}")
            own = meta if len(labels) == 1 and meta else carried
            if own is not None and not isinstance(own, dict):
                raise self.fail(
                    where,
                    f"got {_LINK}.{label}.{target.id}={own!r} on region {source.id}, expected "
                    "an object with id, evidence and attributed_to",
                    code="ls-meta",
                )
            self.links.append(_Link(index, source, target, label, own or {}))

    # ---- building the layers

    def of(self, control: str) -> list[_Region]:
        return [r for r in self.regions.values() if r.control == control]

    def zones(self) -> list[Zone]:
        zones = []
        for r in self.of(_ZONE):
            zones.append(Zone(r.id, r.label.removeprefix("Zone-"), r.start, r.end, r.text))
        return zones

    def build_sentences(self, zones: Sequence[Zone]) -> list[Sentence]:
        sentences = []
        zone_index = SpanIndex((z.start, z.end, z) for z in zones)
        for r in self.of(_SENTENCE):
            zone = self.typed(r.meta, "zone", (str,), r.where, None)
            if zone is None:
                around = zone_index.containing(r.start, r.end)
                if around is None:
                    raise self.fail(
                        r.where,
                        "got a sentence in no zone region and no meta zone, expected one of them",
                        code="ls-zone",
                    )
                zone = around.id
            sentences.append(Sentence(r.id, zone, r.start, r.end, r.text))
        self.sentence_index = SpanIndex((s.start, s.end, s) for s in sentences)
        self.sentence_order = {s.id: i for i, s in enumerate(sentences)}
        return sentences

    def mentions_and_entities(self) -> tuple[list[Mention], list[Entity]]:
        """Mentions in result order and their entities, whose attributes the mentions agree on."""
        mentions: list[Mention] = []
        votes: dict[str, dict[str, tuple[Any, str]]] = {}
        for r in self.of(_ENTITY):
            entity_id = self.typed(r.meta, "entity", (str,), r.where, None) or self.fresh("e")
            level = self.picked.get(r.id, {}).get(_LEVEL)
            if level is None:
                raise self.fail(
                    r.where,
                    f"got no {_LEVEL} choice, expected one of {', '.join(inv.MENTION_LEVELS)}",
                    code="ls-level",
                )
            machine = self.typed(r.meta, "machine", (bool,), r.where, False)
            mentions.append(Mention(r.id, entity_id, r.start, r.end, r.text, level, machine))
            self.entity_of[r.id] = entity_id
            attributes: dict[str, Any] = {"type": r.label}
            for key, kinds in (
                ("kb_id", _OPT_STR),
                ("normalized", _OPT_STR),
                ("entity_machine", (bool,)),
            ):
                if key in r.meta:
                    attributes[key] = self.typed(r.meta, key, kinds, r.where, None)
            if _ACTOR in self.picked.get(r.id, {}):
                attributes[_ACTOR] = self.picked[r.id][_ACTOR]
            entity_votes = votes.setdefault(entity_id, {})
            for key, got in attributes.items():
                first, first_region = entity_votes.setdefault(key, (got, r.id))
                if first != got:
                    raise self.fail(
                        r.where,
                        f"got {key} {got!r} for entity {entity_id!r}, expected {first!r} "
                        f"as on region {first_region} of the same entity",
                        code="ls-attribute-conflict",
                    )
        entities = [
            Entity(
                eid,
                v["type"][0],
                v.get(_ACTOR, (None,))[0],
                v.get("kb_id", (None,))[0],
                v.get("normalized", (None,))[0],
                v.get("entity_machine", (False,))[0],
            )
            for eid, v in votes.items()
        ]
        return mentions, entities

    def evidence_of(self, *regions: _Region) -> tuple[str, ...]:
        """Ids of the sentences that contain any of the regions, in sentence order."""
        around = {self.sentence_index.containing(r.start, r.end) for r in regions}
        order = self.sentence_order
        return tuple(sorted((s.id for s in around if s is not None), key=order.__getitem__))

    def relations_and_stances(self) -> tuple[list[Relation], list[Stance]]:
        relations: list[Relation] = []
        stances: list[Stance] = []
        for link in self.links:
            m, where = link.meta, link.where
            oid = self.typed(m, "id", (str,), where, None)
            evidence = self.typed(m, "evidence", (list,), where, None)
            evidence = tuple(
                evidence if evidence is not None else self.evidence_of(link.source, link.target)
            )
            attributed = self.typed(m, "attributed_to", _OPT_STR, where, None)
            machine = self.typed(m, "machine", (bool,), where, False)
            head = self.entity_of[link.source.id]
            if link.label in inv.RELATION_TYPES:
                tail = self.entity_of[link.target.id]
                relations.append(
                    Relation(
                        oid or self.fresh("r"),
                        link.label,
                        head,
                        tail,
                        evidence,
                        attributed,
                        machine,
                    )
                )
            else:
                stances.append(
                    self.stance(oid, head, link.label, evidence, link.target, attributed, machine)
                )
        for r in self.regions.values():
            label = self.picked.get(r.id, {}).get(_AUTHOR_STANCE)
            if label is None:
                continue
            evidence = self.typed(r.meta, "author_stance_evidence", (list,), r.where, None)
            stances.append(
                self.stance(
                    self.typed(r.meta, "author_stance_id", (str,), r.where, None),
                    inv.AUTHOR,
                    label,
                    tuple(evidence if evidence is not None else self.evidence_of(r)),
                    r,
                    self.typed(r.meta, "author_stance_attributed_to", _OPT_STR, r.where, None),
                    self.typed(r.meta, "author_stance_machine", (bool,), r.where, False),
                )
            )
        return relations, stances

    def stance(
        self,
        oid: str | None,
        holder: str,
        label: str,
        evidence: tuple[str, ...],
        target: _Region,
        attributed: str | None,
        machine: bool,
    ) -> Stance:
        return Stance(
            oid or self.fresh("st"),
            holder,
            label.removeprefix("Stance-"),
            evidence,
            target_entity=self.entity_of.get(target.id),
            target_span=(
                Span(target.start, target.end, target.text)
                if target.control == _PROPOSITION
                else None
            ),
            attributed_to=attributed,
            machine=machine,
        )


@dataclass(frozen=True, slots=True)
class ImportedAnnotation:
    """One annotation of one task: the document id, who made it, and the document it gives."""

    doc_id: str
    annotator: str
    document: Document


def _annotator(annotation: Mapping[str, Any], k: int) -> str:
    """A name for who made an annotation: the e-mail's local part, ``user<id>``, or its rank."""
    by = annotation.get("completed_by")
    if isinstance(by, dict):
        by = by.get("email") or by.get("id")
    if isinstance(by, str) and by:
        name = by.split("@", 1)[0]
    elif isinstance(by, int) and not isinstance(by, bool):
        name = f"user{by}"
    else:
        name = f"annotation{k + 1}"
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-_")
    return cleaned or f"annotation{k + 1}"


def _task_document(
    task: Mapping[str, Any],
    annotation: Any,
    where: str,
    meta: DocumentMeta,
    name: str,
    normalise_newlines: bool,
) -> Document:
    check = _Importer(name, "", "", lambda i: i)
    data = check.field(task, "data", dict, f"{where}task")
    raw = check.field(data, "text", str, f"{where}data")
    if data.get("id") is not None and data["id"] != meta.id:
        raise check.fail(
            f"{where}data.id",
            f"got {data['id']!r}, expected the document id {meta.id!r}",
            code="document-id",
        )
    order = check.field(data, _ORDER_KEY, dict, f"{where}data") if _ORDER_KEY in data else {}
    for layer in CARRIED:
        check.typed(order, layer, (list,), f"{where}data.{_ORDER_KEY}", [])
    if not isinstance(annotation, dict):
        raise check.fail(
            f"{where}annotation",
            f"got {type(annotation).__name__}, expected an object",
            code="ls-annotations",
        )
    results = check.field(annotation, "result", list, f"{where}annotation")
    text, clean = _clean_text(raw, name, normalise_newlines)
    imp = _Importer(name, raw, text, clean)
    imp.read_results(results)
    zones = imp.zones()
    sentences = imp.build_sentences(zones)
    mentions, entities = imp.mentions_and_entities()
    relations, stances = imp.relations_and_stances()
    return without_events(
        Document(
            meta=meta,
            text=text,
            zones=_ordered(zones, order.get("zones", [])),
            sentences=_ordered(sentences, order.get("sentences", [])),
            entities=_ordered(entities, order.get("entities", [])),
            mentions=_ordered(mentions, order.get("mentions", [])),
            relations=_ordered(relations, order.get("relations", [])),
            stances=_ordered(stances, order.get("stances", [])),
        )
    )


def import_document(
    task: dict[str, Any] | list[dict[str, Any]],
    meta: DocumentMeta,
    name: str = "<task>",
    *,
    normalise_newlines: bool = False,
) -> Document:
    """Build a :class:`Document` from one Label Studio task with one annotation.

    ``task`` may also be a list holding the one task. ``name`` names the input
    in error messages. Text with CRLF line ends or a byte-order mark is
    refused unless ``normalise_newlines`` is true, which converts them
    (offsets are mapped onto the converted text). Raises
    :class:`LabelStudioError` naming the result index or region id. A task
    with several annotations, or a project export with several tasks, is
    :func:`import_tasks`'s.
    """
    task = _single_task(task, name)
    annotations = task.get("annotations")
    if not isinstance(annotations, list) or len(annotations) != 1:
        count = len(annotations) if isinstance(annotations, list) else "no list of"
        raise LabelStudioError(
            f"{name}: annotations: got {count} annotations, expected one (a task annotated "
            "by several people imports as passes)",
            code="ls-annotations",
        )
    return _task_document(task, annotations[0], "", meta, name, normalise_newlines)


def import_tasks(
    loaded: Any,
    meta_of: Callable[[str], DocumentMeta],
    name: str = "<export>",
    *,
    normalise_newlines: bool = False,
) -> list[ImportedAnnotation]:
    """Every annotation of every task of a Label Studio export (a task or a list of tasks).

    ``meta_of`` gives the metadata of the document a task's ``data.id`` names
    (and raises if there is none). Tasks without annotations, and annotations
    the annotator skipped (``was_cancelled``), are skipped.
    """
    tasks = loaded if isinstance(loaded, list) else [loaded]
    out: list[ImportedAnnotation] = []
    for t, task in enumerate(tasks):
        where = f"task {t}: "
        if not isinstance(task, dict):
            raise LabelStudioError(
                f"{name}: {where}got {type(task).__name__}, expected a task object",
                code="ls-structure",
            )
        data = task.get("data")
        doc_id = data.get("id") if isinstance(data, dict) else None
        if not isinstance(doc_id, str):
            raise LabelStudioError(
                f"{name}: {where}got data.id {doc_id!r}, expected the document id that "
                "`export --format labelstudio` writes",
                code="document-id",
            )
        annotations = task.get("annotations", [])
        if not isinstance(annotations, list):
            raise LabelStudioError(
                f"{name}: {where}got annotations {annotations!r}, expected a list",
                code="ls-annotations",
            )
        meta = meta_of(doc_id)
        for k, annotation in enumerate(annotations):
            if isinstance(annotation, dict) and annotation.get("was_cancelled") is True:
                continue  # the annotator skipped the task: there is no annotation to import
            doc = _task_document(
                task, annotation, f"{where}annotation {k}: ", meta, name, normalise_newlines
            )
            who = _annotator(annotation, k) if isinstance(annotation, dict) else str(k)
            out.append(ImportedAnnotation(doc_id, who, doc))
    return out


def read_labelstudio(
    path: str | Path, meta: DocumentMeta, *, normalise_newlines: bool = False
) -> Document:
    """Read a Label Studio JSON file (one task, or a list with one task) into a Document."""
    path = Path(path)
    loaded = read_json(path, "a Label Studio JSON export", LabelStudioError)
    return import_document(loaded, meta, str(path), normalise_newlines=normalise_newlines)


def _read(path: Path, meta: DocumentMeta, options: ImportOptions) -> Document:
    return read_labelstudio(path, meta, normalise_newlines=options.normalise_newlines)


def _read_many(
    path: Path, meta_of: Callable[[str], DocumentMeta], options: ImportOptions
) -> list[ImportedAnnotation]:
    loaded = read_json(path, "a Label Studio JSON export", LabelStudioError)
    return import_tasks(loaded, meta_of, str(path), normalise_newlines=options.normalise_newlines)


#: The file ``export --format labelstudio`` writes the labeling configuration to.
CONFIG_FILE = "label-config.xml"


def _write(doc: Document, folder: Path) -> list[Path]:
    """The task file, and the labeling configuration to create the project with."""
    task = write_labelstudio(doc, folder / f"{doc.id}.json")
    return [task, write_atomic(folder / CONFIG_FILE, LABEL_CONFIG)]


FORMAT = register(
    Format(
        "labelstudio",
        "Label Studio JSON: one task per document, offsets in UTF-16 code units",
        CARRIED,
        NOT_CARRIED,
        read=_read,
        write=_write,
        read_many=_read_many,
    )
)
