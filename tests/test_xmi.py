"""INCEpTION (UIMA CAS XMI) import: a CAS built here with cassis, imported and validated."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from sahel_corpus.formats.xmi import (
    COREFERENCE_CHAIN,
    COREFERENCE_LINK,
    NAMED_ENTITY,
    RELATION,
    SENTENCE,
    XmiError,
    import_xmi,
)
from sahel_corpus.model import DocumentMeta, Mention, Relation, document_to_dict
from sahel_corpus.sources import write_annotation
from sahel_corpus.validate import validate_file

cassis = pytest.importorskip("cassis", reason="the XMI import needs dkpro-cassis")

HEADLINE = "Army clashes with JNIM near Ber"
BODY = (
    "The 😀 Malian army attacked JNIM near Ber on Monday. "
    "JNIM fighters fled, and the army said it held the town."
)
TEXT = f"{HEADLINE}\n\n{BODY}\n\nAdvertisement\n"
B = len(HEADLINE) + 2  # where the body starts
S2_END = B + BODY.index("Monday.") + len("Monday.")


def _meta(text: str = TEXT) -> DocumentMeta:
    return DocumentMeta(
        id="xmi_test",
        text_file="xmi_test.txt",
        text_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        title=HEADLINE,
        publisher="Test",
        url=None,
        published=None,
        language="en",
        text_licence="test text",
        annotation_licence="CC-BY-4.0",
        guideline_version="1.0",
        annotators=("tester",),
        status="draft",
    )


def _typesystem(with_sentences: bool = True, with_coreference: bool = True) -> Any:
    ts = cassis.TypeSystem()
    ne = ts.create_type(NAMED_ENTITY)
    ts.create_feature(ne, "value", "uima.cas.String")
    ts.create_feature(ne, "identifier", "uima.cas.String")
    rel = ts.create_type(RELATION)
    ts.create_feature(rel, "Governor", NAMED_ENTITY)
    ts.create_feature(rel, "Dependent", NAMED_ENTITY)
    ts.create_feature(rel, "label", "uima.cas.String")
    if with_sentences:
        ts.create_type(SENTENCE)
    if with_coreference:
        link = ts.create_type(COREFERENCE_LINK)
        ts.create_feature(link, "next", COREFERENCE_LINK)
        ts.create_feature(link, "referenceType", "uima.cas.String")
        chain = ts.create_type(COREFERENCE_CHAIN, supertypeName="uima.cas.AnnotationBase")
        ts.create_feature(chain, "first", COREFERENCE_LINK)
    return ts


def _at(needle: str, start: int = 0) -> tuple[int, int]:
    i = TEXT.index(needle, start)
    return i, i + len(needle)


def _build(with_sentences: bool = True, with_coreference: bool = True) -> tuple[str, str]:
    """Return (XMI, type system XML) of the test CAS."""
    ts = _typesystem(with_sentences, with_coreference)
    cas = cassis.Cas(typesystem=ts)
    cas.sofa_string = TEXT
    NE = ts.get_type(NAMED_ENTITY)
    spans = {
        "jnim0": (_at("JNIM"), "ORG", "Q20984318"),
        "army": (_at("Malian army"), "ORG", None),
        "jnim1": (_at("JNIM", B), "ORG", None),
        "ber": (_at("Ber", B), "GPE", None),
        "jnim2": (_at("JNIM", S2_END), "ORG", None),
        "ber0": (_at("Ber"), "GPE", None),
    }
    ne: dict[str, Any] = {}
    for key, ((begin, end), value, identifier) in spans.items():
        ne[key] = NE(begin=begin, end=end, value=value, identifier=identifier)
        cas.add(ne[key])
    Rel = ts.get_type(RELATION)
    cas.add(
        Rel(
            begin=ne["jnim1"].begin,
            end=ne["jnim1"].end,
            Governor=ne["army"],
            Dependent=ne["jnim1"],
            label="ATTACKS",
        )
    )
    # The same symmetric relation in both directions: imported once.
    cas.add(
        Rel(
            begin=ne["army"].begin,
            end=ne["army"].end,
            Governor=ne["army"],
            Dependent=ne["jnim2"],
            label="IN_CONFLICT_WITH",
        )
    )
    cas.add(
        Rel(
            begin=ne["jnim2"].begin,
            end=ne["jnim2"].end,
            Governor=ne["jnim2"],
            Dependent=ne["army"],
            label="IN_CONFLICT_WITH",
        )
    )
    if with_sentences:
        Sent = ts.get_type(SENTENCE)
        for begin, end in (
            (0, len(HEADLINE)),
            (B, S2_END),
            (S2_END + 1, B + len(BODY)),
            _at("Advertisement"),
        ):
            cas.add(Sent(begin=begin, end=end))
    if with_coreference:
        Link, Chain = ts.get_type(COREFERENCE_LINK), ts.get_type(COREFERENCE_CHAIN)
        it = TEXT.index("it held")
        chains: list[list[tuple[int, int, str | None]]] = [
            [
                (ne["army"].begin, ne["army"].end, None),
                (*_at("the army"), "nom"),  # referenceType gives the level, in any case
                (it, it + 2, "PRO"),
            ],
            [(ne[k].begin, ne[k].end, None) for k in ("jnim0", "jnim1", "jnim2")],
            [(ne[k].begin, ne[k].end, None) for k in ("ber0", "ber")],
        ]
        for chain in chains:
            nxt = None
            for begin, end, ref in reversed(chain):
                nxt = Link(begin=begin, end=end, next=nxt, referenceType=ref)
                cas.add(nxt)
            cas.add(Chain(first=nxt))
    return cas.to_xmi(), ts.to_xml()


def test_import_carries_entities_coreference_relations_and_utf16_offsets(tmp_path: Path) -> None:
    xmi, ts = _build()
    army = TEXT.index("Malian army")
    # In the XMI the offsets after the emoji count UTF-16 units: one more than code points.
    assert f'begin="{army + 1}"' in xmi and f'begin="{army}"' not in xmi
    doc = import_xmi(xmi, ts, _meta(), "test.xmi")
    assert doc.text == TEXT
    assert [(m.text, m.entity, m.level) for m in doc.mentions] == [
        ("JNIM", "e1", "NAM"),
        ("Ber", "e2", "NAM"),
        ("Malian army", "e3", "NAM"),
        ("JNIM", "e1", "NAM"),
        ("Ber", "e2", "NAM"),
        ("JNIM", "e1", "NAM"),
        ("the army", "e3", "NOM"),
        ("it", "e3", "PRO"),
    ]
    assert doc.mentions[2] == Mention("m3", "e3", army, army + 11, "Malian army", "NAM")
    assert [(e.id, e.type, e.kb_id) for e in doc.entities] == [
        ("e1", "ORG", "Q20984318"),
        ("e2", "GPE", None),
        ("e3", "ORG", None),
    ]
    assert [(z.type, z.id) for z in doc.zones] == [
        ("HEADLINE", "z1"),
        ("BODY", "z2"),
        ("BOILERPLATE", "z3"),
    ]
    # The CAS sentence on the boilerplate zone is dropped.
    assert [(s.id, s.zone, s.text[:12]) for s in doc.sentences] == [
        ("s1", "z1", HEADLINE[:12]),
        ("s2", "z2", "The 😀 Malian"),
        ("s3", "z2", "JNIM fighter"),
    ]
    assert doc.relations == (
        Relation("r1", "IN_CONFLICT_WITH", "e3", "e1", ("s2", "s3")),
        Relation("r2", "ATTACKS", "e3", "e1", ("s2",)),
    )
    (tmp_path / "xmi_test.txt").write_text(TEXT, encoding="utf-8", newline="\n")
    write_annotation(tmp_path / "xmi_test.json", document_to_dict(doc))
    assert validate_file(tmp_path / "xmi_test.json") == []


def test_bytes_input_and_no_coreference_or_sentences() -> None:
    xmi, ts = _build(with_sentences=False, with_coreference=False)
    doc = import_xmi(xmi.encode("utf-8"), ts.encode("utf-8"), _meta())
    assert len(doc.entities) == len(doc.mentions) == 6  # each named entity its own entity
    assert [s.text for s in doc.sentences] == [
        HEADLINE,
        "The 😀 Malian army attacked JNIM near Ber on Monday.",
        "JNIM fighters fled, and the army said it held the town.",
    ]
    assert [(r.type, r.head, r.tail) for r in doc.relations] == [
        ("IN_CONFLICT_WITH", "e3", "e6"),
        ("ATTACKS", "e3", "e4"),
    ]


def _refused(code: str, place: str, xmi: str, typesystem: str, name: str) -> None:
    with pytest.raises(XmiError) as err:
        import_xmi(xmi, typesystem, _meta(), name)
    assert err.value.code == code, str(err.value)
    assert str(err.value).startswith(place), str(err.value)


def test_malformed_xmi_names_the_input() -> None:
    xmi, ts = _build()
    _refused("xmi-unreadable", "broken.xmi: got", xmi[: len(xmi) // 2], ts, "broken.xmi")


def test_malformed_type_system_names_the_input() -> None:
    xmi, _ = _build()
    _refused("xmi-typesystem", "t.xmi: type system: ", xmi, "<typeSystemDescription", "t.xmi")


def test_offset_inside_surrogate_pair_is_an_error() -> None:
    xmi, ts = _build()
    army = TEXT.index("Malian army")
    emoji16 = TEXT.index("😀") + 1  # between the two UTF-16 units of the emoji
    bad = xmi.replace(f'begin="{army + 1}"', f'begin="{emoji16}"', 1)
    assert bad != xmi
    _refused("xmi-offset", "s.xmi: got", bad, ts, "s.xmi")


def test_unknown_entity_type_is_an_error() -> None:
    xmi, ts = _build()
    bad = xmi.replace('value="GPE"', 'value="LOCATION"', 1)
    _refused("xmi-label", "v.xmi: NamedEntity xmi:id ", bad, ts, "v.xmi")
