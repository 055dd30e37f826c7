"""The corpus validator: every rule of the annotation schema as a named check.

Each check has a stable kebab-case id (the keys of :data:`CHECKS`). A finding
names the file, the place (a JSON pointer into the annotation file, or
``line L, column C`` in a text file), the check id and a message that says
what was found and what was expected. The validator only reads files.

Examples
--------
>>> f = Finding("doc.json", "/mentions/0/text", "span-text",
...             "got 'Mali ', expected text[4:8] = 'Mali'")
>>> print(f.format())
doc.json:/mentions/0/text: error [span-text] got 'Mali ', expected text[4:8] = 'Mali'
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs

from . import schema as inv
from .errors import AnnotationError
from .fileio import decode_utf8, parse_json
from .jsonschema_def import load_shipped_schema
from .model import ANNOTATION_LAYERS, LAYERS
from .schema import is_iso_date, is_url
from .spans import SpanIndex
from .textrules import TEXT_RULES, line_col, text_problems
from .tokenize import token_offsets

__all__ = [
    "CHECKS",
    "RELEASE_CHECKS",
    "Finding",
    "Report",
    "annotation_files",
    "raise_findings",
    "read_annotation",
    "validate_data",
    "validate_file",
    "validate_paths",
]

#: Every check id with what it enforces. Ids are stable: never renamed or reused.
CHECKS: dict[str, str] = {
    "file-missing": "a named annotation or text file exists",
    "json-syntax": "the annotation file is well-formed JSON",
    "json-duplicate-key": "no JSON object repeats a key",
    "schema-version": "the file's schema_version is one this validator reads",
    "json-schema": "the file has the structure of the shipped JSON Schema",
    "label-inventory": "every label and attribute value comes from the schema's inventory",
    "document-id": "the file is named after its document id",
    "published-date": "document.published is an ISO 8601 date (or date and time), or null",
    "url-syntax": "document.url is an http or https address with a host, or null",
    **TEXT_RULES,
    "text-checksum": "the text file's SHA-256 equals document.text_sha256",
    "duplicate-id": "ids are unique within a document",
    "reserved-id": "no id is the reserved holder value AUTHOR",
    "unresolved-reference": "every reference names an object of the right layer",
    "offset-range": "0 <= start < end <= len(text)",
    "span-text": "a span's text equals text[start:end]",
    "span-whitespace": "a span neither starts nor ends on whitespace",
    "zone-overlap": "no character is in two zones",
    "zone-coverage": "every non-whitespace character is in a zone",
    "boilerplate-annotated": "nothing but the zone itself lies inside a BOILERPLATE zone",
    "sentence-zone": "a sentence lies inside the zone it names",
    "sentence-overlap": "sentences do not overlap",
    "heading-sentence": "a HEADLINE or SUBHEADING zone is exactly one sentence",
    "span-sentence": "a mention or stance target lies inside one sentence",
    "crossing-mentions": "two mentions are nested or disjoint, never crossing",
    "token-boundary": "a mention or stance target starts and ends on token boundaries",
    "duplicate-mention": "no two mentions share span and entity",
    "value-mention-level": "DATE and CARDINAL mentions have level NAM",
    "entity-attribute": "normalized only on DATE; no actor_category on DATE or CARDINAL",
    "date-normalized": "a DATE's normalized value is ISO 8601 (YYYY, YYYY-MM or YYYY-MM-DD)",
    "entity-without-mention": "every entity has at least one mention",
    "self-relation": "a relation links two different entities",
    "duplicate-relation": "a relation is stored once (symmetric types in one direction)",
    "evidence-mentions": "a relation's evidence sentences mention both its entities",
    "duplicate-stance": "a holder takes one stance on a target",
    "trigger-overlap": "event triggers do not overlap one another",
    "event-role": "an argument's role is one the event's type takes",
    "duplicate-argument": "an event names an entity in one role once",
    "argument-entity-type": "an argument's entity has a type its role allows",
    "argument-sentence": "an argument's entity is mentioned in a sentence that holds one of "
    "the event's triggers",
    "machine-unreviewed": "with --release: no machine-made item that no person has checked",
    "draft-status": "with --release: no document of status draft",
}

#: Checks that only ``--release`` applies (a draft may break them).
RELEASE_CHECKS = frozenset({"machine-unreviewed", "draft-status"})


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem: file, place, check id and message."""

    file: str
    pointer: str
    check: str
    message: str

    def format(self) -> str:
        """Return the report line ``file:place: error [check] message``."""
        return f"{self.file}:{self.pointer}: error [{self.check}] {self.message}"


