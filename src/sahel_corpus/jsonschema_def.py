"""The JSON Schema of the annotation file, generated from the label inventory.

The schema ships as ``sahel_corpus/schemas/annotation-<version>.schema.json``,
the text :func:`render_schema` returns (``sahel-corpus schema > FILE`` writes
it), and a test checks that the shipped copy matches :func:`annotation_schema`.

Examples
--------
>>> schema = annotation_schema()
>>> schema["properties"]["schema_version"]["enum"]
['1.0', '1.1']
>>> schema["$defs"]["entity"]["properties"]["type"]["enum"][:2]
['PER', 'ORG']
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from . import schema as inv

__all__ = ["SCHEMA_FILENAME", "annotation_schema", "load_shipped_schema", "render_schema"]

SCHEMA_FILENAME = f"annotation-{inv.SCHEMA_VERSION}.schema.json"

_ID = {"type": "string", "pattern": inv.OBJECT_ID_PATTERN}
_DOC_ID = {"type": "string", "pattern": inv.DOCUMENT_ID_PATTERN}
_OFFSET = {"type": "integer", "minimum": 0}
_NULLABLE_ID = {"anyOf": [_ID, {"type": "null"}]}


def _span(**extra: Any) -> dict[str, Any]:
    props: dict[str, Any] = {"start": _OFFSET, "end": _OFFSET, "text": {"type": "string"}}
    props.update(extra)
    return {
        "type": "object",
        "required": list(props),
        "properties": props,
        "additionalProperties": False,
    }


#: Optional on entities, mentions, relations and stances: true marks machine-made annotation.
_MACHINE = {"type": "boolean"}


def _annotation(props: dict[str, Any]) -> dict[str, Any]:
    return _obj({**props, "machine": _MACHINE}, optional=("machine",))


def _obj(props: dict[str, Any], optional: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "type": "object",
        "required": [k for k in props if k not in optional],
        "properties": props,
        "additionalProperties": False,
    }


def _enum(values: tuple[str, ...]) -> dict[str, Any]:
    return {"type": "string", "enum": list(values)}


def _nullable_enum(values: tuple[str, ...]) -> dict[str, Any]:
    return {"anyOf": [_enum(values), {"type": "null"}]}


def annotation_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of an annotation file."""
    evidence = {"type": "array", "items": _ID, "minItems": 1}
    zone = _obj({"id": _ID, "type": _enum(inv.ZONE_TYPES), **_span()["properties"]})
    sentence = _obj({"id": _ID, "zone": _ID, **_span()["properties"]})
    entity = _annotation(
        {
            "id": _ID,
            "type": _enum(inv.ENTITY_TYPES),
            "actor_category": _nullable_enum(inv.ACTOR_CATEGORIES),
            "kb_id": {"anyOf": [{"type": "string", "minLength": 1}, {"type": "null"}]},
            "normalized": {"anyOf": [{"type": "string", "minLength": 1}, {"type": "null"}]},
        }
    )
    mention = _annotation(
        {
            "id": _ID,
            "entity": _ID,
            **_span()["properties"],
            "level": _enum(inv.MENTION_LEVELS),
        }
    )
    relation = _annotation(
        {
            "id": _ID,
            "type": _enum(inv.RELATION_TYPES),
            "head": _ID,
            "tail": _ID,
            "evidence": evidence,
            "attributed_to": _NULLABLE_ID,
        }
    )
    target = {"oneOf": [_obj({"entity": _ID}), _span()]}
    stance = _annotation(
        {
            "id": _ID,
            "holder": _ID,
            "target": target,
            "label": _enum(inv.STANCE_LABELS),
            "evidence": evidence,
            "attributed_to": _NULLABLE_ID,
        }
    )
    trigger = _obj({"id": _ID, **_span()["properties"]})
    argument = _obj({"role": _enum(inv.EVENT_ROLES), "entity": _ID})
    event = _annotation(
        {
            "id": _ID,
            "type": _enum(inv.EVENT_TYPES),
            "realis": _enum(inv.EVENT_REALIS),
            "attributed_to": _NULLABLE_ID,
            "triggers": {"type": "array", "items": {"$ref": "#/$defs/trigger"}, "minItems": 1},
            "arguments": {"type": "array", "items": {"$ref": "#/$defs/argument"}},
        }
    )
    document = _obj(
        {
            "id": _DOC_ID,
            "text_file": {"type": "string", "minLength": 1},
            "text_sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "title": {"type": "string", "minLength": 1},
            "publisher": {"type": "string", "minLength": 1},
            "url": {"anyOf": [{"type": "string", "minLength": 1}, {"type": "null"}]},
            "published": {"anyOf": [{"type": "string", "minLength": 4}, {"type": "null"}]},
            "language": {"type": "string", "pattern": inv.LANGUAGE_PATTERN},
            "text_licence": {"type": "string", "minLength": 1},
            "annotation_licence": {"type": "string", "minLength": 1},
            "guideline_version": {"type": "string", "minLength": 1},
            "annotators": {"type": "array", "items": {"type": "string", "minLength": 1}},
            "status": _enum(inv.DOCUMENT_STATUSES),
        }
    )

    def array_of(ref: str) -> dict[str, Any]:
        return {"type": "array", "items": {"$ref": f"#/$defs/{ref}"}}

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://sahel-corpus.org/schemas/{SCHEMA_FILENAME}",
        "title": f"sahel-corpus annotation file, schema version {inv.SCHEMA_VERSION} "
        "(files of version 1.0, without events, validate too)",
        "type": "object",
        "required": [
            "schema_version",
            "document",
            "zones",
            "sentences",
            "entities",
            "mentions",
            "relations",
            "stances",
        ],
        "properties": {
            "schema_version": {"enum": list(inv.SCHEMA_VERSIONS)},
            "document": {"$ref": "#/$defs/document"},
            "zones": array_of("zone"),
            "sentences": array_of("sentence"),
            "entities": array_of("entity"),
            "mentions": array_of("mention"),
            "relations": array_of("relation"),
            "stances": array_of("stance"),
            "events": array_of("event"),
        },
        "additionalProperties": False,
        # the event layer came with schema 1.1: a 1.1 file has it, a 1.0 file has none
        # (no layer is not an empty layer: guidelines 12.8 j)
        "if": {"properties": {"schema_version": {"const": "1.1"}}},
        "then": {"required": ["events"]},
        "else": {"not": {"required": ["events"]}},
        "$defs": {
            "document": document,
            "zone": zone,
            "sentence": sentence,
            "entity": entity,
            "mention": mention,
            "relation": relation,
            "stance": stance,
            "event": event,
            "trigger": trigger,
            "argument": argument,
        },
    }


def render_schema() -> str:
    """Return the shipped schema file's exact text (pretty-printed, LF, final newline)."""
    return json.dumps(annotation_schema(), indent=2, ensure_ascii=False) + "\n"


def load_shipped_schema() -> dict[str, Any]:
    """Read the schema file that ships inside the package."""
    text = resources.files("sahel_corpus").joinpath("schemas", SCHEMA_FILENAME).read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded
