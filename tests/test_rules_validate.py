"""The validator's plumbing at its edges: the report line and summary, JSON pointers with
escapes, values shortened in messages, reading errors turned into findings, the checks that
only a release applies, and data that is not an object."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from _paths import FIXTURES
from sahel_corpus.errors import AnnotationError
from sahel_corpus.validate import (
    Finding,
    Report,
    raise_findings,
    read_annotation,
    validate_data,
    validate_file,
    validate_paths,
)

INVALID = FIXTURES / "invalid"


def _got_expected(message: str) -> tuple[str, str]:
    match = re.fullmatch(r"got (.+), expected (.+)", message, re.DOTALL)
    assert match, message
    return match[1], match[2]


def _finding(check: str, file: str = "a.json") -> Finding:
    return Finding(file, "/x", check, "got 1, expected 2")


# -- Finding and Report -------------------------------------------------------------------------


def test_a_finding_formats_as_file_place_check_and_message() -> None:
    assert _finding("span-text").format() == "a.json:/x: error [span-text] got 1, expected 2"


def test_an_empty_report_is_ok_and_says_so() -> None:
    report = Report(files=["a.json", "b.json"])
    assert report.ok
    assert report.counts() == {}
    assert report.format_text() == "2 file(s) checked: no errors"
    assert report.to_json() == {
        "files": ["a.json", "b.json"],
        "errors": 0,
        "counts": {},
        "findings": [],
    }


def test_a_report_counts_each_check_most_frequent_first() -> None:
    findings = [_finding("span-text"), _finding("duplicate-id"), _finding("duplicate-id")]
    report = Report(files=["a.json"], findings=findings)
    assert not report.ok
    assert list(report.counts().items()) == [("duplicate-id", 2), ("span-text", 1)]
    lines = report.format_text().splitlines()
    assert lines[:3] == [f.format() for f in findings]
    assert lines[3] == "1 file(s) checked: 3 error(s) (duplicate-id: 2, span-text: 1)"
    data = report.to_json()
    assert data["errors"] == 3 and data["files"] == ["a.json"]
    assert data["counts"] == {"duplicate-id": 2, "span-text": 1}
    assert data["findings"][0] == {
        "file": "a.json",
        "pointer": "/x",
        "check": "span-text",
        "message": "got 1, expected 2",
    }
    json.dumps(data)  # plain JSON


def test_raise_findings_raises_only_when_there_are_findings() -> None:
    raise_findings([], "a.json")
    findings = [_finding("span-text"), _finding("duplicate-id")]
    with pytest.raises(AnnotationError) as caught:
        raise_findings(findings, "a.json")
    assert caught.value.code == "invalid-annotation"
    assert caught.value.findings == tuple(findings)
    lines = str(caught.value).splitlines()
    assert lines[0].startswith("a.json: 2 ")
    assert lines[1:] == [f.format() for f in findings]


# -- data that is not an object, versions, shortened values --------------------------------------


@pytest.mark.parametrize(
    ("data", "kind"),
    [([], "array"), ("x", "string"), (True, "boolean"), (None, "null"), (1.5, "number")],
)
def test_data_that_is_not_an_object_names_its_json_type(data: Any, kind: str) -> None:
    [finding] = validate_data(data, "a.json", text="")
    assert (finding.file, finding.pointer, finding.check) == ("a.json", "/", "json-schema")
    assert _got_expected(finding.message)[0] == f"a JSON {kind}"


@pytest.mark.parametrize(
    ("version", "got"),
    [
        ("x" * 58, '"' + "x" * 58 + '"'),  # 60 characters quoted: kept whole
        ("x" * 59, '"' + "x" * 56 + "..."),  # 61: cut to 57 and an ellipsis
        (None, "null"),
    ],
)
def test_an_unknown_schema_version_is_quoted_and_shortened(version: Any, got: str) -> None:
    [finding] = validate_data({"schema_version": version}, "a.json", text="")
    assert (finding.pointer, finding.check) == ("/schema_version", "schema-version")
    found, expected = _got_expected(finding.message)
    assert found == got
    assert re.findall(r'"([^"]*)"', expected) == ["1.0", "1.1"]


def test_a_lone_surrogate_is_found_and_its_pointer_escaped() -> None:
    data = {"schema_version": "1.1", "a/b~c": [{"x": 1.0}, {"y": "\ud800"}]}
    [finding] = validate_data(data, "a.json", text="")
    assert (finding.pointer, finding.check) == ("/a~1b~0c/1/y", "text-encoding")
    assert finding.message.startswith("got ") and ", expected " in finding.message


# -- reading errors as findings -----------------------------------------------------------------


def test_reading_errors_move_their_place_into_the_pointer() -> None:
    name = str(INVALID / "json-syntax" / "mini.json")
    [finding] = validate_file(name)
    assert (finding.file, finding.pointer, finding.check) == (
        name,
        "line 5, column 1",
        "json-syntax",
    )
    assert finding.message.startswith("got ")
    [finding] = validate_file(INVALID / "json-duplicate-key" / "mini.json")
    assert (finding.pointer, finding.check) == ("/", "json-duplicate-key")
    assert finding.message.startswith("got ")


def test_a_file_that_is_not_utf8_is_a_finding_at_its_byte(tmp_path: Path) -> None:
    path = tmp_path / "mini.json"
    path.write_bytes(b'{"a":\n "\xff"}')
    [finding] = validate_file(path)
    assert (finding.file, finding.check) == (str(path), "text-encoding")
    assert finding.pointer.startswith("line 2, byte ")
    assert finding.message.startswith("got ")
    with pytest.raises(AnnotationError) as caught:
        read_annotation(path)
    assert caught.value.code == "text-encoding"


def test_a_folder_is_not_an_annotation_file(tmp_path: Path) -> None:
    [finding] = validate_file(tmp_path)
    assert (finding.pointer, finding.check) == ("/", "file-missing")
    assert _got_expected(finding.message)[0] == "a folder"
    [finding] = validate_file(tmp_path / "absent.json")
    assert _got_expected(finding.message)[0] == "no such file"


# -- release checks -----------------------------------------------------------------------------


def test_a_draft_is_refused_only_for_a_release() -> None:
    path = INVALID / "draft-status" / "mini.json"
    assert validate_file(path) == []
    [finding] = validate_file(path, release=True)
    assert (finding.pointer, finding.check) == ("/document/status", "draft-status")


@pytest.mark.parametrize(
    ("file", "pointer", "item"),
    [
        ("mini.json", "/mentions/0/machine", 'mention "m1"'),
        ("mini.events.json", "/events/0/machine", 'event "ev1"'),
    ],
)
def test_machine_made_items_are_refused_only_for_a_release(
    file: str, pointer: str, item: str
) -> None:
    path = INVALID / "machine-unreviewed" / file
    assert validate_file(path) == []
    [finding] = validate_file(path, release=True)
    assert (finding.pointer, finding.check) == (pointer, "machine-unreviewed")
    got, _ = _got_expected(finding.message)
    assert item in got


def test_a_missing_file_names_itself(tmp_path: Path) -> None:
    [finding] = validate_file(tmp_path / "absent.json")
    assert finding.file == str(tmp_path / "absent.json")


def test_a_duplicate_key_holding_a_colon_keeps_its_place(tmp_path: Path) -> None:
    path = tmp_path / "mini.json"
    path.write_text('{"a: b": 1, "a: b": 2}', encoding="utf-8")
    [finding] = validate_file(path)
    assert (finding.file, finding.pointer, finding.check) == (str(path), "/", "json-duplicate-key")
    assert finding.message.startswith('got key "a: b" twice')


def test_a_reading_error_without_a_place_is_at_the_root(tmp_path: Path) -> None:
    path = tmp_path / "mini.json"
    path.write_text('{"a": ' + "9" * 5000 + "}", encoding="utf-8")
    [finding] = validate_file(path)
    assert (finding.file, finding.pointer, finding.check) == (str(path), "/", "json-syntax")
    assert finding.message.startswith("got an integer too long")
    assert _got_expected(finding.message)


def test_a_float_offset_is_refused_without_the_parsers_scan() -> None:
    data = json.loads((FIXTURES / "valid" / "mini.json").read_text(encoding="utf-8"))
    assert validate_data(data, "mini.json", folder=FIXTURES / "valid") == []
    data["mentions"][0]["start"] = float(data["mentions"][0]["start"])
    findings = validate_data(data, "mini.json", folder=FIXTURES / "valid")
    assert [(f.pointer, f.check) for f in findings] == [("/mentions/0/start", "json-schema")]


class _Str(str):
    pass


class _Float(float):
    pass


class _Dict(dict):  # type: ignore[type-arg]
    pass


class _List(list):  # type: ignore[type-arg]
    pass


def test_values_of_subclassed_types_are_scanned_as_their_base_types() -> None:
    # what a caller builds in memory may hold subclasses of the parser's types
    data = json.loads((FIXTURES / "valid" / "mini.json").read_text(encoding="utf-8"))
    data["mentions"] = _List([_Dict(m) for m in data["mentions"]])
    assert validate_data(data, "mini.json", folder=FIXTURES / "valid") == []
    data["mentions"][0]["start"] = _Float(data["mentions"][0]["start"])
    findings = validate_data(data, "mini.json", folder=FIXTURES / "valid")
    assert [(f.pointer, f.check) for f in findings] == [("/mentions/0/start", "json-schema")]
    for bad in (_Str("\udc00"), _List([_Str("a"), "\ud800"]), _Dict(k=_Str("\udfff"))):
        data = {"schema_version": "1.1", "x": [1, True, None, bad]}
        [finding] = validate_data(data, "a.json", text="")
        assert finding.check == "text-encoding"
        assert finding.pointer.startswith("/x/3")


def test_surrogates_are_found_in_any_string_and_not_across_strings() -> None:
    for value in (["a\ud800"], ["\udbff", "x"], [{"k": ["\udfffz"]}]):
        [finding] = validate_data({"schema_version": "1.1", "v": value}, "a.json", text="")
        assert finding.check == "text-encoding"
    # a high and a low surrogate in two strings are two lone surrogates, never a pair
    [finding] = validate_data({"schema_version": "1.1", "v": ["\ud83d", "\ude00"]}, "a", text="")
    assert (finding.pointer, finding.check) == ("/v/1", "text-encoding")


# -- JSON Schema findings: the values each message names ----------------------------------------

VALID = FIXTURES / "valid"


def _schema_findings(change: Callable[[dict[str, Any]], object]) -> list[tuple[str, str, str, str]]:
    data = json.loads((VALID / "mini.json").read_text(encoding="utf-8"))
    change(data)
    out = []
    for f in validate_data(data, "mini.json", folder=VALID):
        got, expected = _got_expected(f.message)
        out.append((f.pointer, f.check, got, expected))
    return out


def _values(part: str) -> list[str]:
    """The quoted names and the comma-separated list at the end of a message part."""
    return re.findall(r'"([^"]*)"', part)


def test_a_missing_key_names_the_keys_missing_and_the_keys_expected() -> None:
    def change(data: dict[str, Any]) -> None:
        del data["mentions"][0]["text"], data["mentions"][0]["level"]

    # (jsonschema reports each missing key; each finding names them all)
    [(pointer, check, got, expected)] = set(_schema_findings(change))
    assert (pointer, check) == ("/mentions/0", "json-schema")
    assert _values(got) == ["text", "level"]
    assert got.endswith('"text", "level"')
    assert expected.endswith("id, entity, start, end, text, level")


def test_an_unknown_key_is_named_with_the_keys_allowed() -> None:
    [(pointer, check, got, expected)] = _schema_findings(
        lambda data: data["mentions"][0].update({"zz": 1, "aa": 2})
    )
    assert (pointer, check) == ("/mentions/0", "json-schema")
    assert _values(got) == ["zz", "aa"]
    assert got.endswith('"zz", "aa"')
    assert expected.endswith("id, entity, start, end, text, level, machine")
    assert '"' not in expected


@pytest.mark.parametrize(
    ("field", "value", "got", "wanted"),
    [
        ("text", 5, "5", "string"),  # type
        ("id", "1bad", '"1bad"', "^[A-Za-z][A-Za-z0-9_-]*$"),  # pattern
        ("start", -1, "-1", "minimum 0"),  # minimum
        ("text", {}, "{}", "string"),  # an object where a string belongs
    ],
)
def test_a_wrong_value_is_quoted_with_what_was_wanted(
    field: str, value: object, got: str, wanted: str
) -> None:
    [finding] = _schema_findings(lambda data: data["mentions"][0].update({field: value}))
    assert finding[:3] == (f"/mentions/0/{field}", "json-schema", got)
    assert finding[3].endswith(wanted)


def test_a_too_short_string_names_the_least_length() -> None:
    [finding] = _schema_findings(lambda data: data["document"].update({"title": ""}))
    assert finding[:3] == ("/document/title", "json-schema", '""')
    assert finding[3].endswith("minLength 1")


def test_a_label_outside_the_inventory_lists_the_labels() -> None:
    [finding] = _schema_findings(lambda data: data["mentions"][0].update({"level": "XXX"}))
    assert finding[:3] == ("/mentions/0/level", "label-inventory", '"XXX"')
    assert finding[3].endswith("NAM, NOM, PRO")
    assert "null" not in finding[3]


def test_a_nullable_label_outside_the_inventory_says_null_is_allowed() -> None:
    [finding] = _schema_findings(lambda data: data["entities"][0].update({"actor_category": "XXX"}))
    assert finding[:3] == ("/entities/0/actor_category", "label-inventory", '"XXX"')
    assert "null" in finding[3]
    assert finding[3].endswith(
        "STATE_FORCES, GOVERNMENT, ARMED_GROUP, INTERNATIONAL, "
        "PRIVATE_MILITARY, FOREIGN_STATE, MEDIA, CIVILIANS, OTHER"
    )


def test_an_empty_list_of_evidence_names_the_least_count() -> None:
    [finding] = _schema_findings(lambda data: data["relations"][0].update({"evidence": []}))
    assert finding[:3] == ("/relations/0/evidence", "json-schema", "[]")
    assert finding[3].endswith("minItems 1")


def test_a_value_matching_no_alternative_names_the_keyword() -> None:
    # url is a non-empty string or null: "" is neither (anyOf without an inventory)
    [finding] = _schema_findings(lambda data: data["document"].update({"url": ""}))
    assert finding[:3] == ("/document/url", "json-schema", '""')
    assert finding[3].endswith("(anyOf)")


def test_a_file_named_after_another_id_is_found_at_the_document_id() -> None:
    [finding] = validate_file(INVALID / "document-id" / "other.json")
    assert (finding.pointer, finding.check) == ("/document/id", "document-id")
    got, expected = _got_expected(finding.message)
    assert _values(got) == ["mini", "other.json"]
    assert _values(expected) == ["mini.json", "mini.<pass>.json"]


def test_a_report_lists_the_files_it_checked_in_order() -> None:
    report = validate_paths([VALID, INVALID / "document-id" / "other.json"])
    assert report.files == [
        str(VALID / "mini.events.json"),
        str(VALID / "mini.json"),
        str(INVALID / "document-id" / "other.json"),
    ]
    assert [f.check for f in report.findings] == ["document-id"]