@dataclass
class Report:
    """Findings of one validation run over some files."""

    files: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    def counts(self) -> dict[str, int]:
        """Return the number of findings per check id, most frequent first."""
        return dict(Counter(f.check for f in self.findings).most_common())

    def to_json(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "errors": len(self.findings),
            "counts": self.counts(),
            "findings": [asdict(f) for f in self.findings],
        }

    def format_text(self) -> str:
        lines = [f.format() for f in self.findings]
        if self.ok:
            lines.append(f"{len(self.files)} file(s) checked: no errors")
        else:
            summary = ", ".join(f"{check}: {n}" for check, n in self.counts().items())
            lines.append(
                f"{len(self.files)} file(s) checked: {len(self.findings)} error(s) ({summary})"
            )
        return "\n".join(lines)


def annotation_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Expand files and folders into annotation files (``*.json``), sorted within a folder."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.json") if p.is_file())
        else:
            yield path


def validate_paths(paths: Iterable[str | Path], release: bool = False) -> Report:
    """Validate every annotation file under ``paths`` (with ``release``, the release checks too)."""
    report = Report()
    for path in annotation_files(paths):
        report.files.append(str(path))
        report.findings.extend(validate_file(path, release))
    return report


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _DuplicateKey(key)
        seen[key] = value
    return seen


def read_annotation(path: str | Path) -> Any:
    """Parse an annotation file strictly (UTF-8, well-formed JSON, no repeated key).

    Raises :class:`~sahel_corpus.errors.AnnotationError` with code
    ``text-encoding``, ``json-syntax`` or ``json-duplicate-key``, naming the
    file and the place. The content is not validated.
    """
    return _parse_annotation(path)[0]


@dataclass(frozen=True, slots=True)
class _Scan:
    """What the parser saw: a float anywhere, an escape that may be a lone surrogate."""

    floats: bool
    surrogates: bool


#: A JSON escape of a UTF-16 surrogate (a pair is a character; a lone one is not).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _parse_annotation(path: str | Path) -> tuple[Any, _Scan]:
    """The parsed file, and what the parser saw of floats and surrogate escapes."""
    name = str(path)
    text = decode_utf8(Path(path).read_bytes(), name, AnnotationError)
    floats: list[str] = []

    def parse_float(literal: str) -> float:
        floats.append(literal)
        return float(literal)

    try:
        data = parse_json(
            text,
            name,
            object_pairs_hook=_no_duplicate_keys,
            parse_float=parse_float,
            error=AnnotationError,
        )
        return data, _Scan(bool(floats), _SURROGATE_ESCAPE.search(text) is not None)
    except _DuplicateKey as err:
        raise AnnotationError(
            f"{name}: /: got key {_q(err.key)} twice in one object, expected each key once",
            code="json-duplicate-key",
        ) from None


def _q(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _pointer(path: Sequence[object]) -> str:
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in path)


def validate_file(path: str | Path, release: bool = False) -> list[Finding]:
    """Validate one annotation file and the text file it names.

    With ``release``, also refuse drafts and machine-made items that no person
    has checked (:data:`RELEASE_CHECKS`). Never raises on bad input: every
    problem is a finding.
    """
    path = Path(path)
    name = str(path)
    if not path.is_file():
        what = "a folder" if path.is_dir() else "no such file"
        return [Finding(name, "/", "file-missing", f"got {what}, expected an annotation file")]
    try:
        data, scan = _parse_annotation(path)
    except AnnotationError as err:
        return [_finding_of(name, err)]
    return validate_data(
        data, name, folder=path.parent, file_name=path.name, release=release, scan=scan
    )


def raise_findings(findings: Sequence[Finding], name: str) -> None:
    """Raise :class:`~sahel_corpus.errors.AnnotationError` listing ``findings``, if any."""
    if findings:
        lines = "\n".join(f.format() for f in findings)
        raise AnnotationError(
            f"{name}: {len(findings)} validation error(s):\n{lines}", findings=findings
        )


def _finding_of(name: str, err: AnnotationError) -> Finding:
    """A reading error as one finding: the place moves from the message to the pointer."""
    message = str(err).removeprefix(f"{name}: ")
    place, sep, rest = message.partition(": ")
    if sep and (place.startswith(("line ", "byte ")) or place == "/"):
        return Finding(name, place, err.code, rest)
    return Finding(name, "/", err.code, message)


