"""Event baselines: trigger tags, argument candidates and their labels, the classifiers."""

from __future__ import annotations

from dataclasses import replace

from sklearn.base import clone

from _paths import CORPUS
from sahel_corpus import schema as inv
from sahel_corpus.baselines.data import NONE
from sahel_corpus.baselines.events import (
    ArgumentClassifier,
    RealisClassifier,
    allowed_roles,
    argument_candidates,
    events_from_spans,
    realis_features,
    trigger_sentences,
    with_arguments,
)
from sahel_corpus.iob import iob2_to_spans
from sahel_corpus.scoring import event_scores
from sahel_corpus.sources import read_documents

DOCS = read_documents(CORPUS)
DOC = DOCS[0]


def test_trigger_tags_give_back_every_trigger_with_its_type() -> None:
    spans = {span for s in trigger_sentences(DOCS) for span in iob2_to_spans(s.offsets, s.tags)}
    gold = {(t.start, t.end, e.type) for e in DOC.events for t in e.triggers}
    assert spans == gold
    # one event per span scores every trigger, and no argument
    events = events_from_spans(DOC.text, sorted(spans))
    scores = event_scores([(DOC, replace(DOC, events=tuple(events)))])
    assert scores["trigger_classification"]["f1"] == 1.0
    assert scores["argument_identification"]["recall"] == 0.0


def test_every_gold_argument_is_a_labelled_candidate() -> None:
    cands = argument_candidates(DOC, None)
    labelled = {(c.event, c.entity, c.label) for c in cands if c.label != NONE}
    first_role: dict[tuple[str, str], str] = {}
    for e in DOC.events:
        for a in e.arguments:
            first_role.setdefault((e.id, a.entity), a.role)
    assert labelled == {(ev, ent, role) for (ev, ent), role in first_role.items()}
    assert all(c.label == NONE or c.label in allowed_roles(c.event_type, c.entity_type)
               for c in cands)  # fmt: skip
    # the gold roles put back by with_arguments are the gold events (first role per entity)
    back = with_arguments(DOC.events, cands, [c.label for c in cands])
    scores = event_scores([(DOC, replace(DOC, events=tuple(back)))])
    assert scores["argument_classification"]["recall"] >= 0.95


def test_argument_classifier_fits_predicts_allowed_roles_and_clones() -> None:
    cands = argument_candidates(DOC, None)
    clf = ArgumentClassifier(seed=0)
    assert clf.fit(cands, [c.label for c in cands]) is clf
    assert hasattr(clf, "model_") and clone(clf).get_params() == clf.get_params()
    pred = clf.predict(cands)
    assert all(p == NONE or p in allowed_roles(c.event_type, c.entity_type)
               for c, p in zip(cands, pred, strict=True))  # fmt: skip
    train_acc = sum(p == c.label for c, p in zip(cands, pred, strict=True)) / len(cands)
    assert train_acc > 0.8


def test_realis_classifier_reads_cue_words() -> None:
    items = [(DOC, e) for e in DOC.events]
    clf = RealisClassifier().fit(items, [e.realis for _, e in items])
    assert set(clf.predict(items)) <= set(inv.EVENT_REALIS)
    planned = next(e for e in DOC.events if e.realis == "OTHER")
    assert "type=" + planned.type in realis_features(DOC, planned)


def test_the_extractor_returns_machine_made_events_that_validate() -> None:
    from sahel_corpus.baselines.pipeline import Extractor
    from sahel_corpus.model import document_to_dict, without_events
    from sahel_corpus.validate import validate_data

    extractor = Extractor.train(DOCS)
    doc = extractor.extract_document(DOC.text, "x")
    assert doc.events and all(e.machine for e in doc.events)
    assert {t.text.lower() for e in doc.events for t in e.triggers} <= {
        t.text.lower() for e in DOC.events for t in e.triggers
    } | {"attacks", "left"}  # trained on this very article: it finds its triggers
    assert any(e.arguments for e in doc.events)
    assert validate_data(document_to_dict(doc), "x.json", text=DOC.text) == []
    # documents whose files have no event layer teach no events
    untaught = Extractor.train([without_events(DOC)])
    assert untaught.triggers is None and not untaught.extract_document(DOC.text, "x").events
