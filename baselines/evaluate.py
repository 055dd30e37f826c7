"""Cross-validated runs of the baselines and their results tables.

Every evaluated fold is tested once with a model trained on all other data
(rows of fold :data:`~sahel_corpus.baselines.data.TRAIN_ONLY` are always in
training). Scores are computed per fold; the table gives mean and standard
deviation over folds. Per-fold predictions (JSON Lines) and metrics (JSON)
go to the output folder.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable, Sequence
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from sahel_corpus.errors import DataError
from sahel_corpus.evaluation import evaluate_rows, restrict_to_fold
from sahel_corpus.fileio import atomic_output, write_atomic
from sahel_corpus.iob import iob2_to_spans
from sahel_corpus.model import Document, Entity, Event, Mention
from sahel_corpus.scoring import event_scores, ner_scores, realis_scores, stance_scores
from sahel_corpus.stats import markdown_table

from .data import (
    NONE,
    TRAIN_ONLY,
    RelationCandidate,
    StanceCandidate,
    TaggedSentence,
    relation_candidates,
    spans_from_tags,
    stance_candidates,
)
from .events import (
    ArgumentClassifier,
    RealisClassifier,
    argument_candidates,
    events_from_spans,
    trigger_sentences,
    with_arguments,
)
from .linear import MajorityClassifier
from .ner import MajorityTagger, MemorizationTagger, TunedCRFTagger
from .relations import RelationClassifier
from .stance import StanceClassifier

__all__ = [
    "TABLE_METRICS",
    "evaluated_folds",
    "render_results",
    "run_events",
    "run_ner",
    "run_relations",
    "run_stance",
    "summarise",
]

Folds = dict[tuple[str, str], int]


def evaluated_folds(folds: Sequence[int], expected: int | None = None) -> list[int]:
    """The folds to test on; with ``expected``, check that there are that many.

    >>> evaluated_folds([0, 1, 1, -1, 2])
    [0, 1, 2]
    """
    found = sorted({f for f in folds if f != TRAIN_ONLY})
    if not found:
        raise DataError(
            "got no fold to evaluate, expected a `fold` value on the test rows", code="no-test-fold"
        )
    if expected is not None and len(found) != expected:
        raise DataError(
            f"got --folds {expected}, but the data have {len(found)} fold(s) "
            f"({', '.join(map(str, found))}); expected them to agree",
            code="folds",
        )
    return found


def _write_jsonl(path: Path, rows: Sequence[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(path) as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def summarise(per_fold: Sequence[dict[str, float]]) -> dict[str, dict[str, float]]:
    """Mean and sample standard deviation of each metric over folds.

    >>> summarise([{"f1": 0.5}, {"f1": 0.7}])
    {'f1': {'mean': 0.6, 'std': 0.1414}}
    """
    out = {}
    for key in per_fold[0]:
        values = [m[key] for m in per_fold]
        std = statistics.stdev(values) if len(values) > 1 else 0.0
        out[key] = {"mean": round(statistics.fmean(values), 4), "std": round(std, 4)}
    return out


def _split(items: Sequence[Any], fold: int) -> tuple[list[Any], list[Any]]:
    train = [x for x in items if x.fold != fold]
    test = [x for x in items if x.fold == fold]
    if not train:
        raise DataError(
            f"fold {fold}: got an empty training set, expected data in other folds",
            code="empty-training",
        )
    return train, test


NER_MODELS: dict[str, Callable[[int], Any]] = {
    "majority": lambda seed: MajorityTagger(),
    "memorization": lambda seed: MemorizationTagger(),
    "crf": lambda seed: TunedCRFTagger(seed=seed),
}


def run_ner(
    sentences: Sequence[TaggedSentence],
    out: Path | None = None,
    expected_folds: int | None = None,
    seed: int = 0,
) -> dict[str, Any]:
    """Cross-validate the NER baselines; return per-fold and summary scores per model."""
    folds = evaluated_folds([s.fold for s in sentences], expected_folds)
    types = sorted({t[2:] for s in sentences for t in s.tags if t != "O"})
    results: dict[str, Any] = {}
    for name, make in NER_MODELS.items():
        per_fold = []
        for k in folds:
            train, test = _split(sentences, k)
            model = make(seed).fit([s.tokens for s in train], [s.tags for s in train])
            pred = model.predict([s.tokens for s in test])
            scores = ner_scores([s.tags for s in test], pred, types)
            per_fold.append(
                {
                    "micro_f1": scores["micro_f1"],
                    "macro_f1": scores["macro_f1"],
                    **{f"nervaluate_{k2}": v for k2, v in scores["nervaluate"].items()},
                }
            )
            if out is not None:
                _write_jsonl(
                    out / "ner" / name / f"fold-{k}.jsonl",
                    [
                        {"id": s.id, "tokens": list(s.tokens), "gold": list(s.tags), "pred": p}
                        for s, p in zip(test, pred, strict=True)
                    ],
                )
                write_atomic(
                    out / "ner" / name / f"fold-{k}.metrics.json", json.dumps(scores, indent=2)
                )
        results[name] = {"folds": per_fold, "summary": summarise(per_fold)}
    return results


RE_MODELS: dict[str, Callable[[int], Any]] = {
    "majority": lambda seed: MajorityClassifier(),
    "logreg": lambda seed: RelationClassifier(seed=seed),
}


def _e2e_candidates(
    docs: Sequence[Document],
    folds: Folds,
    test_keys: set[tuple[str, str]],
    tagger: Any,
    sentences: Sequence[TaggedSentence],
) -> list[RelationCandidate]:
    """Candidates over predicted mentions; predicted mentions merged into entities by text."""
    by_id = {s.id: s for s in sentences}
    out: list[RelationCandidate] = []
    for doc in docs:
        predicted: dict[str, list[tuple[int, int, str, str]]] = {}
        sents = [s for s in doc.sentences if (doc.id, s.id) in test_keys]
        tags = tagger.predict([by_id[f"{doc.id}/{s.id}"].tokens for s in sents])
        for s, t in zip(sents, tags, strict=True):
            spans = spans_from_tags(by_id[f"{doc.id}/{s.id}"], t)
            predicted[s.id] = [(a, b, typ, "pred:" + doc.text[a:b].lower()) for a, b, typ in spans]
        out += [
            c
            for c in relation_candidates(doc, folds, predicted)
            if (doc.id, c.sentence_id) in test_keys
        ]
    return out


def run_relations(
    docs: Sequence[Document],
    folds: Folds,
    sentences: Sequence[TaggedSentence],
    out: Path | None = None,
    expected_folds: int | None = None,
    seed: int = 0,
) -> dict[str, Any]:
    """Cross-validate relation extraction with gold entities and end to end.

    Each fold's candidate rows (with the gold candidates that predicted
    mentions missed, predicted ``NONE``) are scored by the official scorer
    (:func:`~sahel_corpus.evaluation.evaluate_rows`), so that
    ``sahel-corpus evaluate`` gives the same figures from the saved rows.
    """
    gold_cands = [c for doc in docs for c in relation_candidates(doc, folds)]
    test_folds = evaluated_folds(list(folds.values()), expected_folds)
    results: dict[str, Any] = {}
    for setting in ("gold", "e2e"):
        for name, make in RE_MODELS.items():
            per_fold = []
            for k in test_folds:
                train, test = _split(gold_cands, k)
                model = make(seed).fit(train, [c.label for c in train])
                test_keys = {key for key, f in folds.items() if f == k}
                if setting == "gold":
                    cands = test
                    rows = [
                        {**asdict(c), "pred": p}
                        for c, p in zip(cands, model.predict(cands), strict=True)
                    ]
                else:
                    train_sents = [s for s in sentences if s.fold != k]
                    tagger = TunedCRFTagger(seed=seed).fit(
                        [s.tokens for s in train_sents], [s.tags for s in train_sents]
                    )
                    cands = _e2e_candidates(docs, folds, test_keys, tagger, sentences)
                    rows = [
                        {**asdict(c), "pred": p}
                        for c, p in zip(cands, model.predict(cands), strict=True)
                    ]
                    found = {(c.document_id, c.head, c.tail) for c in cands}
                    rows += [  # gold pairs the predicted mentions missed
                        {**asdict(g), "pred": NONE}
                        for g in test
                        if g.label != NONE and (g.document_id, g.head, g.tail) not in found
                    ]
                scored = evaluate_rows(
                    restrict_to_fold(docs, k), _as_json(rows), kind="relation-candidates"
                )["relations"]
                per_fold.append({"micro_f1": scored["tacred_micro_f1"], "entity_f1": scored["f1"]})
                if out is not None:
                    folder = out / "re" / f"{name}-{setting}"
                    _write_jsonl(folder / f"fold-{k}.jsonl", rows)
                    write_atomic(folder / f"fold-{k}.metrics.json", json.dumps(scored, indent=2))
            results[f"{name}-{setting}"] = {"folds": per_fold, "summary": summarise(per_fold)}
    return results


def _as_json(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows as they read back from JSON Lines (tuples become lists)."""
    loaded: list[dict[str, Any]] = json.loads(json.dumps(list(rows)))
    return loaded