def validate_data(
    data: Any,
    name: str,
    *,
    folder: Path | None = None,
    file_name: str | None = None,
    text: str | None = None,
    release: bool = False,
    scan: _Scan | None = None,
) -> list[Finding]:
    """Validate an annotation file's parsed content.

    The text is ``text`` if given (it is then the document's text exactly, as
    ``import`` builds a document in memory), else read from ``folder`` /
    ``document.text_file``. ``file_name`` enables the ``document-id`` check.
    ``scan`` is what the parser saw (floats, surrogate escapes); without it
    the data are searched.
    """
    if not isinstance(data, dict):
        return [
            Finding(name, "/", "json-schema", f"got a JSON {_json_type(data)}, expected an object")
        ]
    version = data.get("schema_version")
    if version not in inv.SCHEMA_VERSIONS:
        expected = " or ".join(_q(v) for v in inv.SCHEMA_VERSIONS)
        return [
            Finding(
                name,
                "/schema_version",
                "schema-version",
                f"got {_short(version)}, expected {expected}",
            )
        ]
    floats, surrogate = _scan_values(data) if scan is None else (scan.floats, None)
    if scan is not None and scan.surrogates:
        surrogate = _scan_values(data)[1]
    if surrogate is not None:
        return [
            Finding(
                name,
                surrogate,
                "text-encoding",
                "got a string with a lone UTF-16 surrogate (an escape such as \\ud800 "
                "without its pair), expected Unicode characters only",
            )
        ]
    structural = _check_structure(name, data, floats)
    if structural:
        return structural
    findings = _check_document_id(name, file_name, data) if file_name else []
    findings.extend(_check_metadata(name, data["document"]))
    if text is None:
        assert folder is not None, "validate_data needs the text or the folder of the file"
        text_path = folder / data["document"]["text_file"]
        text, text_findings = _read_text(text_path, data["document"]["text_sha256"], name)
    else:
        sha256 = data["document"]["text_sha256"]
        text_name = f"{name} (text)"
        text_findings = _text_findings(name, text_name, text, text.encode("utf-8"), sha256)
    findings.extend(text_findings)
    findings.extend(_check_ids(name, data))
    if text is None or text_findings:
        return findings
    findings.extend(_Checker(name, data, text).run())
    if release:
        findings.extend(_release_findings(name, data))
    return findings


def _json_type(value: object) -> str:
    return {list: "array", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number"
    )


def _release_findings(name: str, data: dict[str, Any]) -> list[Finding]:
    out = []
    if data["document"]["status"] == "draft":
        out.append(
            Finding(
                name,
                "/document/status",
                "draft-status",
                'got status "draft", expected "reviewed" or "gold" for a release',
            )
        )
    for layer in ANNOTATION_LAYERS:
        for i, item in enumerate(data.get(layer, [])):
            if item.get("machine"):
                out.append(
                    Finding(
                        name,
                        f"/{layer}/{i}/machine",
                        "machine-unreviewed",
                        f"got machine-made {layer[:-1]} {_q(item['id'])} that no "
                        "person has checked, expected the flag removed after review",
                    )
                )
    return out


@lru_cache(maxsize=1)
def _structure_validator() -> Any:
    """The JSON Schema validator, with integers that are ints (``0.0`` is not an offset)."""
    base = jsonschema.Draft202012Validator
    checker = base.TYPE_CHECKER.redefine(
        "integer", lambda _checker, value: isinstance(value, int) and not isinstance(value, bool)
    )
    strict = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
        base, {"pattern": _pattern}, type_checker=checker
    )
    return strict(load_shipped_schema())


def _pattern(validator: Any, pattern: str, instance: Any, _schema: Any) -> Iterator[Any]:
    r"""The ``pattern`` keyword as JSON Schema (ECMA 262) reads it, where ``$`` ends the string.

    Python's ``$`` also matches before a final newline, so with it ``"m1\n"``
    would pass as an id; an unescaped ``$`` is read as ``\Z``.
    """
    if validator.is_type(instance, "string") and not re.search(
        _ECMA_END.sub(r"\\Z", pattern), instance
    ):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


_ECMA_END = re.compile(r"(?<!\\)\$")


@lru_cache(maxsize=1)
def _fast_validator() -> Any:
    """The same schema in a compiled validator: a yes-or-no answer in milliseconds."""
    return jsonschema_rs.Draft202012Validator(load_shipped_schema())


def _scan_values(data: Any) -> tuple[bool, str | None]:
    """Whether ``data`` holds a float, and the pointer of a string with a lone surrogate.

    One walk without paths, by exact type first (what a parser makes), the
    strings searched together; the path of a surrogate is looked for only
    when there is one.
    """
    floats = False
    strings: list[str] = []
    stack: list[Any] = [data]
    pop, extend, keep = stack.pop, stack.extend, strings.append
    while stack:
        item = pop()
        kind = type(item)
        if kind is str:
            keep(item)
        elif kind is dict:
            extend(item.values())
        elif kind is list:
            extend(item)
        elif kind is float:
            floats = True
        elif isinstance(item, str):
            keep(item)
        elif isinstance(item, float):
            floats = True
        elif isinstance(item, dict):
            extend(item.values())
        elif isinstance(item, list):
            extend(item)
    if _SURROGATE.search("".join(strings)):
        return floats, _surrogate_pointer(data)
    return floats, None


