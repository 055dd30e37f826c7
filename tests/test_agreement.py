"""Agreement: identical passes agree perfectly; known edits move the right figures."""

from __future__ import annotations

import dataclasses

from scorch import scores
from sklearn.metrics import cohen_kappa_score

from _paths import CORPUS
from sahel_corpus.agreement import agreement, align_entities
from sahel_corpus.sources import read_documents


def _gold():
    return read_documents(CORPUS)[0]


def test_identical_annotations_agree_perfectly() -> None:
    doc = _gold()
    result = agreement(doc, doc)
    assert result["mentions"]["all"]["exact_f1"] == 1.0
    assert result["coreference"]["conll_f1"] == 1.0
    assert result["relations"]["all"]["f1"] == 1.0
    assert result["stance"]["kappa"] == 1.0
    assert result["stance"]["raw_agreement"] == 1.0


def test_shifted_mention_is_partial_not_exact() -> None:
    doc = _gold()
    m = next(x for x in doc.mentions if x.text == "Malian army")
    moved = dataclasses.replace(m, start=m.start + 7, text="army")
    other = dataclasses.replace(doc, mentions=tuple(moved if x is m else x for x in doc.mentions))
    row = agreement(doc, other)["mentions"]
    n = row["all"]["a"]
    assert row["all"]["exact_f1"] == round(2 * (n - 1) / (2 * n), 4)
    assert row["all"]["partial_f1"] == 1.0


def test_relabelled_stance_lowers_kappa_as_sklearn_does() -> None:
    doc = _gold()
    first = doc.stances[0]
    flipped = dataclasses.replace(first, label="AGAINST" if first.label != "AGAINST" else "FAVOR")
    other = dataclasses.replace(doc, stances=(flipped, *doc.stances[1:]))
    result = agreement(doc, other)["stance"]
    a = [s.label for s in doc.stances]
    b = [flipped.label, *a[1:]]
    pairs = sorted(zip(a, b, strict=True))
    expected = cohen_kappa_score(
        [x for x, _ in pairs], [y for _, y in pairs], labels=["FAVOR", "AGAINST", "NEUTRAL"]
    )
    assert result["kappa"] == round(float(expected), 4)
    assert result["raw_agreement"] == round((len(a) - 1) / len(a), 4)


def test_coreference_scores_come_from_scorch() -> None:
    doc = _gold()
    # Merge two entities in the second annotation.
    e1, e2 = doc.entities[0].id, doc.entities[1].id
    merged = tuple(dataclasses.replace(m, entity=e1) if m.entity == e2 else m for m in doc.mentions)
    other = dataclasses.replace(
        doc, mentions=merged, entities=tuple(e for e in doc.entities if e.id != e2)
    )
    result = agreement(doc, other)["coreference"]

    def clusters(d):
        out = {}
        for m in d.mentions:
            out.setdefault(m.entity, set()).add((m.start, m.end))
        return list(out.values())

    assert result["muc_f1"] == round(scores.muc(clusters(doc), clusters(other))[2], 4)
    assert result["muc_f1"] < 1.0


def test_alignment_maps_renamed_entities() -> None:
    doc = _gold()
    rename = {e.id: f"x{e.id}" for e in doc.entities}
    other = dataclasses.replace(
        doc,
        entities=tuple(dataclasses.replace(e, id=rename[e.id]) for e in doc.entities),
        mentions=tuple(dataclasses.replace(m, entity=rename[m.entity]) for m in doc.mentions),
        relations=tuple(
            dataclasses.replace(r, head=rename[r.head], tail=rename[r.tail]) for r in doc.relations
        ),
    )
    assert align_entities(doc, other) == {v: k for k, v in rename.items()}
    assert agreement(doc, other)["relations"]["all"]["f1"] == 1.0


def test_events_are_compared_only_between_two_files_with_the_layer() -> None:
    from _paths import CORPUS, DOC_ID
    from sahel_corpus.agreement import agreement
    from sahel_corpus.sources import read_document

    passes = CORPUS / "sources" / "passes"
    one_0 = read_document(passes / f"{DOC_ID}.a.json")
    one_1 = read_document(passes / f"{DOC_ID}.events-a.json")
    assert "events" not in agreement(one_0, one_1)
    assert agreement(one_1, read_document(passes / f"{DOC_ID}.events-b.json"))["events"]
