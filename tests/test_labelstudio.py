"""Label Studio JSON export and import: lossless round trips, UTF-16 offsets, strict errors."""

from __future__ import annotations

import copy
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from labelstudio_page import as_the_page_saves

from _paths import CORPUS, DOC_ID
from sahel_corpus.formats.labelstudio import (
    LABEL_CONFIG,
    LabelStudioError,
    export_document,
    import_document,
    read_labelstudio,
    write_labelstudio,
)
from sahel_corpus.model import (
    Document,
    DocumentMeta,
    Entity,
    Mention,
    Relation,
    Sentence,
    Span,
    Stance,
    Zone,
    without_events,
)
from sahel_corpus.sources import read_document

SOURCES = [
    CORPUS / "sources" / "documents" / f"{DOC_ID}.json",
    CORPUS / "sources" / "passes" / f"{DOC_ID}.a.json",
    CORPUS / "sources" / "passes" / f"{DOC_ID}.b.json",
]

META = DocumentMeta(
    id="emoji",
    text_file="emoji.txt",
    text_sha256="0" * 64,
    title="Fans",
    publisher="Test",
    url=None,
    published=None,
    language="en",
    text_licence="test",
    annotation_licence="CC-BY-4.0",
    guideline_version="1.0",
    annotators=("tester",),
    status="draft",
)
TEXT = "Fans 😀 of Mali\n\nJNIM attacked Mali. The army opposes JNIM."
MALI = TEXT.index("Mali")  # 10: one code point after the emoji, 11 UTF-16 units


def _small_document() -> Document:
    """A document with an emoji before its first mention and every layer filled."""
    body = TEXT.index("JNIM")
    s2_end = TEXT.index(".") + 1
    s3 = s2_end + 1
    army = TEXT.index("The army")
    prop = TEXT.index("opposes JNIM") + len("opposes ")
    return Document(
        meta=META,
        text=TEXT,
        zones=(
            Zone("z1", "HEADLINE", 0, MALI + 4, TEXT[: MALI + 4]),
            Zone("z2", "BODY", body, len(TEXT), TEXT[body:]),
        ),
        sentences=(
            Sentence("s1", "z1", 0, MALI + 4, TEXT[: MALI + 4]),
            Sentence("s2", "z2", body, s2_end, TEXT[body:s2_end]),
            Sentence("s3", "z2", s3, len(TEXT), TEXT[s3:]),
        ),
        entities=(
            Entity("e2", "ORG", "ARMED_GROUP", None, None),
            Entity("e1", "GPE", None, "Mali", None, machine=True),
            Entity("e3", "ORG", "STATE_FORCES", None, None),
        ),
        mentions=(
            Mention("m1", "e1", MALI, MALI + 4, "Mali", "NAM"),
            Mention("m2", "e2", body, body + 4, "JNIM", "NAM"),
            Mention("m3", "e1", s2_end - 5, s2_end - 1, "Mali", "NAM", machine=True),
            Mention("m4", "e3", army, army + 8, "The army", "NOM"),
            Mention("m5", "e2", prop, prop + 4, "JNIM", "NAM"),
        ),
        relations=(Relation("r1", "ATTACKS", "e2", "e1", ("s2",), None, machine=True),),
        stances=(
            Stance("st2", "e3", "AGAINST", ("s3",), target_entity="e2", attributed_to=None),
            Stance("st1", "AUTHOR", "NEUTRAL", ("s2",), target_entity="e2"),
            Stance(
                "st3",
                "e3",
                "AGAINST",
                ("s3",),
                target_span=Span(prop - 8, prop + 4, "opposes JNIM"),
                attributed_to="e1",
            ),
            Stance(
                "st4",
                "AUTHOR",
                "FAVOR",
                ("s3",),
                target_span=Span(prop - 8, prop + 4, "opposes JNIM"),
            ),
        ),
    )


def _task() -> dict[str, Any]:
    return export_document(_small_document())


def _results(task: dict[str, Any]) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = task["annotations"][0]["result"]
    return results