STANCE_MODELS: dict[str, Callable[[int], Any]] = {
    "majority": lambda seed: MajorityClassifier(),
    "tfidf-logreg": lambda seed: StanceClassifier(seed=seed),
}


def run_stance(
    docs: Sequence[Document],
    folds: Folds,
    out: Path | None = None,
    expected_folds: int | None = None,
    seed: int = 0,
) -> dict[str, Any]:
    """Cross-validate the stance baselines over holder-target candidates."""
    cands: list[StanceCandidate] = [c for doc in docs for c in stance_candidates(doc, folds)]
    test_folds = evaluated_folds(list(folds.values()), expected_folds)
    results: dict[str, Any] = {}
    for name, make in STANCE_MODELS.items():
        per_fold = []
        for k in test_folds:
            train, test = _split(cands, k)
            model = make(seed).fit(train, [c.label for c in train])
            pred = model.predict(test)
            scores = stance_scores([c.label for c in test], pred)
            per_fold.append({"macro_f1": scores["macro_f1"], "semeval_f1": scores["semeval_f1"]})
            if out is not None:
                _write_jsonl(
                    out / "stance" / name / f"fold-{k}.jsonl",
                    [{**asdict(c), "pred": p} for c, p in zip(test, pred, strict=True)],
                )
                write_atomic(
                    out / "stance" / name / f"fold-{k}.metrics.json", json.dumps(scores, indent=2)
                )
        results[name] = {"folds": per_fold, "summary": summarise(per_fold)}
    return results


