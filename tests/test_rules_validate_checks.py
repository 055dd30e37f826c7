"""The validator's checks at their edges: each rule broken by one small edit of the valid
mini document (or its events file), beside a near-miss at the rule's boundary that
validates clean.

Findings are compared by file, place (a JSON pointer) and check id; of a message only the
values it names are compared (the quoted ids and texts of "got X, expected Y"), never its
prose. The documents come from the generator of the fixtures (``make_fixtures.py``), so
each test starts from the valid document and changes what its rule is about.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_rules_validate import _got_expected, _values

from _paths import FIXTURES
from corpora import _fixtures
from sahel_corpus import schema as inv
from sahel_corpus.validate import Finding, validate_data, validate_file

VALID = FIXTURES / "valid"
NAME = "mini.json"
EVENTS = "mini.events.json"
MAKE = _fixtures()  # the fixtures' generator: valid(), with_events(), span(), TEXT, ...


def _doc(events: bool = False) -> dict[str, Any]:
    """A fresh valid document (with ``events``, the schema 1.1 file with events)."""
    data: dict[str, Any] = MAKE.valid()
    return MAKE.with_events(data) if events else data


def _run(data: dict[str, Any], **kwargs: Any) -> list[Finding]:
    """Validate ``data`` as the annotation file beside the valid text."""
    name = EVENTS if "events" in data else NAME
    if "text" not in kwargs:
        kwargs["folder"] = VALID
    return validate_data(data, name, **kwargs)


def _places(findings: list[Finding]) -> list[tuple[str, str]]:
    """(place, check) of each finding, after checking it is on the annotation file."""
    for f in findings:
        assert f.file in (NAME, EVENTS), f
    return [(f.pointer, f.check) for f in findings]


def _found(data: dict[str, Any], **kwargs: Any) -> list[tuple[str, str]]:
    return _places(_run(data, **kwargs))


def _only(data: dict[str, Any], pointer: str, check: str) -> tuple[str, str]:
    """The one finding of ``data``, at ``pointer`` by ``check``: its (got, expected)."""
    [finding] = _run(data)
    assert (finding.file, finding.pointer, finding.check) == (
        EVENTS if "events" in data else NAME,
        pointer,
        check,
    )
    got_expected: tuple[str, str] = _got_expected(finding.message)
    return got_expected


def _of(findings: list[Finding], check: str) -> list[Finding]:
    """The findings of one check."""
    return [f for f in findings if f.check == check]


def _edited(edit: Callable[[str], str]) -> tuple[dict[str, Any], str]:
    """The valid document of an edited text (every span found anew), and that text."""
    text = edit(MAKE.TEXT)
    data: dict[str, Any] = MAKE.valid(edit)
    data["document"]["text_sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return data, text


def _span(piece: str, occurrence: int = 0) -> dict[str, Any]:
    """start, end and text of ``piece`` in the mini text."""
    out: dict[str, Any] = MAKE.span(piece, occurrence)
    return out


def test_the_documents_the_tests_start_from_are_valid() -> None:
    assert _found(_doc()) == []
    assert _found(_doc(events=True)) == []


# -- reading the file: floats and lone surrogates seen by the parser ---------------------------


def _write(tmp_path: Path, json_text: str) -> Path:
    shutil.copy(VALID / "mini.txt", tmp_path / "mini.txt")
    path = tmp_path / NAME
    path.write_text(json_text, encoding="utf-8")
    return path


def test_an_integral_float_offset_in_a_file_is_refused(tmp_path: Path) -> None:
    # 0.0 is an integer to JSON Schema; only the parser's record of floats tells it apart
    text = (VALID / NAME).read_text(encoding="utf-8")
    path = _write(tmp_path, text.replace('"start": 0,\n      "end": 6,', '"start": 0.0, "end": 6,'))
    findings = validate_file(path)
    assert [(f.file, f.pointer, f.check) for f in findings] == [
        (str(path), "/mentions/0/start", "json-schema")
    ]


def test_an_integer_offset_in_a_file_is_accepted(tmp_path: Path) -> None:
    # near-miss: the same file with the offset written as an integer validates
    path = _write(tmp_path, (VALID / NAME).read_text(encoding="utf-8"))
    assert validate_file(path) == []


def test_a_lone_surrogate_escape_in_a_file_is_found(tmp_path: Path) -> None:
    text = (VALID / NAME).read_text(encoding="utf-8")
    path = _write(tmp_path, text.replace('"Example Press"', '"Example \\ud800Press"'))
    [finding] = validate_file(path)
    assert (finding.file, finding.pointer, finding.check) == (
        str(path),
        "/document/publisher",
        "text-encoding",
    )


def test_a_surrogate_pair_escape_in_a_file_is_a_character(tmp_path: Path) -> None:
    text = (VALID / NAME).read_text(encoding="utf-8")
    path = _write(tmp_path, text.replace('"Example Press"', '"Example \\ud83d\\udcf0 Press"'))
    assert "\\ud83d\\udcf0" in path.read_text(encoding="utf-8")
    assert validate_file(path) == []


# -- validate_data's own arguments -------------------------------------------------------------


def test_validate_data_applies_the_release_checks_only_when_asked() -> None:
    data = _doc()
    data["document"]["status"] = "draft"
    assert _found(data) == []
    assert _found(data, release=True) == [("/document/status", "draft-status")]


def test_an_unknown_schema_version_lists_the_versions_read() -> None:
    [finding] = validate_data({"schema_version": "0.9"}, NAME, text="")
    assert _got_expected(finding.message) == ('"0.9"', '"1.0" or "1.1"')


def test_a_text_given_in_memory_is_checked_like_a_text_file() -> None:
    data, text = _doc(), MAKE.TEXT
    assert _found(data, text=text) == []
    # a text rule: the finding is on the text, named after the annotation file
    edited = text.replace("Advertisement", "Advertisement\x0c")
    data["document"]["text_sha256"] = hashlib.sha256(edited.encode("utf-8")).hexdigest()
    findings = _run(data, text=edited)
    assert [(f.file, f.pointer, f.check) for f in findings] == [
        (f"{NAME} (text)", "line 5, column 14", "text-control")
    ]


def test_a_text_given_in_memory_is_checked_against_its_checksum() -> None:
    data = _doc()
    text = MAKE.TEXT + "\n"
    [finding] = _run(data, text=text)
    assert (finding.file, finding.pointer, finding.check) == (
        NAME,
        "/document/text_sha256",
        "text-checksum",
    )
    got, expected = _got_expected(finding.message)
    assert got.startswith(hashlib.sha256(text.encode("utf-8")).hexdigest())
    assert expected.startswith(data["document"]["text_sha256"] + ":")


# -- JSON Schema messages ----------------------------------------------------------------------


def test_a_stance_target_of_neither_kind_names_the_keyword() -> None:
    data = _doc()
    data["stances"][0]["target"] = {"entity": "e5", "start": 40}
    [finding] = _run(data)
    assert (finding.pointer, finding.check) == ("/stances/0/target", "json-schema")
    assert _got_expected(finding.message)[1].endswith("(oneOf)")


def test_a_nullable_label_outside_the_inventory_is_on_the_annotation_file() -> None:
    data = _doc()
    data["entities"][0]["actor_category"] = "XXX"
    got, _ = _only(data, "/entities/0/actor_category", "label-inventory")
    assert got == '"XXX"'


# -- document metadata -------------------------------------------------------------------------


def test_a_published_date_that_is_not_iso_is_found_at_published() -> None:
    data = _doc()
    data["document"]["published"] = "14 August 2023"
    got, _ = _only(data, "/document/published", "published-date")
    assert got == '"14 August 2023"'
    data["document"]["published"] = "2023-08-14"  # near-miss
    assert _found(data) == []


def test_a_url_without_a_scheme_is_found_at_url() -> None:
    data = _doc()
    data["document"]["url"] = "www.example.org/a"
    got, _ = _only(data, "/document/url", "url-syntax")
    assert got == '"www.example.org/a"'
    data["document"]["url"] = "https://www.example.org/a"  # near-miss
    assert _found(data) == []


# -- the text file -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text_file", "what"),
    [("../valid", "a folder"), ("absent.txt", "no file")],
)
def test_a_text_file_that_is_not_there_is_found_at_text_file(text_file: str, what: str) -> None:
    data = _doc()
    data["document"]["text_file"] = text_file
    got, _ = _only(data, "/document/text_file", "file-missing")
    assert got.startswith(f"{what} at ")
    assert _values(got) == [str(VALID / text_file)]


def test_a_changed_text_is_found_at_the_checksum(tmp_path: Path) -> None:
    data = _doc()
    (tmp_path / "mini.txt").write_text(MAKE.TEXT + "\n", encoding="utf-8", newline="\n")
    [finding] = validate_data(data, NAME, folder=tmp_path)
    assert (finding.file, finding.pointer, finding.check) == (
        NAME,
        "/document/text_sha256",
        "text-checksum",
    )


# -- ids ---------------------------------------------------------------------------------------


def test_a_reserved_id_names_the_id_and_the_holder_value() -> None:
    data = _doc()
    data["relations"][0]["id"] = "AUTHOR"
    got, expected = _only(data, "/relations/0/id", "reserved-id")
    assert _values(got) == ["AUTHOR"]
    assert _values(expected) == ["AUTHOR"]
    data["relations"][0]["id"] = "AUTHORS"  # near-miss
    assert _found(data) == []


def test_a_duplicate_id_names_the_id_and_its_first_place() -> None:
    data = _doc()
    data["stances"][1]["id"] = "r2"
    got, _ = _only(data, "/stances/1/id", "duplicate-id")
    assert _values(got) == ["r2"]
    assert "(first at /relations/1/id)" in got


# -- spans -------------------------------------------------------------------------------------


def test_an_empty_span_is_out_of_range_not_a_text_mismatch() -> None:
    data = _doc()
    data["mentions"][0]["end"] = 0
    assert _found(data) == [("/mentions/0", "offset-range")]


def test_the_spans_after_one_out_of_range_are_still_checked() -> None:
    data = _doc()
    data["mentions"][0]["end"] = 10_000
    data["mentions"][8]["text"] = "Six"
    assert _found(data) == [("/mentions/0", "offset-range"), ("/mentions/8/text", "span-text")]


def test_a_span_of_the_wrong_text_skips_the_checks_that_need_right_spans() -> None:
    # "Wagne" ends inside a token, but a wrong span text makes the span checks stop there
    data = _doc()
    data["mentions"][0]["end"] = 5
    assert _found(data) == [("/mentions/0/text", "span-text")]
    data["mentions"][0]["text"] = "Wagne"  # the text right: now the token check runs
    assert _found(data) == [("/mentions/0", "token-boundary")]


def test_a_span_with_white_space_skips_the_checks_that_need_right_spans() -> None:
    data = _doc()
    data["stances"][1]["target"].update(_span("attacked the CMA "))
    assert _found(data) == [("/stances/1/target", "span-whitespace")]
    got, _ = _got_expected(_run(data)[0].message)
    assert _values(got) == ["attacked the CMA "]


# -- references --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("events", "pointer", "what"),
    [
        (False, "/sentences/1/zone", "a zone"),
        (False, "/mentions/6/entity", "an entity"),
        (False, "/relations/0/head", "an entity"),
        (False, "/relations/0/tail", "an entity"),
        (False, "/relations/0/attributed_to", "an entity (or null for the author)"),
        (False, "/relations/0/evidence/0", "a sentence"),
        (False, "/stances/0/holder", 'an entity or "AUTHOR"'),
        (False, "/stances/0/target/entity", "an entity"),
        (False, "/stances/0/attributed_to", "an entity (or null for the author)"),
        (False, "/stances/0/evidence/0", "a sentence"),
        (True, "/events/1/attributed_to", "an entity (or null for the author)"),
        (True, "/events/1/arguments/0/entity", "an entity"),
    ],
)
def test_a_reference_to_nothing_is_found_where_it_is(events: bool, pointer: str, what: str) -> None:
    data = _doc(events)
    MAKE._set(pointer, "x9")(data)
    [finding] = _of(_run(data), "unresolved-reference")  # (others may follow from it)
    assert (finding.file, finding.pointer) == (EVENTS if events else NAME, pointer)
    got, expected = _got_expected(finding.message)
    assert got == '"x9", which names nothing'
    assert expected == f"the id of {what}"


def test_a_reference_to_an_object_of_another_layer_names_that_layer() -> None:
    data = _doc()
    data["relations"][0]["tail"] = "s2"
    got, expected = _only(data, "/relations/0/tail", "unresolved-reference")
    assert got == '"s2", which is in sentences'
    assert expected == "the id of an entity"
    data["relations"][0]["tail"] = "e5"  # near-miss: the entity the sentence mentions
    assert _found(data) == []


# -- zones -------------------------------------------------------------------------------------


def test_zones_given_out_of_order_are_checked_in_text_order() -> None:
    data = _doc()
    data["zones"].reverse()
    assert _found(data) == []


def test_a_zone_overlapping_the_first_zone_given_is_found() -> None:
    data = _doc()
    data["zones"] += [
        {"id": "z4", "type": "BODY", **_span("Ber Base")},
        {"id": "z5", "type": "BODY", **_span("Base")},
    ]
    findings = _run(data)
    assert _places(findings) == [("/zones/3", "zone-overlap"), ("/zones/4", "zone-overlap")]
    # each names itself and the zone that covered the text so far (the widest, z1)
    assert [_values(_got_expected(f.message)[0]) for f in findings] == [
        ["z4", "z1"],
        ["z5", "z1"],
    ]


def test_a_zone_inside_a_sentence_is_not_held_to_token_boundaries() -> None:
    # z4 ends inside "army": only its overlap is a finding, tokens are for mentions
    data = _doc()
    data["zones"].append({"id": "z4", "type": "BODY", **_span("Malian ar")})
    assert _found(data) == [("/zones/3", "zone-overlap")]


def test_text_before_the_first_zone_is_found() -> None:
    data, text = _edited(lambda t: "X " + t if t == MAKE.TEXT else t)
    findings = _run(data, text=text)
    assert _places(findings) == [("/zones (line 1, column 1)", "zone-coverage")]
    assert _values(_got_expected(findings[0].message)[0]) == ["X"]


def test_white_space_before_the_first_zone_is_not_found() -> None:
    data, text = _edited(lambda t: "  " + t if t == MAKE.TEXT else t)
    assert _found(data, text=text) == []


def test_an_annotation_in_boilerplate_names_its_text_and_the_zone() -> None:
    data = _doc(events=True)
    data["events"][2]["triggers"][0].update(_span("Advertisement"))
    findings = _run(data)
    assert _places(findings) == [
        ("/events/2/triggers/0", "boilerplate-annotated"),
        ("/events/2/triggers/0", "span-sentence"),  # boilerplate holds no sentence
    ]
    assert _values(_got_expected(findings[0].message)[0]) == ["Advertisement", "z3"]


# -- sentences ---------------------------------------------------------------------------------


def test_sentences_given_out_of_order_are_checked_in_text_order() -> None:
    data = _doc()
    data["sentences"].reverse()
    assert _found(data) == []


def test_sentences_after_one_with_an_unknown_zone_are_checked() -> None:
    data = _doc()
    data["sentences"][1]["zone"] = "z9"
    data["sentences"][2]["zone"] = "z1"
    findings = _run(data)
    assert _places(findings) == [
        ("/sentences/1/zone", "unresolved-reference"),
        ("/sentences/2", "sentence-zone"),
        ("/zones/0", "heading-sentence"),
    ]
    assert _values(_got_expected(findings[1].message)[0]) == ["z1"]


def test_a_headline_with_no_sentence_is_found() -> None:
    data = _doc()
    data["sentences"][0]["zone"] = "z9"
    findings = _run(data)
    assert _places(findings) == [
        ("/sentences/0/zone", "unresolved-reference"),
        ("/zones/0", "heading-sentence"),
    ]
    got, _ = _got_expected(findings[1].message)
    assert got.startswith("0 sentence(s) in HEADLINE")
    assert _values(got) == ["z1"]


def test_overlapping_sentences_are_named() -> None:
    data = _doc()
    data["sentences"][2].update(_span("2023. It said six soldiers died."))
    got, _ = _only(data, "/sentences/2", "sentence-overlap")
    assert _values(got) == ["s3", "s2"]


@pytest.mark.parametrize("kind", ["HEADLINE", "SUBHEADING"])
def test_a_heading_zone_of_two_sentences_is_found(kind: str) -> None:
    data = _doc()
    data["zones"][1]["type"] = kind
    got, _ = _only(data, "/zones/1", "heading-sentence")
    assert got.startswith(f"2 sentence(s) in {kind}")
    data["zones"][1]["type"] = "BODY"  # near-miss: a body zone holds any number
    assert _found(data) == []


def test_a_heading_zone_after_a_body_zone_in_the_list_is_checked() -> None:
    data = _doc()
    data["zones"].reverse()  # BOILERPLATE, BODY, HEADLINE
    data["zones"][1]["type"] = "SUBHEADING"
    assert _found(data) == [("/zones/1", "heading-sentence")]


# -- mentions ----------------------------------------------------------------------------------


def test_a_mention_outside_every_sentence_names_its_text() -> None:
    data = _doc()
    data["mentions"].append({"id": "m10", "entity": "e1", **_span("Advertisement"), "level": "NAM"})
    findings = _run(data)
    assert _places(findings) == [
        ("/mentions/9", "boilerplate-annotated"),
        ("/mentions/9", "span-sentence"),
    ]
    assert _values(_got_expected(findings[1].message)[0]) == ["Advertisement"]


def test_a_mention_cut_inside_a_token_names_its_text() -> None:
    data = _doc()
    data["mentions"][0].update(_span("Wagne"))
    got, _ = _only(data, "/mentions/0", "token-boundary")
    assert _values(got) == ["Wagne"]


def test_tokens_end_where_a_sentence_ends_inside_a_word() -> None:
    # "June 20|23.": the sentence s2 ends inside "2023", and so does its last token
    data = _doc()
    data["sentences"][1].update(_span("The Malian army attacked the CMA in June 20"))
    data["sentences"].insert(2, {"id": "s4", "zone": "z2", **_span("23.")})
    data["mentions"][5].update(_span("June 20"))
    assert _found(data) == []


def test_a_duplicate_mention_names_it_and_its_first_place() -> None:
    data = _doc()
    data["mentions"].append({**data["mentions"][4], "id": "m10"})
    got, _ = _only(data, "/mentions/9", "duplicate-mention")
    assert _values(got) == ["CMA", "e5"]
    assert "(first at /mentions/4)" in got


def test_mentions_crossing_their_next_in_order_are_found() -> None:
    data = _doc()
    data["mentions"].append({"id": "m10", "entity": "e6", **_span("in June"), "level": "NAM"})
    got, _ = _only(data, "/mentions/5", "crossing-mentions")
    assert _values(got) == ["June 2023", "in June"]


def test_touching_mentions_do_not_cross() -> None:
    data = _doc()
    data["mentions"].append({"id": "m10", "entity": "e8", **_span("."), "level": "NAM"})
    assert data["mentions"][9]["start"] == data["mentions"][5]["end"]  # "June 2023" + "."
    assert _found(data) == []


# -- entities ----------------------------------------------------------------------------------


def test_an_entity_without_mention_is_named() -> None:
    data = _doc()
    data["entities"].append({**data["entities"][0], "id": "e9"})
    got, _ = _only(data, "/entities/8", "entity-without-mention")
    assert _values(got) == ["e9"]


def test_a_normalized_value_on_an_entity_that_is_not_a_date_is_named() -> None:
    data = _doc()
    data["entities"][0]["normalized"] = "2023"
    got, _ = _only(data, "/entities/0/normalized", "entity-attribute")
    assert _values(got) == ["2023"]


@pytest.mark.parametrize(("index", "kind"), [(7, "CARDINAL"), (5, "DATE")])
def test_an_actor_category_on_a_value_entity_is_found(index: int, kind: str) -> None:
    data = _doc()
    assert data["entities"][index]["type"] == kind
    data["entities"][index]["actor_category"] = "OTHER"
    got, expected = _only(data, f"/entities/{index}/actor_category", "entity-attribute")
    assert _values(got) == ["OTHER"]
    assert f" on a {kind} " in got
    assert expected == "null"


def test_an_actor_category_on_a_person_is_allowed() -> None:
    data = _doc()
    data["entities"][6]["actor_category"] = "OTHER"  # e7, PER
    assert _found(data) == []


def test_a_date_normalized_badly_is_named() -> None:
    data = _doc()
    data["entities"][5]["normalized"] = "June 2023"
    got, _ = _only(data, "/entities/5/normalized", "date-normalized")
    assert _values(got) == ["June 2023"]


def test_a_value_mention_not_named_names_its_level() -> None:
    data = _doc()
    data["mentions"][5]["level"] = "NOM"
    got, _ = _only(data, "/mentions/5/level", "value-mention-level")
    assert _values(got) == ["NOM"]


# -- relations and stances ---------------------------------------------------------------------


def test_a_self_relation_names_the_entity() -> None:
    data = _doc()
    data["relations"][0]["tail"] = "e4"
    got, _ = _only(data, "/relations/0", "self-relation")
    assert _values(got) == ["e4"]


def _relation(kind: str, head: str, tail: str) -> dict[str, Any]:
    return {
        "id": "r4",
        "type": kind,
        "head": head,
        "tail": tail,
        "evidence": ["s2"],
        "attributed_to": None,
    }


def test_a_duplicate_relation_names_its_first_place() -> None:
    data = _doc()
    data["relations"].append(_relation("ATTACKS", "e4", "e5"))
    got, _ = _only(data, "/relations/3", "duplicate-relation")
    assert got.endswith("(first at /relations/0)")  # no note on direction: ATTACKS has one


def test_a_symmetric_relation_reversed_is_a_duplicate_and_says_why() -> None:
    data = _doc()
    data["relations"].append(_relation("IN_CONFLICT_WITH", "e5", "e4"))
    got, _ = _only(data, "/relations/3", "duplicate-relation")
    assert "(first at /relations/2)" in got
    assert "symmetric" in got


def test_evidence_naming_every_sentence_must_still_mention_the_entity() -> None:
    data = _doc()
    data["entities"].append({**data["entities"][3], "id": "e9"})  # an ORG with no mention
    data["relations"][0].update(head="e9", evidence=["s1", "s2", "s3"])
    findings = _run(data)
    assert _places(findings) == [
        ("/entities/8", "entity-without-mention"),
        ("/relations/0/evidence", "evidence-mentions"),
    ]
    assert _values(_got_expected(findings[1].message)[0]) == ["e9"]


def test_a_duplicate_stance_names_its_holder_and_first_place() -> None:
    data = _doc()
    data["stances"].append({**data["stances"][0], "id": "st3", "label": "FAVOR"})
    got, _ = _only(data, "/stances/2", "duplicate-stance")
    assert _values(got) == ["e4"]
    assert "(first at /stances/0)" in got


# -- events ------------------------------------------------------------------------------------


def test_touching_triggers_do_not_overlap() -> None:
    data = _doc(events=True)
    data["events"][2]["triggers"].append({"id": "t4", **_span(".", 1)})  # "died" + "."
    assert data["events"][2]["triggers"][1]["start"] == data["events"][2]["triggers"][0]["end"]
    assert _found(data) == []


def test_overlapping_triggers_are_named() -> None:
    data = _doc(events=True)
    data["events"][2]["triggers"].append({"id": "t4", **_span("soldiers died")})
    # in text order "soldiers died" (t4) comes first: "died" (t3) is the one found
    got, _ = _only(data, "/events/2/triggers/0", "trigger-overlap")
    assert _values(got) == ["died", "soldiers died"]


def test_a_duplicate_argument_names_the_entity() -> None:
    data = _doc(events=True)
    data["events"][0]["arguments"].append({"role": "AGENT", "entity": "e1"})
    got, _ = _only(data, "/events/0/arguments/2", "duplicate-argument")
    assert _values(got) == ["e1"]
    assert "argument 0" in got


def test_a_role_the_event_type_does_not_take_lists_the_roles() -> None:
    data = _doc(events=True)
    data["events"][2]["arguments"].append({"role": "PARTICIPANT", "entity": "e4"})
    got, expected = _only(data, "/events/2/arguments/1/role", "event-role")
    assert got.startswith("role PARTICIPANT on a DEATH")
    assert expected.endswith(", ".join(inv.ROLES_OF_EVENT_TYPE["DEATH"]))


def test_arguments_after_one_naming_nothing_are_checked() -> None:
    data = _doc(events=True)
    data["events"][1]["arguments"][:0] = [{"role": "AGENT", "entity": "x9"}]
    data["events"][1]["arguments"].append({"role": "PLACE", "entity": "e4"})
    findings = _run(data)
    assert _places(findings) == [
        ("/events/1/arguments/0/entity", "unresolved-reference"),
        ("/events/1/arguments/4/entity", "argument-entity-type"),
    ]
    got, expected = _got_expected(findings[1].message)
    assert _values(got) == ["e4"]
    assert expected.endswith(", ".join(inv.ROLE_ENTITY_TYPES["PLACE"]))


def test_an_argument_entity_with_no_mention_is_not_in_the_trigger_sentences() -> None:
    data = _doc(events=True)
    data["entities"].append({**data["entities"][6], "id": "e9"})  # a PER with no mention
    data["events"][2]["arguments"][0]["entity"] = "e9"
    assert _found(data) == [
        ("/entities/8", "entity-without-mention"),
        ("/events/2/arguments/0/entity", "argument-sentence"),
    ]


def test_an_argument_outside_the_sentences_of_two_triggers_names_both_sentences() -> None:
    data = _doc(events=True)
    data["events"][2]["triggers"].append({"id": "t4", **_span("army")})  # in s2; "died" in s3
    data["events"][2]["arguments"].append({"role": "AGENT", "entity": "e1"})  # Wagner, in s1
    got, _ = _only(data, "/events/2/arguments/1/entity", "argument-sentence")
    assert _values(got) == ["e1"]
    assert "(s2, s3)" in got
    data["events"][2]["arguments"][1]["entity"] = "e4"  # near-miss: mentioned in both
    assert _found(data) == []


# -- values quoted as they are -----------------------------------------------------------------


def test_a_value_quoted_in_a_message_keeps_its_letters() -> None:
    data = _doc()
    data["mentions"][1]["text"] = "Bér Base"
    got, expected = _only(data, "/mentions/1/text", "span-text")
    assert _values(got) == ["Bér Base"]
    assert _values(expected) == ["Ber Base"]


# -- file names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "file_name", ["other.json", "minix.json", ".jsonmini.json", "miniXX.jsonXX"]
)
def test_a_file_not_named_after_its_document_is_found(file_name: str) -> None:
    findings = validate_data(_doc(), file_name, folder=VALID, file_name=file_name)
    assert [(f.file, f.pointer, f.check) for f in findings] == [
        (file_name, "/document/id", "document-id")
    ]


@pytest.mark.parametrize("file_name", ["mini.json", "mini.a.json", "mini.JSON", "mini"])
def test_a_file_named_after_its_document_or_a_pass_of_it_is_not_found(file_name: str) -> None:
    assert validate_data(_doc(), file_name, folder=VALID, file_name=file_name) == []


# -- patterns end at the end of the string -------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "value", "pointer"),
    [
        ("mention", "m1\n", "/mentions/0/id"),
        ("document", "mini\n", "/document/id"),
        ("language", "en\n", "/document/language"),
    ],
)
def test_a_value_ending_in_a_newline_does_not_match_its_pattern(
    where: str, value: str, pointer: str
) -> None:
    """JSON Schema's ``$`` ends the string; Python's also matches before a final newline."""
    data = _doc()
    if where == "mention":
        data["mentions"][0]["id"] = value
    elif where == "document":
        data["document"]["id"] = value
    else:
        data["document"]["language"] = value
    assert _found(data) == [(pointer, "json-schema")]
    assert _found(_doc()) == []  # near-miss: the same values without the newline


def test_a_published_date_ending_in_a_newline_is_not_an_iso_date() -> None:
    data = _doc()
    data["document"]["published"] = "2023-08-14\n"
    assert _found(data) == [("/document/published", "published-date")]