def _region(task: dict[str, Any], rid: str, control: str = "entity") -> dict[str, Any]:
    (found,) = [
        r
        for r in _results(task)
        if r.get("id") == rid and r["type"] == "labels" and r["from_name"] == control
    ]
    return found


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_corpus_round_trip_is_lossless(source: Path, tmp_path: Path) -> None:
    doc = read_document(source)
    out = tmp_path / "task.json"
    write_labelstudio(doc, out)
    loaded = json.loads(out.read_text(encoding="utf-8"))
    assert isinstance(loaded, list) and len(loaded) == 1  # Label Studio import files are lists
    # a task carries every layer but events: it reads back as schema 1.0
    assert read_labelstudio(out, doc.meta) == without_events(doc)
    assert import_document(loaded[0], doc.meta) == without_events(doc)


def test_corpus_export_uses_label_studio_shapes() -> None:
    doc = read_document(SOURCES[0])
    task = export_document(doc)
    assert task["data"]["text"] == doc.text and task["data"]["id"] == doc.id
    kinds = {(r["type"], r.get("from_name")) for r in _results(task)}
    assert ("labels", "zone") in kinds and ("labels", "sentence") in kinds
    assert ("choices", "level") in kinds and ("relation", None) in kinds
    labels = {lab for r in _results(task) for lab in r.get("value", r).get("labels", [])}
    assert {"Zone-HEADLINE", "Sentence", "Proposition", "Stance-FAVOR", "PART_OF"} <= labels
    for control in ("zone", "sentence", "entity", "proposition", "level", "actor_category"):
        assert f'name="{control}"' in LABEL_CONFIG


def test_emoji_offsets_count_utf16_units() -> None:
    task = _task()
    value = _region(task, "m1")["value"]
    assert MALI == 10
    assert value == {"start": MALI + 1, "end": MALI + 5, "text": "Mali", "labels": ["GPE"]}
    zone = _region(task, "z1", "zone")["value"]
    assert zone["end"] == MALI + 5 and zone["labels"] == ["Zone-HEADLINE"]


def test_small_document_round_trips_every_layer() -> None:
    task = _task()
    doc = import_document(json.loads(json.dumps(task)), META)
    assert doc == without_events(_small_document())
    assert export_document(doc) == task
    assert doc.mentions[0] == Mention("m1", "e1", MALI, MALI + 4, "Mali", "NAM")
    assert doc.entities[1] == Entity("e1", "GPE", None, "Mali", None, machine=True)
    assert doc.relations == (Relation("r1", "ATTACKS", "e2", "e1", ("s2",), None, True),)
    assert [(s.id, s.holder) for s in doc.stances] == [
        ("st2", "e3"),
        ("st1", "AUTHOR"),
        ("st3", "e3"),
        ("st4", "AUTHOR"),
    ]
    assert doc.stances[2].target_span == Span(TEXT.index("opposes"), len(TEXT) - 1, "opposes JNIM")


def test_new_regions_from_label_studio_get_fresh_ids_and_evidence() -> None:
    task = _task()
    army = _region(task, "m4")
    new = copy.deepcopy(army)
    new["id"] = "Xy12ab"
    new.pop("meta")
    _results(task).append(new)
    _results(task).append(
        {
            "id": "Xy12ab",
            "from_name": "level",
            "to_name": "text",
            "type": "choices",
            "value": {"choices": ["NOM"]},
        }
    )
    _results(task).append(
        {"from_id": "m2", "to_id": "Xy12ab", "type": "relation", "labels": ["IN_CONFLICT_WITH"]}
    )
    # The duplicate region overlaps m4 exactly; it is a new mention of a new entity.
    doc = import_document(task, META)
    assert doc.mentions[-1].id == "Xy12ab" and doc.mentions[-1].entity == "e4"
    assert doc.entities[-1] == Entity("e4", "ORG", None, None, None)
    assert doc.relations[-1] == Relation("r2", "IN_CONFLICT_WITH", "e2", "e4", ("s2", "s3"), None)