TRIGGER_MODELS: dict[str, Callable[[int], Any]] = {
    "majority": lambda seed: MajorityTagger(),
    "memorization": lambda seed: MemorizationTagger(patterns=False),
    "crf": lambda seed: TunedCRFTagger(seed=seed),
}


def _fit_tagger(make: Callable[[int], Any], seed: int, train: Sequence[TaggedSentence]) -> Any:
    return make(seed).fit([s.tokens for s in train], [s.tags for s in train])


def _tagged_events(
    docs: Sequence[Document], sentences: Sequence[TaggedSentence], tags: Sequence[Sequence[str]]
) -> dict[str, list[Event]]:
    """Per document, one event per tagged trigger span of its sentences."""
    spans: dict[str, list[tuple[int, int, str]]] = {}
    for s, t in zip(sentences, tags, strict=True):
        spans.setdefault(s.document_id, []).extend(iob2_to_spans(s.offsets, t, strict=False))
    text = {d.id: d.text for d in docs}
    return {doc_id: events_from_spans(text[doc_id], found) for doc_id, found in spans.items()}


def _predicted_mentions(
    doc: Document, sentences: Sequence[TaggedSentence], tags: Sequence[Sequence[str]]
) -> tuple[list[Entity], list[Mention]]:
    """Mentions of tagged spans, merged into entities by type and lower-cased text."""
    entities: dict[tuple[str, str], Entity] = {}
    mentions: list[Mention] = []
    for s, t in zip(sentences, tags, strict=True):
        for a, b, label in iob2_to_spans(s.offsets, t, strict=False):
            key = (label, doc.text[a:b].lower())
            if key not in entities:
                entities[key] = Entity(f"p{len(entities) + 1}", label)
            mentions.append(
                Mention(f"pm{len(mentions) + 1}", entities[key].id, a, b, doc.text[a:b], "NAM")
            )
    return list(entities.values()), mentions