def _surrogate_pointer(data: Any) -> str | None:
    """The pointer of the first string in ``data`` (depth first) with a lone surrogate."""
    stack: list[tuple[Any, tuple[object, ...]]] = [(data, ())]
    while stack:
        item, path = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return _pointer(path)
        elif isinstance(item, dict):
            stack.extend((v, (*path, k)) for k, v in item.items())
        elif isinstance(item, list):
            stack.extend((v, (*path, i)) for i, v in enumerate(item))
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _check_structure(name: str, data: dict[str, Any], floats: bool) -> list[Finding]:
    """Findings of the JSON Schema: a compiled check first, the detailed one only on failure.

    The compiled validator follows JSON Schema in counting ``0.0`` as an
    integer; the corpus does not, so a file with any float takes the detailed
    path, whose integers are Python ints.
    """
    if not floats and _fast_validator().is_valid(data):
        return []
    out: list[Finding] = []
    errors = _structure_validator().iter_errors(data)
    for err in sorted(errors, key=lambda e: list(map(str, e.absolute_path))):
        pointer = _pointer(list(err.absolute_path))
        if err.validator == "enum":
            allowed = ", ".join(err.validator_value)
            out.append(
                Finding(
                    name,
                    pointer,
                    "label-inventory",
                    f"got {_short(err.instance)}, expected one of {allowed}",
                )
            )
        elif err.validator == "anyOf" and _is_nullable_enum(err.validator_value):
            allowed = ", ".join(err.validator_value[0]["enum"])
            out.append(
                Finding(
                    name,
                    pointer,
                    "label-inventory",
                    f"got {_short(err.instance)}, expected null or one of {allowed}",
                )
            )
        else:
            out.append(Finding(name, pointer, "json-schema", _schema_message(err)))
    return out


def _schema_message(err: jsonschema.ValidationError) -> str:
    kind, got = err.validator, err.instance
    want: Any = err.validator_value
    if kind == "required" and isinstance(got, dict):
        missing = [k for k in want if k not in got]
        absent = ", ".join(map(_q, missing))
        return f"got an object without {absent}, expected keys {', '.join(want)}"
    if kind == "additionalProperties" and isinstance(got, dict):
        schema: Any = err.schema
        allowed = list(schema.get("properties", {}))
        extra = [k for k in got if k not in allowed]
        return f"got unknown key(s) {', '.join(map(_q, extra))}, expected only {', '.join(allowed)}"
    if kind == "type":
        return f"got {_short(got)}, expected a value of JSON type {want}"
    if kind == "pattern":
        return f"got {_short(got)}, expected a string matching {want}"
    if kind == "const":
        return f"got {_short(got)}, expected {_q(want)}"
    if kind in ("minimum", "minItems", "minLength"):
        return f"got {_short(got)}, expected {kind} {want}"
    if kind == "not" and want == {"required": ["events"]} and isinstance(got, dict):
        version = got.get("schema_version")
        return (
            f"got an events layer in a schema {_q(version)} file, expected none (events came "
            'with schema 1.1: set "schema_version": "1.1")'
        )
    return f"got {_short(got)}, expected {err.message} to hold ({kind})"


def _is_nullable_enum(options: Any) -> bool:
    return (
        isinstance(options, list)
        and len(options) == 2
        and isinstance(options[0], dict)
        and "enum" in options[0]
    )