# --------------------------------------------------------------------------- errors


def _refused(task: Any, code: str, place: str, meta: Any = None) -> None:
    """The import fails with the error code ``code``, its message starting at ``place``."""
    with pytest.raises(LabelStudioError) as err:
        import_document(task, meta or META, "t.json")
    assert err.value.code == code, str(err.value)
    assert str(err.value).startswith(f"t.json: {place}"), str(err.value)


def test_span_text_mismatch_names_file_and_region(tmp_path: Path) -> None:
    task = _task()
    _region(task, "m1")["value"]["text"] = "Mal"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([task]), encoding="utf-8")
    with pytest.raises(LabelStudioError) as err:
        read_labelstudio(path, META)
    assert err.value.code == "ls-span-text"
    assert re.match(rf"{re.escape(str(path))}: result \d+ \(region m1\): ", str(err.value))


def test_code_point_offsets_are_refused_as_a_span_mismatch() -> None:
    task = _task()
    value = _region(task, "m1")["value"]
    value["start"], value["end"] = MALI, MALI + 4  # a code-point offset, not UTF-16
    _refused(task, "ls-span-text", "result")


def test_unknown_label() -> None:
    task = _task()
    _region(task, "m2")["value"]["labels"] = ["MILITIA"]
    _refused(task, "ls-label", "result")


def test_unknown_relation_label() -> None:
    task = _task()
    (rel,) = [r for r in _results(task) if r["type"] == "relation" and "ATTACKS" in r["labels"]]
    rel["labels"] = ["HATES"]
    _refused(task, "ls-label", "result")


def test_relation_to_unknown_region() -> None:
    task = _task()
    (rel,) = [r for r in _results(task) if r["type"] == "relation" and "ATTACKS" in r["labels"]]
    rel["to_id"] = "gone"
    _refused(task, "ls-reference", "result")


def test_offset_inside_surrogate_pair() -> None:
    task = _task()
    value = _region(task, "z1", "zone")["value"]
    value["start"] = TEXT.index("😀") + 1  # between the two UTF-16 units of the emoji
    _refused(task, "ls-offset", "result")


def test_crlf_text_is_refused_unless_normalised() -> None:
    doc = _small_document()
    task = _task()
    crlf = copy.deepcopy(task)
    crlf["data"]["text"] = TEXT.replace("\n", "\r\n")
    for r in _results(crlf):  # offsets after the blank line move by the two CRs
        if "value" in r and r["value"]["start"] > MALI + 5:
            r["value"]["start"] += 2
            r["value"]["end"] += 2
    with pytest.raises(LabelStudioError) as err:
        import_document(crlf, META, "t.json")
    assert err.value.code == "text-line-ends"
    assert str(err.value).startswith("t.json: data.text: line 1, column 15: ")
    assert import_document(crlf, META, normalise_newlines=True) == import_document(task, META)
    assert import_document(task, META).mentions == doc.mentions


def test_bom_text_is_refused_unless_normalised() -> None:
    task = _task()
    bom = copy.deepcopy(task)
    bom["data"]["text"] = "\ufeff" + TEXT
    for r in _results(bom):
        if "value" in r:
            r["value"]["start"] += 1
            r["value"]["end"] += 1
    with pytest.raises(LabelStudioError) as err:
        import_document(bom, META, "t.json")
    assert err.value.code == "text-bom"
    assert import_document(bom, META, normalise_newlines=True) == import_document(task, META)


def test_entity_attributes_must_agree_across_mentions() -> None:
    task = _task()
    meta = _region(task, "m3")["meta"]["text"]
    meta[meta.index('kb_id="Mali"')] = 'kb_id="Mali (country)"'
    _refused(task, "ls-attribute-conflict", "result")


def test_choice_for_unknown_region() -> None:
    task = _task()
    (level,) = [
        r
        for r in _results(task)
        if r["type"] == "choices" and r["id"] == "m2" and r["from_name"] == "level"
    ]
    level["id"] = "nowhere"
    _refused(task, "ls-reference", "result")