def _event_rows(doc: Document, events: Sequence[Event]) -> list[dict[str, Any]]:
    """Events as the official scorer's ``events`` rows."""
    return [
        {
            "document_id": doc.id,
            "type": e.type,
            "realis": e.realis,
            "triggers": [{"start": t.start, "end": t.end, "text": t.text} for t in e.triggers],
            "arguments": [{"role": a.role, "entity": a.entity} for a in e.arguments],
        }
        for e in events
    ]


def run_events(
    docs: Sequence[Document],
    folds: Folds,
    sentences: Sequence[TaggedSentence],
    out: Path | None = None,
    expected_folds: int | None = None,
    seed: int = 0,
) -> dict[str, Any]:
    """Cross-validate trigger tagging, argument roles (gold triggers and end to end) and realis.

    Every figure is the official scorer's (:func:`~sahel_corpus.scoring.event_scores`,
    the measures ``evaluate`` gives): the trigger taggers' and the
    gold-trigger argument models' per-fold rows (``event_triggers`` and
    ``events`` rows) score the same with ``sahel-corpus evaluate --fold K``.
    End to end, the CRF's triggers take arguments among the CRF's mentions
    (entities merged by type and text), matched to the gold ones by span.
    """
    trig_sents = trigger_sentences(docs, folds)
    test_folds = evaluated_folds(list(folds.values()), expected_folds)
    by_doc = {d.id: d for d in docs}
    gold_args = [c for d in docs for c in argument_candidates(d, folds)]
    realis_items = [(folds[(d.id, _first_sentence(d, e))], d, e) for d in docs for e in d.events]
    results: dict[str, Any] = {"event-triggers": {}, "event-arguments": {}, "realis": {}}
    per_model: dict[str, dict[str, list[dict[str, float]]]] = {task: {} for task in results}
    for k in test_folds:
        gold = restrict_to_fold(docs, k)
        gold_by_id = {g.id: g for g in gold}
        train_trig, test_trig = _split(trig_sents, k)
        crf_events: dict[str, list[Event]] = {}
        for name, make in TRIGGER_MODELS.items():
            tags = _fit_tagger(make, seed, train_trig).predict([s.tokens for s in test_trig])
            found = _tagged_events(docs, test_trig, tags)
            if name == "crf":
                crf_events = found
            pairs = [(g, replace(g, events=tuple(found.get(g.id, ())))) for g in gold]
            scored = event_scores(pairs)
            per_model["event-triggers"].setdefault(name, []).append(
                {
                    key: scored[key]["f1"]
                    for key in ("trigger_identification", "trigger_classification")
                }
            )
            if out is not None:
                rows = [
                    {
                        "id": s.id,
                        "tokens": list(s.tokens),
                        "event_tags": list(p),
                        "gold_event_tags": list(s.tags),
                    }
                    for s, p in zip(test_trig, tags, strict=True)
                ]
                _write_jsonl(out / "events" / f"triggers-{name}" / f"fold-{k}.jsonl", rows)
        train_args, test_args = _split(gold_args, k)
        for name, make in ARGUMENT_MODELS.items():
            model = make(seed).fit(train_args, [c.label for c in train_args])
            labels = model.predict(test_args)
            preds = []
            for g in gold:
                mine = [(c, p) for c, p in zip(test_args, labels, strict=True)
                        if c.document_id == g.id]  # fmt: skip
                events = with_arguments(g.events, [c for c, _ in mine], [p for _, p in mine])
                preds.append(replace(g, events=tuple(events)))
            scored = event_scores(list(zip(gold, preds, strict=True)))
            per_model["event-arguments"].setdefault(f"{name}-gold", []).append(
                _argument_row(scored)
            )
            if out is not None:
                rows = [row for p in preds for row in _event_rows(p, p.events)]
                _write_jsonl(out / "events" / f"arguments-{name}-gold" / f"fold-{k}.jsonl", rows)
            if name == "majority":
                continue
            ner_train = [s for s in sentences if s.fold != k]
            tagger = _fit_tagger(NER_MODELS["crf"], seed, ner_train)
            pairs = []
            for g in gold:
                doc = by_doc[g.id]
                ner_test = [s for s in sentences if s.document_id == g.id and s.fold == k]
                entities, mentions = _predicted_mentions(
                    doc, ner_test, tagger.predict([s.tokens for s in ner_test])
                )
                pred = replace(g, entities=tuple(entities), mentions=tuple(mentions), events=())
                events = crf_events.get(g.id, [])
                cands = argument_candidates(
                    pred, None, events,
                    [(m.start, m.end, pred.entity(m.entity).type, m.entity, m.level)
                     for m in mentions],
                )  # fmt: skip
                pred = replace(
                    pred, events=tuple(with_arguments(events, cands, model.predict(cands)))
                )
                pairs.append((gold_by_id[g.id], pred))
            scored = event_scores(pairs)
            per_model["event-arguments"].setdefault(f"{name}-e2e", []).append(_argument_row(scored))
        train_r = [(d, e) for f, d, e in realis_items if f != k]
        test_r = [(d, e) for f, d, e in realis_items if f == k]
        if not train_r:
            raise DataError(
                f"fold {k}: got an empty training set, expected data in other folds",
                code="empty-training",
            )
        for name, make in REALIS_MODELS.items():
            model = make(seed).fit(train_r, [e.realis for _, e in train_r])
            pred_r = model.predict(test_r) if test_r else []
            per_model["realis"].setdefault(name, []).append(
                realis_scores([e.realis for _, e in test_r], pred_r)
            )
    for task, models in per_model.items():
        for name, per_fold in models.items():
            results[task][name] = {"folds": per_fold, "summary": summarise(per_fold)}
    return results