def _short(value: object) -> str:
    text = _q(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _check_document_id(name: str, file_name: str, data: dict[str, Any]) -> list[Finding]:
    doc_id = data["document"]["id"]
    stem = file_name.removesuffix(".json")
    if stem == doc_id or stem.startswith(doc_id + "."):
        return []
    return [
        Finding(
            name,
            "/document/id",
            "document-id",
            f"got id {_q(doc_id)} in file {_q(file_name)}, expected the file to be named "
            f"{_q(doc_id + '.json')} (or {_q(doc_id + '.<pass>.json')})",
        )
    ]


def _check_metadata(name: str, meta: dict[str, Any]) -> list[Finding]:
    out = []
    published = meta["published"]
    if published is not None and not is_iso_date(published, times=True):
        out.append(
            Finding(
                name,
                "/document/published",
                "published-date",
                f"got {_short(published)}, expected an ISO 8601 date (YYYY, YYYY-MM, "
                "YYYY-MM-DD or a date and time such as 2023-08-14T09:30:00Z) or null",
            )
        )
    url = meta["url"]
    if url is not None and not is_url(url):
        out.append(
            Finding(
                name,
                "/document/url",
                "url-syntax",
                f"got {_short(url)}, expected an http or https address with a host, or null",
            )
        )
    return out


def _read_text(path: Path, sha256: str, name: str) -> tuple[str | None, list[Finding]]:
    if not path.is_file():
        what = "a folder" if path.is_dir() else "no file"
        return None, [
            Finding(
                name,
                "/document/text_file",
                "file-missing",
                f"got {what} at {_q(str(path))}, expected the document's text",
            )
        ]
    raw = path.read_bytes()
    try:
        text = decode_utf8(raw, str(path), AnnotationError)
    except AnnotationError as err:
        return None, [_finding_of(str(path), err)]
    return text, _text_findings(name, str(path), text, raw, sha256)


def _text_findings(name: str, tname: str, text: str, raw: bytes, sha256: str) -> list[Finding]:
    """The text rules as findings on the text file, and the checksum on the annotation file."""
    out = [Finding(tname, line_col(text, p.index), p.rule, p.message) for p in text_problems(text)]
    digest = hashlib.sha256(raw).hexdigest()
    if digest != sha256:
        out.append(
            Finding(
                name,
                "/document/text_sha256",
                "text-checksum",
                f"got {digest} for {Path(tname).name}, expected {sha256}: the text changed "
                "after annotation",
            )
        )
    return out


_NON_SPACE = re.compile(r"\S+")


def _check_ids(name: str, data: dict[str, Any]) -> list[Finding]:
    out: list[Finding] = []
    seen: dict[str, str] = {}
    items = [
        (f"/{layer}/{i}/id", item) for layer in LAYERS for i, item in enumerate(data.get(layer, []))
    ]
    items += [
        (f"/events/{i}/triggers/{j}/id", t)
        for i, e in enumerate(data.get("events", []))
        for j, t in enumerate(e["triggers"])
    ]
    for here, item in items:
        obj_id = item["id"]
        if obj_id == inv.AUTHOR:
            out.append(
                Finding(
                    name,
                    here,
                    "reserved-id",
                    f"got id {_q(obj_id)}, expected any id but the holder value {_q(inv.AUTHOR)}",
                )
            )
        if obj_id in seen:
            out.append(
                Finding(
                    name,
                    here,
                    "duplicate-id",
                    f"got id {_q(obj_id)} again (first at {seen[obj_id]}), expected unique ids",
                )
            )
        else:
            seen[obj_id] = here
    return out


class _Checker:
    """The checks that need the text and resolved references."""

    def __init__(self, name: str, data: dict[str, Any], text: str) -> None:
        self.name = name
        self.data = data
        self.text = text
        self.out: list[Finding] = []
        self.events: list[dict[str, Any]] = data.get("events", [])
        self.ids = {layer: {x["id"]: x for x in data.get(layer, [])} for layer in LAYERS}
        self.sentence_index: SpanIndex[dict[str, Any]] = SpanIndex(
            (x["start"], x["end"], x) for x in data["sentences"]
        )

    def add(self, pointer: str, check: str, message: str) -> None:
        self.out.append(Finding(self.name, pointer, check, message))

    def run(self) -> list[Finding]:
        spans_ok = self.check_spans()
        self.check_references()
        if spans_ok:
            self.check_zones()
            self.check_sentences()
            self.check_mentions()
        self.check_entities()
        self.check_relations()
        self.check_stances()
        self.check_events(spans_ok)
        return self.out

    def check_stances(self) -> None:
        seen: dict[tuple[object, ...], int] = {}
        for i, s in enumerate(self.data["stances"]):
            t = s["target"]
            target = (t["entity"],) if "entity" in t else (t["start"], t["end"])
            key = (s["holder"], *target)
            if key in seen:
                self.add(
                    f"/stances/{i}",
                    "duplicate-stance",
                    f"got a second stance of {_q(s['holder'])} on the same target (first at "
                    f"/stances/{seen[key]}), expected one stance per holder and target",
                )
            else:
                seen[key] = i

    # -- spans ------------------------------------------------------------------------------
    def spans(self) -> Iterator[tuple[str, dict[str, Any]]]:
        for layer in ("zones", "sentences", "mentions"):
            for i, item in enumerate(self.data[layer]):
                yield f"/{layer}/{i}", item
        for i, st in enumerate(self.data["stances"]):
            if "entity" not in st["target"]:
                yield f"/stances/{i}/target", st["target"]
        for i, ev in enumerate(self.events):
            for j, t in enumerate(ev["triggers"]):
                yield f"/events/{i}/triggers/{j}", t

    def check_spans(self) -> bool:
        ok = True
        n = len(self.text)
        for where, span in self.spans():
            start, end = span["start"], span["end"]
            if not 0 <= start < end <= n:
                self.add(
                    where,
                    "offset-range",
                    f"got start={start}, end={end}, expected 0 <= start < end <= {n}",
                )
                ok = False
                continue
            actual = self.text[start:end]
            if span["text"] != actual:
                self.add(
                    f"{where}/text",
                    "span-text",
                    f"got {_q(span['text'])}, expected text[{start}:{end}] = {_q(actual)}",
                )
                ok = False
            if actual != actual.strip():
                self.add(
                    where,
                    "span-whitespace",
                    f"got {_q(actual)} with white space at an edge, expected a span that "
                    "starts and ends on a non-space character",
                )
                ok = False
        return ok

    # -- references -------------------------------------------------------------------------
    def ref(self, pointer: str, value: str | None, layer: str, what: str) -> None:
        if value is None or value in self.ids[layer]:
            return
        kind = next((k for k, ids in self.ids.items() if value in ids), None)
        found = f"{_q(value)}, which is in {kind}" if kind else f"{_q(value)}, which names nothing"
        self.add(pointer, "unresolved-reference", f"got {found}, expected the id of {what}")

    def check_references(self) -> None:
        for i, s in enumerate(self.data["sentences"]):
            self.ref(f"/sentences/{i}/zone", s["zone"], "zones", "a zone")
        for i, m in enumerate(self.data["mentions"]):
            self.ref(f"/mentions/{i}/entity", m["entity"], "entities", "an entity")
        for i, r in enumerate(self.data["relations"]):
            self.ref(f"/relations/{i}/head", r["head"], "entities", "an entity")
            self.ref(f"/relations/{i}/tail", r["tail"], "entities", "an entity")
            self.ref(
                f"/relations/{i}/attributed_to",
                r["attributed_to"],
                "entities",
                "an entity (or null for the author)",
            )
            for j, ev in enumerate(r["evidence"]):
                self.ref(f"/relations/{i}/evidence/{j}", ev, "sentences", "a sentence")
        for i, s in enumerate(self.data["stances"]):
            if s["holder"] != inv.AUTHOR:
                self.ref(
                    f"/stances/{i}/holder",
                    s["holder"],
                    "entities",
                    f"an entity or {_q(inv.AUTHOR)}",
                )
            if "entity" in s["target"]:
                self.ref(
                    f"/stances/{i}/target/entity", s["target"]["entity"], "entities", "an entity"
                )
            self.ref(
                f"/stances/{i}/attributed_to",
                s["attributed_to"],
                "entities",
                "an entity (or null for the author)",
            )
            for j, ev in enumerate(s["evidence"]):
                self.ref(f"/stances/{i}/evidence/{j}", ev, "sentences", "a sentence")
        for i, e in enumerate(self.events):
            self.ref(
                f"/events/{i}/attributed_to",
                e["attributed_to"],
                "entities",
                "an entity (or null for the author)",
            )
            for j, a in enumerate(e["arguments"]):
                self.ref(f"/events/{i}/arguments/{j}/entity", a["entity"], "entities", "an entity")

    # -- zones and sentences ----------------------------------------------------------------
    def check_zones(self) -> None:
        zones = self.data["zones"]
        order = sorted(range(len(zones)), key=lambda i: (zones[i]["start"], zones[i]["end"]))
        covered, widest = 0, -1  # covered: end of the text covered so far; widest: its zone
        gaps: list[tuple[int, int]] = []
        for i in order:
            z = zones[i]
            if widest >= 0 and z["start"] < covered:
                self.add(
                    f"/zones/{i}",
                    "zone-overlap",
                    f"got zone {_q(z['id'])} sharing character {z['start']} with zone "
                    f"{_q(zones[widest]['id'])}, expected disjoint zones",
                )
            elif z["start"] > covered:
                gaps.append((covered, z["start"]))
            if z["end"] > covered:
                covered, widest = z["end"], i
        gaps.append((covered, len(self.text)))
        for a, b in gaps:
            for match in _NON_SPACE.finditer(self.text, a, b):
                k, e = match.span()
                self.add(
                    f"/zones ({line_col(self.text, k)})",
                    "zone-coverage",
                    f"got {_q(self.text[k:e])} at {k}:{e} in no zone, expected every "
                    "non-space character in exactly one zone",
                )
        boiler = SpanIndex(
            (z["start"], z["end"], z) for z in self.data["zones"] if z["type"] == "BOILERPLATE"
        )
        for where, span in self.spans():
            if where.startswith("/zones"):
                continue
            for z in boiler.overlapping(span["start"], span["end"]):
                self.add(
                    where,
                    "boilerplate-annotated",
                    f"got {_q(span['text'])} inside BOILERPLATE zone {_q(z['id'])}, "
                    "expected no annotation in boilerplate",
                )

    def check_sentences(self) -> None:
        sentences = self.data["sentences"]
        for i, s in enumerate(sentences):
            zone = self.ids["zones"].get(s["zone"])
            if zone is None:
                continue
            if not (zone["start"] <= s["start"] and s["end"] <= zone["end"]):
                self.add(
                    f"/sentences/{i}",
                    "sentence-zone",
                    f"got sentence {s['start']}:{s['end']} outside its zone "
                    f"{_q(zone['id'])} ({zone['start']}:{zone['end']}), expected it inside",
                )
        order = sorted(range(len(sentences)), key=lambda k: sentences[k]["start"])
        for a, b in itertools.pairwise(order):
            if sentences[b]["start"] < sentences[a]["end"]:
                self.add(
                    f"/sentences/{b}",
                    "sentence-overlap",
                    f"got sentence {_q(sentences[b]['id'])} starting at "
                    f"{sentences[b]['start']} inside sentence {_q(sentences[a]['id'])} "
                    f"(ends {sentences[a]['end']}), expected disjoint sentences",
                )
        by_zone: dict[str, list[dict[str, Any]]] = {}
        for s in sentences:
            by_zone.setdefault(s["zone"], []).append(s)
        for i, z in enumerate(self.data["zones"]):
            if z["type"] not in ("HEADLINE", "SUBHEADING"):
                continue
            inside = by_zone.get(z["id"], [])
            if len(inside) != 1 or (inside[0]["start"], inside[0]["end"]) != (z["start"], z["end"]):
                self.add(
                    f"/zones/{i}",
                    "heading-sentence",
                    f"got {len(inside)} sentence(s) in {z['type']} zone {_q(z['id'])}, "
                    f"expected exactly one spanning {z['start']}:{z['end']}",
                )

    # -- mentions ---------------------------------------------------------------------------
    def sentence_at(self, start: int, end: int) -> dict[str, Any] | None:
        return self.sentence_index.containing(start, end)

    def check_mentions(self) -> None:
        mentions = self.data["mentions"]
        starts: set[int] = set()
        ends: set[int] = set()
        for s in self.data["sentences"]:
            tokens = token_offsets(self.text, s["start"], s["end"])
            starts.update(a for a, _ in tokens)
            ends.update(b for _, b in tokens)
        outside: list[tuple[str, dict[str, Any]]] = []
        unaligned: list[tuple[str, dict[str, Any]]] = []
        for where, span in self.spans():
            if where.startswith(("/zones", "/sentences")):
                continue
            if self.sentence_at(span["start"], span["end"]) is None:
                outside.append((where, span))
            elif span["start"] not in starts or span["end"] not in ends:
                unaligned.append((where, span))
        for where, span in outside:
            self.add(
                where,
                "span-sentence",
                f"got {_q(span['text'])} at {span['start']}:{span['end']} outside "
                "every sentence, expected it inside one sentence",
            )
        for where, span in unaligned:
            self.add(
                where,
                "token-boundary",
                f"got {_q(span['text'])} at {span['start']}:{span['end']} with an edge "
                "inside a token, expected token-aligned edges (see sahel_corpus.tokenize)",
            )
        seen: dict[tuple[int, int, str], int] = {}
        for i, m in enumerate(mentions):
            key = (m["start"], m["end"], m["entity"])
            if key in seen:
                self.add(
                    f"/mentions/{i}",
                    "duplicate-mention",
                    f"got {_q(m['text'])} for entity {_q(m['entity'])} again (first at "
                    f"/mentions/{seen[key]}), expected each span once per entity",
                )
            else:
                seen[key] = i
        order = sorted(
            range(len(mentions)), key=lambda k: (mentions[k]["start"], -mentions[k]["end"])
        )
        for x, a in enumerate(order):
            ma = mentions[a]
            for y in range(x + 1, len(order)):
                b = order[y]
                mb = mentions[b]
                if mb["start"] >= ma["end"]:
                    break
                if mb["end"] > ma["end"]:
                    self.add(
                        f"/mentions/{b}",
                        "crossing-mentions",
                        f"got {_q(mb['text'])} ({mb['start']}:{mb['end']}) crossing "
                        f"{_q(ma['text'])} ({ma['start']}:{ma['end']}), expected nested or "
                        "disjoint mentions",
                    )

    # -- entities ---------------------------------------------------------------------------
    def check_entities(self) -> None:
        mentioned = {m["entity"] for m in self.data["mentions"]}
        for i, e in enumerate(self.data["entities"]):
            where = f"/entities/{i}"
            if e["id"] not in mentioned:
                self.add(
                    where,
                    "entity-without-mention",
                    f"got entity {_q(e['id'])} with no mention, expected at least one",
                )
            if e["type"] != "DATE" and e["normalized"] is not None:
                self.add(
                    f"{where}/normalized",
                    "entity-attribute",
                    f"got normalized={_q(e['normalized'])} on a {e['type']} entity, "
                    "expected null (only DATE entities are normalised)",
                )
            if e["type"] in inv.NAM_ONLY_TYPES and e["actor_category"] is not None:
                self.add(
                    f"{where}/actor_category",
                    "entity-attribute",
                    f"got actor_category={_q(e['actor_category'])} on a {e['type']} "
                    "entity, expected null",
                )
            normalized = e["normalized"]
            if e["type"] == "DATE" and normalized is not None and not is_iso_date(normalized):
                self.add(
                    f"{where}/normalized",
                    "date-normalized",
                    f"got {_q(normalized)}, expected YYYY, YYYY-MM or YYYY-MM-DD",
                )
        for i, m in enumerate(self.data["mentions"]):
            ent = self.ids["entities"].get(m["entity"])
            if ent and ent["type"] in inv.NAM_ONLY_TYPES and m["level"] != "NAM":
                self.add(
                    f"/mentions/{i}/level",
                    "value-mention-level",
                    f'got level {_q(m["level"])} on a {ent["type"]} mention, expected "NAM"',
                )

    # -- relations --------------------------------------------------------------------------
    def entity_sentences(self) -> dict[str, set[str]]:
        """The ids of the sentences that mention each entity."""
        out: dict[str, set[str]] = {}
        for m in self.data["mentions"]:
            s = self.sentence_at(m["start"], m["end"])
            if s is not None:
                out.setdefault(m["entity"], set()).add(s["id"])
        return out

    # -- events -----------------------------------------------------------------------------
    def check_events(self, spans_ok: bool) -> None:
        triggers = [
            (f"/events/{i}/triggers/{j}", t)
            for i, e in enumerate(self.events)
            for j, t in enumerate(e["triggers"])
        ]
        if spans_ok:
            order = sorted(triggers, key=lambda x: (x[1]["start"], x[1]["end"]))
            for (_, a), (where, b) in itertools.pairwise(order):
                if b["start"] < a["end"]:
                    self.add(
                        where,
                        "trigger-overlap",
                        f"got trigger {_q(b['text'])} ({b['start']}:{b['end']}) overlapping "
                        f"trigger {_q(a['text'])} ({a['start']}:{a['end']}), expected "
                        "triggers that share no character",
                    )
        mentioned = self.entity_sentences()
        for i, e in enumerate(self.events):
            roles = inv.ROLES_OF_EVENT_TYPE.get(e["type"], ())
            trigger_sentences = {
                s["id"]
                for t in e["triggers"]
                if (s := self.sentence_at(t["start"], t["end"])) is not None
            }
            given: dict[tuple[str, str], int] = {}
            for j, a in enumerate(e["arguments"]):
                where = f"/events/{i}/arguments/{j}"
                first = given.setdefault((a["role"], a["entity"]), j)
                if first != j:
                    self.add(
                        where,
                        "duplicate-argument",
                        f"got {a['role']} {_q(a['entity'])} again (argument {first} already "
                        "gives it), expected an entity in one role once per event",
                    )
                if e["type"] in inv.ROLES_OF_EVENT_TYPE and a["role"] not in roles:
                    self.add(
                        f"{where}/role",
                        "event-role",
                        f"got role {a['role']} on a {e['type']} event, expected one of "
                        f"{', '.join(roles)}",
                    )
                entity = self.ids["entities"].get(a["entity"])
                if entity is None:
                    continue  # unresolved-reference says so
                allowed = inv.ROLE_ENTITY_TYPES.get(a["role"], ())
                if a["role"] in inv.ROLE_ENTITY_TYPES and entity["type"] not in allowed:
                    self.add(
                        f"{where}/entity",
                        "argument-entity-type",
                        f"got {entity['type']} entity {_q(a['entity'])} as {a['role']}, "
                        f"expected an entity of type {', '.join(allowed)}",
                    )
                if trigger_sentences and not mentioned.get(a["entity"], set()) & trigger_sentences:
                    self.add(
                        f"{where}/entity",
                        "argument-sentence",
                        f"got entity {_q(a['entity'])} with no mention in the sentences of the "
                        f"event's triggers ({', '.join(sorted(trigger_sentences))}), expected "
                        "it mentioned in one of them",
                    )

    def check_relations(self) -> None:
        seen: dict[tuple[str, str, str], int] = {}
        entity_sentences: dict[str, set[str]] = {}
        for m in self.data["mentions"]:
            s = self.sentence_at(m["start"], m["end"])
            if s is not None:
                entity_sentences.setdefault(m["entity"], set()).add(s["id"])
        for i, r in enumerate(self.data["relations"]):
            where = f"/relations/{i}"
            if r["head"] == r["tail"]:
                self.add(
                    where,
                    "self-relation",
                    f"got head and tail {_q(r['head'])}, expected two different entities",
                )
            key = (r["type"], r["head"], r["tail"])
            if inv.is_symmetric(r["type"]):
                low, high = sorted((r["head"], r["tail"]))
                key = (r["type"], low, high)
            if key in seen:
                extra = (
                    " (symmetric types count either direction)"
                    if inv.is_symmetric(r["type"])
                    else ""
                )
                self.add(
                    where,
                    "duplicate-relation",
                    f"got {r['type']}({r['head']}, {r['tail']}) again (first at "
                    f"/relations/{seen[key]}){extra}, expected each relation once",
                )
            else:
                seen[key] = i
            evidence = set(r["evidence"])
            for role in ("head", "tail"):
                ent = r[role]
                if (
                    ent in self.ids["entities"]
                    and evidence
                    and evidence <= self.ids["sentences"].keys()
                    and not (entity_sentences.get(ent, set()) & evidence)
                ):
                    self.add(
                        f"{where}/evidence",
                        "evidence-mentions",
                        f"got evidence {sorted(evidence)} with no mention of {role} "
                        f"{_q(ent)}, expected a sentence that mentions it",
                    )