def test_bad_meta_line() -> None:
    task = _task()
    _region(task, "m2")["meta"]["text"].append("colour=red")
    _refused(task, "ls-meta", "result")


def test_wrong_document_and_task_count() -> None:
    task = _task()
    _refused(task, "document-id", "data.id: ", meta=replace(META, id="other"))
    with pytest.raises(LabelStudioError) as err:
        import_document([task, task], META, "t.json")
    assert err.value.code == "ls-tasks"


# --------------------------------------------------------------------------- the labeling page


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_a_save_from_the_labeling_page_loses_nothing(source: Path) -> None:
    doc = read_document(source)
    task = export_document(doc)
    first_mention = doc.mentions[0].id
    assert import_document(as_the_page_saves(task, first_mention), doc.meta) == without_events(doc)


def test_relations_between_the_same_regions_share_one_result() -> None:
    """Label Studio keeps one relation per ordered pair of regions; several labels fit in it."""
    for path in (SOURCES[0], Path(__file__).parent / "fixtures" / "valid" / "mini.json"):
        doc = read_document(path)
        results = export_document(doc)["annotations"][0]["result"]
        relations = [r for r in results if r["type"] == "relation"]
        pairs = [(r["from_id"], r["to_id"]) for r in relations]
        assert len(pairs) == len(set(pairs))
        assert sum(len(r["labels"]) for r in relations) == len(doc.relations) + sum(
            1 for s in doc.stances if not s.holder_is_author
        )
        assert all("meta" not in r for r in relations)  # what the page drops is carried elsewhere
    # the mini document has ATTACKS, IN_CONFLICT_WITH and a stance from the army to the CMA
    assert sorted(len(r["labels"]) for r in relations) == [1, 3]


def test_the_page_recording_imports_as_the_document(tmp_path: Path) -> None:
    """The body the labeling page sent (recorded once in Chromium) imports without a loss."""
    fixture = Path(__file__).parent / "fixtures" / "labelstudio"
    recorded = json.loads((fixture / "page-save.json").read_text(encoding="utf-8"))
    task = json.loads((fixture / "exported-task.json").read_text(encoding="utf-8"))[0]
    mini = read_document(Path(__file__).parent / "fixtures" / "valid" / "mini.json")
    saved = {**task, "annotations": [{"result": recorded["result"]}]}
    assert import_document(saved, mini.meta) == mini


def test_the_meta_editor_one_line_form_is_read() -> None:
    task = _task()
    region = _region(task, "m1")
    region["meta"] = {"text": ['entity="e1",kb_id="Mali" ,\nnormalized=null']}
    assert import_document(task, META) == import_document(_task(), META)


def test_a_relation_drawn_on_the_page_gets_a_fresh_id_and_its_sentences() -> None:
    task = _task()
    _results(task).append(
        {"from_id": "m2", "to_id": "m1", "type": "relation", "labels": ["IN_CONFLICT_WITH"]}
    )
    doc = import_document(task, META)
    drawn = doc.relations[-1]
    assert (drawn.type, drawn.attributed_to, drawn.machine) == ("IN_CONFLICT_WITH", None, False)
    assert drawn.id not in {r.id for r in doc.relations[:-1]}


def test_export_writes_the_labeling_config(tmp_path: Path) -> None:
    from sahel_corpus.formats import get

    doc = read_document(SOURCES[0])
    paths = get("labelstudio").write(doc, tmp_path)  # type: ignore[misc]
    assert [p.name for p in paths] == [f"{DOC_ID}.json", "label-config.xml"]
    assert (tmp_path / "label-config.xml").read_text(encoding="utf-8") == LABEL_CONFIG
    assert '<Relations choice="multiple">' in LABEL_CONFIG
    assert LABEL_CONFIG.count('visibleWhen="region-selected"') == 3
    assert LABEL_CONFIG.count("<Header ") == 3