def _first_sentence(doc: Document, event: Event) -> str:
    first = min(event.triggers, key=lambda t: t.start)
    sent = doc.sentence_of(first.start, first.end)
    return sent.id if sent is not None else doc.sentences[0].id


def _argument_row(scored: dict[str, Any]) -> dict[str, float]:
    return {
        key: scored[key]["f1"]
        for key in ("trigger_classification", "argument_identification", "argument_classification")
    }


ARGUMENT_MODELS: dict[str, Callable[[int], Any]] = {
    "majority": lambda seed: MajorityClassifier(),
    "logreg": lambda seed: ArgumentClassifier(seed=seed),
}

REALIS_MODELS: dict[str, Callable[[int], Any]] = {
    "majority": lambda seed: MajorityClassifier(),
    "logreg": lambda seed: RealisClassifier(seed=seed),
}


#: Columns of the results table per task: (metric key, column title).
TABLE_METRICS: dict[str, list[tuple[str, str]]] = {
    "ner": [
        ("micro_f1", "seqeval micro F1"),
        ("macro_f1", "seqeval macro F1"),
        ("nervaluate_strict", "strict"),
        ("nervaluate_exact", "exact"),
        ("nervaluate_partial", "partial"),
        ("nervaluate_ent_type", "type"),
    ],
    "re": [("micro_f1", "micro F1 (TACRED)"), ("entity_f1", "entity F1 (DocRED)")],
    "stance": [("macro_f1", "macro F1"), ("semeval_f1", "SemEval F1 (FAVOR, AGAINST)")],
    "event-triggers": [
        ("trigger_identification", "trigger identification F1"),
        ("trigger_classification", "trigger classification F1"),
    ],
    "event-arguments": [
        ("trigger_classification", "trigger classification F1"),
        ("argument_identification", "argument identification F1"),
        ("argument_classification", "argument classification F1"),
    ],
    "realis": [("accuracy", "accuracy"), ("macro_f1", "macro F1")],
}

TASK_TITLES = {
    "ner": "Named entities",
    "re": "Relations",
    "stance": "Stance",
    "event-triggers": "Event triggers",
    "event-arguments": "Event arguments (gold triggers and entities; e2e: CRF triggers and "
    "mentions)",
    "realis": "Realis (gold events)",
}


def render_results(results: dict[str, dict[str, Any]]) -> str:
    """Markdown tables, one per task: mean ± standard deviation over folds."""
    parts = []
    for task, models in results.items():
        metrics = TABLE_METRICS[task]
        rows = []
        for model, result in models.items():
            summary = result["summary"]
            rows.append(
                [model]
                + [f"{summary[key]['mean']:.3f} ± {summary[key]['std']:.3f}" for key, _ in metrics]
            )
        n = len(next(iter(models.values()))["folds"])
        header = ["model", *[title for _, title in metrics]]
        parts.append(f"{TASK_TITLES[task]} ({n} folds):\n\n" + markdown_table(header, rows))
    return "\n\n".join(parts)
