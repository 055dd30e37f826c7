"""brat standoff: lossless round trip, stable output, strict import, file helpers."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from _fresh import in_fresh_process
from _paths import CORPUS, DOC_ID, FIXTURES
from sahel_corpus.formats.brat import (
    NOT_CARRIED,
    BratError,
    export_document,
    import_document,
    read_brat,
    write_brat,
)
from sahel_corpus.model import Document, Mention, document_to_dict
from sahel_corpus.sources import read_document, write_annotation
from sahel_corpus.validate import validate_file

MINI = FIXTURES / "valid" / "mini.json"
MINI_EVENTS = FIXTURES / "valid" / "mini.events.json"
V10 = "1.0"
CORPUS_FILES = [
    CORPUS / "sources" / "documents" / f"{DOC_ID}.json",
    CORPUS / "sources" / "passes" / f"{DOC_ID}.a.json",
    CORPUS / "sources" / "passes" / f"{DOC_ID}.b.json",
]


@pytest.fixture(scope="module")
def mini() -> Document:
    return read_document(MINI)


@pytest.fixture(scope="module")
def mini_ann(mini: Document) -> str:
    return export_document(mini)[1]


# -- round trip ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", [*CORPUS_FILES, MINI, MINI_EVENTS], ids=lambda p: p.name)
def test_round_trip_is_lossless(path: Path) -> None:
    doc = read_document(path)
    txt, ann = export_document(doc)
    assert txt == doc.text
    back = import_document(txt, ann, doc.meta, schema_version=doc.schema_version)
    assert back == doc
    # ids of every layer, in order (equality covers this; spelled out for the failure message)
    for layer in ("zones", "sentences", "entities", "mentions", "relations", "stances", "events"):
        assert [x.id for x in getattr(back, layer)] == [x.id for x in getattr(doc, layer)]


def test_round_trip_keeps_machine_flags_entity_order_and_empty_evidence(mini: Document) -> None:
    replace = dataclasses.replace
    doc = replace(
        mini,
        entities=tuple(
            reversed([replace(e, machine=True) if e.id == "e4" else e for e in mini.entities])
        ),
        mentions=tuple(replace(m, machine=True) if m.id == "m7" else m for m in mini.mentions),
        relations=(
            mini.relations[0],
            replace(mini.relations[1], machine=True),
            replace(mini.relations[2], evidence=()),
        ),
        stances=(mini.stances[0], replace(mini.stances[1], machine=True)),
    )
    txt, ann = export_document(doc)
    assert "A11\tMachine T13" in ann.split("\n")
    assert "#13\tAnnotatorNotes T13\tid=m7; entity=e4" in ann
    assert "#10\tAnnotatorNotes T10\tid=m4; entity=e4; entity_rank=5; entity_machine=true" in ann
    assert "id=r3; evidence=\n" in ann
    assert "id=st2; holder=AUTHOR; evidence=s2; machine=true" in ann
    assert import_document(txt, ann, doc.meta, schema_version=doc.schema_version) == doc


def test_not_carried_names_metadata() -> None:
    assert any("metadata" in item for item in NOT_CARRIED)


def test_metadata_comes_from_the_caller(mini: Document) -> None:
    txt, ann = export_document(mini)
    other = dataclasses.replace(mini.meta, title="Another title")
    back = import_document(txt, ann, other, schema_version=mini.schema_version)
    assert back.meta == other
    assert dataclasses.replace(back, meta=mini.meta) == mini


# -- stable output ------------------------------------------------------------------------


def test_export_is_stable_text(mini: Document, mini_ann: str) -> None:
    elsewhere = in_fresh_process(
        "from _paths import FIXTURES\n"
        "from sahel_corpus.formats.brat import export_document\n"
        "from sahel_corpus.sources import read_document\n"
        "print(export_document(read_document(FIXTURES / 'valid' / 'mini.json'))[1], end='')"
    )
    assert elsewhere == mini_ann
    assert mini_ann.endswith("\n") and "\r" not in mini_ann
    lines = mini_ann.split("\n")[:-1]
    assert len(lines) == 59
    assert lines[:4] == [
        "T1\tZone-HEADLINE 0 22\tWagner Leaves Ber Base",
        "#1\tAnnotatorNotes T1\tid=z1",
        "T2\tZone-BODY 24 97\tThe Malian army attacked the CMA in June 2023. "
        "It said six soldiers died.",
        "#2\tAnnotatorNotes T2\tid=z2",
    ]
    expected = [
        "#4\tAnnotatorNotes T4\tid=s1; zone=z1",
        "T7\tORG 0 6\tWagner",
        "A1\tLevel T7 NAM",
        "A2\tActorCategory T7 PRIVATE_MILITARY",
        "N1\tReference T7 Wikipedia:Wagner_Group\tWagner Group",
        "#7\tAnnotatorNotes T7\tid=m1; entity=e1; entity_rank=1",
        "N4\tReference T12 ISO8601:2023-06\t2023-06",
        "A10\tLevel T13 PRO",
        "#13\tAnnotatorNotes T13\tid=m7; entity=e4",
        "*\tCoref T10 T13",
        "T16\tProposition 40 56\tattacked the CMA",
        "R2\tMEMBER_OF Arg1:T14 Arg2:T13",
        "#17\tAnnotatorNotes R2\tid=r2; evidence=s3; attributed_to=e4",
        "R4\tStance-AGAINST Arg1:T10 Arg2:T11",
        "R5\tStance-NEUTRAL Arg1:T1 Arg2:T16",
        "#20\tAnnotatorNotes R5\tid=st2; holder=AUTHOR; evidence=s2",
    ]
    for line in expected:
        assert line in lines
    assert lines[-1] == expected[-1]


def test_relation_arguments_are_mentions_in_the_evidence(mini: Document, mini_ann: str) -> None:
    # r2 MEMBER_OF(e7, e4) in s3: e4's first mention is m4 (T10, in s2), but m7 (T13) is in s3
    assert "R2\tMEMBER_OF Arg1:T14 Arg2:T13" in mini_ann
    assert "R1\tATTACKS Arg1:T10 Arg2:T11" in mini_ann


# -- strict import ------------------------------------------------------------------------

#: (old line of mini's export, its replacement, a fragment of the expected message)
MALFORMED = {
    "unknown-prefix": ("A3\tLevel T8 NOM", "X1\tAttack:T8", "brat-fields"),
    "t-field-count": ("T8\tFAC 14 22\tBer Base", "T8\tFAC 14 22", "brat-fields"),
    "a-field-count": ("A3\tLevel T8 NOM", "A3\tLevel T8 NOM\tx", "brat-fields"),
    "n-field-count": (
        "N2\tReference T9 Wikipedia:Mali\tMali",
        "N2\tReference T9 Wikipedia:Mali",
        "brat-fields",
    ),
    "offset-not-integer": ("T8\tFAC 14 22\tBer Base", "T8\tFAC 14 2x\tBer Base", "brat-offset"),
    "offset-negative": ("T8\tFAC 14 22\tBer Base", "T8\tFAC -1 22\tBer Base", "brat-offset"),
    "offset-range": ("T8\tFAC 14 22\tBer Base", "T8\tFAC 14 999\tBer Base", "brat-offset"),
    "discontinuous": (
        "T8\tFAC 14 22\tBer Base",
        "T8\tFAC 14 17;18 22\tBer Base",
        "brat-offset",
    ),
    "text-mismatch": (
        "T8\tFAC 14 22\tBer Base",
        "T8\tFAC 14 22\tBer base",
        "brat-text",
    ),
    "unknown-t-in-attribute": ("A3\tLevel T8 NOM", "A3\tLevel T99 NOM", "brat-reference"),
    "unknown-t-in-relation": (
        "R1\tATTACKS Arg1:T10 Arg2:T11",
        "R1\tATTACKS Arg1:T10 Arg2:T99",
        "brat-reference",
    ),
    "unknown-t-in-coref": ("*\tCoref T10 T13", "*\tCoref T10 T99", "brat-reference"),
    "unknown-t-in-reference": (
        "N2\tReference T9 Wikipedia:Mali\tMali",
        "N2\tReference T99 Wikipedia:Mali\tMali",
        "brat-reference",
    ),
    "unknown-note-target": (
        "#8\tAnnotatorNotes T8\tid=m2; entity=e2; entity_rank=2",
        "#8\tAnnotatorNotes T99\tid=m2; entity=e2; entity_rank=2",
        "brat-reference",
    ),
    "unknown-entity-type": ("T8\tFAC 14 22\tBer Base", "T8\tBASE 14 22\tBer Base", "brat-label"),
    "unknown-zone-type": (
        "T3\tZone-BOILERPLATE 99 112\tAdvertisement",
        "T3\tZone-FOOTER 99 112\tAdvertisement",
        "brat-label",
    ),
    "unknown-level": ("A3\tLevel T8 NOM", "A3\tLevel T8 NOMINAL", "brat-label"),
    "unknown-attribute": ("A3\tLevel T8 NOM", "A3\tSize T8 NOM", "brat-label"),
    "unknown-actor-category": (
        "A2\tActorCategory T7 PRIVATE_MILITARY",
        "A2\tActorCategory T7 MERCENARY",
        "brat-label",
    ),
    "machine-with-value": ("A3\tLevel T8 NOM", "A3\tMachine T8 yes", "brat-fields"),
    "unknown-relation-type": (
        "R1\tATTACKS Arg1:T10 Arg2:T11",
        "R1\tKILLS Arg1:T10 Arg2:T11",
        "brat-label",
    ),
    "unknown-stance-label": (
        "R4\tStance-AGAINST Arg1:T10 Arg2:T11",
        "R4\tStance-HOSTILE Arg1:T10 Arg2:T11",
        "brat-label",
    ),
    "unknown-database": (
        "N1\tReference T7 Wikipedia:Wagner_Group\tWagner Group",
        "N1\tReference T7 Wikidata:Q188508\tWagner Group",
        "brat-label",
    ),
    "reference-id-text": (
        "N1\tReference T7 Wikipedia:Wagner_Group\tWagner Group",
        "N1\tReference T7 Wikipedia:Wagner\tWagner Group",
        "brat-reference-id",
    ),
    "unknown-coref-type": ("*\tCoref T10 T13", "*\tEquiv T10 T13", "brat-label"),
    "note-syntax": (
        "#8\tAnnotatorNotes T8\tid=m2; entity=e2; entity_rank=2",
        "#8\tAnnotatorNotes T8\tid m2",
        "brat-note",
    ),
    "note-unknown-key": (
        "#8\tAnnotatorNotes T8\tid=m2; entity=e2; entity_rank=2",
        "#8\tAnnotatorNotes T8\tid=m2; entity=e2; colour=red",
        "brat-note",
    ),
    "note-duplicate-key": (
        "#8\tAnnotatorNotes T8\tid=m2; entity=e2; entity_rank=2",
        "#8\tAnnotatorNotes T8\tid=m2; id=m3",
        "brat-note",
    ),
    "note-unknown-evidence": (
        "#16\tAnnotatorNotes R1\tid=r1; evidence=s2",
        "#16\tAnnotatorNotes R1\tid=r1; evidence=s9",
        "brat-reference",
    ),
    "note-unknown-zone": (
        "#4\tAnnotatorNotes T4\tid=s1; zone=z1",
        "#4\tAnnotatorNotes T4\tid=s1; zone=z9",
        "brat-reference",
    ),
    "note-bad-flag": (
        "#16\tAnnotatorNotes R1\tid=r1; evidence=s2",
        "#16\tAnnotatorNotes R1\tid=r1; evidence=s2; machine=yes",
        "brat-note",
    ),
    "duplicate-annotation-id": (
        "T9\tGPE 28 34\tMalian",
        "T8\tGPE 28 34\tMalian",
        "brat-duplicate",
    ),
    "duplicate-object-id": (
        "#8\tAnnotatorNotes T8\tid=m2; entity=e2; entity_rank=2",
        "#8\tAnnotatorNotes T8\tid=m1; entity=e2; entity_rank=2",
        "brat-duplicate",
    ),
    "duplicate-entity-rank": (
        "#8\tAnnotatorNotes T8\tid=m2; entity=e2; entity_rank=2",
        "#8\tAnnotatorNotes T8\tid=m2; entity=e2; entity_rank=1",
        "brat-duplicate",
    ),
    "coref-conflict": ("*\tCoref T10 T13", "*\tCoref T10 T11", "brat-entity"),
    "entity-type-conflict": ("T13\tORG 71 73\tIt", "T13\tGPE 71 73\tIt", "brat-entity"),
    "relation-argument-kind": (
        "R1\tATTACKS Arg1:T10 Arg2:T11",
        "R1\tATTACKS Arg1:T1 Arg2:T11",
        "brat-reference",
    ),
    "relation-argument-syntax": (
        "R1\tATTACKS Arg1:T10 Arg2:T11",
        "R1\tATTACKS Arg2:T10 Arg1:T11",
        "brat-fields",
    ),
    "author-holder-on-mention": (
        "#19\tAnnotatorNotes R4\tid=st1; evidence=s2",
        "#19\tAnnotatorNotes R4\tid=st1; holder=AUTHOR; evidence=s2",
        "brat-stance",
    ),
    "bad-annotation-id": ("A3\tLevel T8 NOM", "Ax\tLevel T8 NOM", "brat-id"),
}


def _replace(ann: str, old: str, new: str) -> tuple[str, int]:
    lines = ann.split("\n")
    number = lines.index(old)
    lines[number] = new
    return "\n".join(lines), number + 1


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_line_is_refused_with_its_line_number(
    case: str, mini: Document, mini_ann: str
) -> None:
    old, new, code = MALFORMED[case]
    ann, number = _replace(mini_ann, old, new)
    with pytest.raises(BratError) as info:
        import_document(mini.text, ann, mini.meta, name="mini.ann")
    message = str(info.value)
    assert info.value.code == code, message
    assert message.startswith(f"mini.ann, line {number}: got "), message
    assert ", expected " in message


def test_unused_proposition_is_refused(mini: Document, mini_ann: str) -> None:
    ann, _ = _replace(
        mini_ann, "R5\tStance-NEUTRAL Arg1:T1 Arg2:T16", "R5\tStance-NEUTRAL Arg1:T1 Arg2:T11"
    )
    with pytest.raises(BratError) as err:
        import_document(mini.text, ann, mini.meta, name="mini.ann")
    assert err.value.code == "brat-stance" and str(err.value).startswith("mini.ann, line 49: ")


def _refused(code: str, place: str, *args: object, **kwargs: object) -> None:
    with pytest.raises(BratError) as err:
        import_document(*args, **kwargs)  # type: ignore[arg-type]
    assert err.value.code == code
    assert str(err.value).startswith(place)


@pytest.mark.parametrize("keep", ["nothing", "no zone"])
def test_an_ann_without_zones_is_refused_in_one_line(
    keep: str, mini: Document, mini_ann: str
) -> None:
    lines = [] if keep == "nothing" else [x for x in mini_ann.split("\n") if "Zone-" not in x]
    got = "an empty file" if keep == "nothing" else "line(s) and no zone span"
    with pytest.raises(BratError) as err:
        import_document(mini.text, "\n".join(lines), mini.meta, name="mini.ann")
    message = str(err.value)
    assert err.value.code == "brat-no-zones" and "\n" not in message
    assert message.startswith("mini.ann: got ") and got in message and ", expected " in message


def test_crlf_and_bom_are_refused(mini: Document, mini_ann: str) -> None:
    crlf = mini.text.replace("\n", "\r\n")
    _refused("text-line-ends", "mini.txt, line 1:", crlf, mini_ann, mini.meta, txt_name="mini.txt")
    crlf_ann = mini_ann.replace("\n", "\r\n")
    _refused("text-line-ends", "mini.ann, line 1:", mini.text, crlf_ann, mini.meta, name="mini.ann")
    bom = "\ufeff" + mini.text
    _refused("text-bom", "mini.txt, line 1:", bom, mini_ann, mini.meta, txt_name="mini.txt")
    lone = mini.text.replace("\n\n", "\n\r", 1)
    _refused(
        "text-line-ends",
        "mini.txt, line 2:",
        lone,
        mini_ann,
        mini.meta,
        txt_name="mini.txt",
        normalise_newlines=True,
    )


def test_normalise_newlines_converts_crlf_and_drops_bom(mini: Document, mini_ann: str) -> None:
    crlf = "\ufeff" + mini.text.replace("\n", "\r\n")
    ann = "\ufeff" + mini_ann.replace("\n", "\r\n")
    back = import_document(
        crlf, ann, mini.meta, normalise_newlines=True, schema_version=mini.schema_version
    )
    assert back == mini  # offsets of the .ann refer to the converted (LF) text


# -- files and hand-written input ---------------------------------------------------------


def test_write_and_read_brat_files(mini: Document, tmp_path: Path) -> None:
    txt_path, ann_path = write_brat(mini, tmp_path / "out")
    assert (txt_path.name, ann_path.name) == ("mini.txt", "mini.ann")
    assert txt_path.read_bytes() == mini.text.encode("utf-8")
    assert ann_path.read_bytes() == export_document(mini)[1].encode("utf-8")
    assert b"\r" not in ann_path.read_bytes()
    assert read_brat(txt_path, ann_path, mini.meta, schema_version=V10) == mini
    # the file helper reads bytes as they are: CRLF on disk is seen and refused
    txt_path.write_bytes(mini.text.replace("\n", "\r\n").encode("utf-8"))
    with pytest.raises(BratError) as crlf:
        read_brat(txt_path, ann_path, mini.meta)
    assert crlf.value.code == "text-line-ends" and str(crlf.value).startswith(f"{txt_path}, line 1")
    assert (
        read_brat(txt_path, ann_path, mini.meta, normalise_newlines=True, schema_version=V10)
        == mini
    )
    ann_path.write_bytes(b"T1\tORG 0 6\tWagn\xe9r\n")
    with pytest.raises(BratError) as err:
        read_brat(txt_path, ann_path, mini.meta, normalise_newlines=True)
    assert err.value.code == "text-encoding" and str(err.value).startswith(f"{ann_path}: line 1")


def test_corpus_file_round_trip_through_files(tmp_path: Path) -> None:
    doc = read_document(CORPUS_FILES[0])
    txt_path, ann_path = write_brat(doc, tmp_path)
    assert read_brat(txt_path, ann_path, doc.meta) == doc


MINIMAL_ANN = """\
T1\tZone-HEADLINE 0 22\tWagner Leaves Ber Base
T2\tZone-BODY 24 97\tThe Malian army attacked the CMA in June 2023. It said six soldiers died.
T3\tZone-BOILERPLATE 99 112\tAdvertisement
T4\tSentence 0 22\tWagner Leaves Ber Base
T5\tSentence 24 70\tThe Malian army attacked the CMA in June 2023.
T6\tSentence 71 97\tIt said six soldiers died.
T7\tORG 0 6\tWagner
T8\tORG 28 39\tMalian army
T9\tDATE 60 69\tJune 2023
"""


def test_minimal_hand_written_ann_imports_and_validates(mini: Document, tmp_path: Path) -> None:
    folder = tmp_path / "hand"
    folder.mkdir()
    (folder / "Mini text.txt").write_text(mini.text, encoding="utf-8", newline="\n")
    meta = dataclasses.replace(mini.meta, text_file="Mini text.txt")
    doc = import_document(mini.text, MINIMAL_ANN, meta)
    assert [(z.id, z.type) for z in doc.zones] == [
        ("z1", "HEADLINE"),
        ("z2", "BODY"),
        ("z3", "BOILERPLATE"),
    ]
    assert [(s.id, s.zone) for s in doc.sentences] == [("s1", "z1"), ("s2", "z2"), ("s3", "z2")]
    assert [(e.id, e.type) for e in doc.entities] == [("e1", "ORG"), ("e2", "ORG"), ("e3", "DATE")]
    assert doc.mentions[1] == Mention("m2", "e2", 28, 39, "Malian army", "NAM")
    assert (doc.relations, doc.stances) == ((), ())
    write_annotation(folder / "mini.json", document_to_dict(doc))
    assert validate_file(folder / "mini.json") == []


def test_hand_written_coref_relation_and_stance_get_ids_and_evidence(mini: Document) -> None:
    ann = MINIMAL_ANN + (
        "T10\tORG 71 73\tIt\n"
        "*\tCoref T8 T10\n"
        "#1\tAnnotatorNotes T8\tid=m1\n"
        "R1\tATTACKS Arg1:T10 Arg2:T7\n"
        "R2\tStance-AGAINST Arg1:T1 Arg2:T7\n"
    )
    doc = import_document(mini.text, ann, mini.meta)
    assert [(m.id, m.entity) for m in doc.mentions] == [
        ("m2", "e1"),
        ("m1", "e2"),
        ("m3", "e3"),
        ("m4", "e2"),
    ]
    assert [(r.id, r.head, r.tail, r.evidence) for r in doc.relations] == [
        ("r1", "e2", "e1", ("s1", "s3"))
    ]
    assert [(s.id, s.holder, s.target_entity, s.evidence) for s in doc.stances] == [
        ("st1", "AUTHOR", "e1", ("s1",))
    ]


def test_export_refuses_what_brat_cannot_carry(mini: Document) -> None:
    across = Mention("m10", "e2", 14, 26, mini.text[14:26], "NOM")
    doc = dataclasses.replace(mini, mentions=(*mini.mentions, across))
    with pytest.raises(BratError) as across_line:
        export_document(doc)
    assert across_line.value.code == "brat-export"
    assert str(across_line.value).startswith("mini: m10: ")
    bad_id = dataclasses.replace(mini, zones=(dataclasses.replace(mini.zones[0], id="z 1"),))
    with pytest.raises(BratError) as spaced:
        export_document(bad_id)
    assert spaced.value.code == "brat-export" and str(spaced.value).startswith("mini: 'z 1': ")


# -- events ---------------------------------------------------------------------------


def test_events_are_e_lines_with_realis_and_notes() -> None:
    doc = read_document(MINI_EVENTS)
    _, ann = export_document(doc)
    e_lines = [line for line in ann.split("\n") if line.startswith("E")]
    assert len(e_lines) == sum(len(ev.triggers) for ev in doc.events)
    first = doc.events[0]
    assert e_lines[0].split("\t")[1].startswith(f"{first.type}:T")
    assert len(e_lines[0].split(" ")) == 1 + len(first.arguments)
    assert f"Realis E1 {first.realis}" in ann
    assert f"AnnotatorNotes E1\tid={first.id}; trigger={first.triggers[0].id}" in ann


def test_a_recurring_role_is_numbered_as_brat_does() -> None:
    doc = read_document(MINI_EVENTS)
    ev = next(ev for ev in doc.events if ev.arguments)
    first = ev.arguments[0]
    other = next(e.id for e in doc.entities if e.id != first.entity)
    second = dataclasses.replace(first, entity=other)
    twice = dataclasses.replace(ev, arguments=(first, second))
    doc2 = dataclasses.replace(doc, events=(twice,))
    txt, ann = export_document(doc2)
    assert f" {first.role}2:T" in ann
    assert import_document(txt, ann, doc2.meta).events == (twice,)
    # the same entity in the same role twice (on two E lines of one event) is read once
    again = dataclasses.replace(ev, arguments=(first, first))
    txt, ann = export_document(dataclasses.replace(doc, events=(again,)))
    assert import_document(txt, ann, doc.meta).events[0].arguments == (first,)


def test_hand_written_events_get_ids_realis_and_arguments(mini: Document) -> None:
    ann = MINIMAL_ANN + (
        "T10\tATTACK 40 48\tattacked\n"
        "E1\tATTACK:T10 AGENT:T8 TIME:T9\n"
        "T11\tDEATH 92 96\tdied\n"
        "E2\tDEATH:T11\n"
        "A1\tRealis E2 OTHER\n"
    )
    doc = import_document(mini.text, ann, mini.meta)
    assert [(ev.id, ev.type, ev.realis) for ev in doc.events] == [
        ("ev1", "ATTACK", "ACTUAL"),
        ("ev2", "DEATH", "OTHER"),
    ]
    assert [(t.id, t.text) for t in doc.events[0].triggers] == [("t1", "attacked")]
    assert [(a.role, a.entity) for a in doc.events[0].arguments] == [
        ("AGENT", "e2"),
        ("TIME", "e3"),
    ]


def test_coreferent_triggers_share_the_event_id_note(mini: Document) -> None:
    ann = MINIMAL_ANN + (
        "T10\tATTACK 40 48\tattacked\n"
        "E1\tATTACK:T10 AGENT:T8\n"
        "#1\tAnnotatorNotes E1\tid=x1; trigger=a\n"
        "T11\tATTACK 7 13\tLeaves\n"
        "E2\tATTACK:T11\n"
        "#2\tAnnotatorNotes E2\tid=x1; trigger=b\n"
    )
    (event,) = import_document(mini.text, ann, mini.meta).events
    assert event.id == "x1" and [t.id for t in event.triggers] == ["a", "b"]


@pytest.mark.parametrize(
    ("extra", "code", "where"),
    [
        ("T10\tATTACK 40 48\tattacked\n", "brat-event", "line 10"),
        ("T10\tATTACK 40 48\tattacked\nE1\tDEATH:T10\n", "brat-event", "line 11"),
        ("T10\tATTACK 40 48\tattacked\nE1\tATTACK:T10 KILLER:T8\n", "brat-label", "line 11"),
        ("T10\tATTACK 40 48\tattacked\nE1\tATTACK:T10 AGENT:T99\n", "brat-reference", "line 11"),
        (
            "T10\tATTACK 40 48\tattacked\nE1\tATTACK:T10\nE2\tATTACK:T10\n",
            "brat-duplicate",
            "line 12",
        ),
        (
            "T10\tATTACK 40 48\tattacked\nE1\tATTACK:T10\nA1\tRealis E1 MAYBE\n",
            "brat-label",
            "line 12",
        ),
        ("T10\tATTACK 40 48\tattacked\nE1\tATTACK T10\n", "brat-fields", "line 11"),
        ("A1\tRealis E7 ACTUAL\n", "brat-reference", "line 10"),
    ],
    ids=[
        "unused-trigger",
        "type-mismatch",
        "role",
        "argument",
        "trigger-twice",
        "realis",
        "syntax",
        "realis-target",
    ],
)
def test_malformed_events_are_refused_naming_the_line(
    mini: Document, extra: str, code: str, where: str
) -> None:
    with pytest.raises(BratError) as err:
        import_document(mini.text, MINIMAL_ANN + extra, mini.meta, name="mini.ann")
    assert err.value.code == code
    assert str(err.value).startswith(f"mini.ann, {where}: got ")


def test_events_in_a_schema_1_0_document_are_refused(mini: Document) -> None:
    ann = MINIMAL_ANN + "T10\tATTACK 40 48\tattacked\nE1\tATTACK:T10\n"
    with pytest.raises(BratError) as err:
        import_document(mini.text, ann, mini.meta, name="mini.ann", schema_version=V10)
    assert err.value.code == "brat-event"
