"""Scores computed the way the field computes them.

* NER: seqeval in strict IOB2 mode (micro and macro F1, per type) and
  nervaluate (strict, exact, partial, type); :func:`span_prf` is the same
  strict span F1 on character or token spans, for end-to-end use.
* Relations: :func:`tacred_scores`, micro F1 over the relation types with the
  negative class left out (the TACRED convention), per type; and
  :func:`entity_relation_scores`, F1 over (head entity, type, tail entity)
  triples after merging mentions into entities (the DocRED convention).
* Stance: :func:`stance_scores`, macro F1 over FAVOR, AGAINST and NEUTRAL and
  the SemEval-2016 average of the FAVOR and AGAINST F1.
* Coreference: :func:`coreference_scores`, MUC, B-cubed, CEAF-e and their
  CoNLL-2012 average, by the ``scorch`` scorer.
* Events: :func:`event_scores`, trigger identification and classification
  F1 and argument identification and classification F1 (as reported on
  ACE 2005), event coreference (MUC, B-cubed, CEAF-e and CoNLL over
  clusters of trigger spans), realis agreement (accuracy and Cohen's kappa)
  and attribution accuracy over matched events.
* Entities of two annotations of one text are matched by :func:`align_entities`
  (the most shared mention spans, one to one), and events by
  :func:`align_events` (the most shared trigger spans), before relations,
  stances and arguments are compared.

The official scorer (:mod:`sahel_corpus.evaluation`), the baselines and the
agreement between annotation passes all score with these functions.

Each scorer is tested against seqeval, nervaluate or scikit-learn on
generated data.

Examples
--------
>>> span_prf({(0, 4, "GPE"), (9, 12, "ORG")}, {(0, 4, "GPE")})
{'precision': 1.0, 'recall': 0.5, 'f1': 0.6667}
>>> tacred_scores(["A", "NONE", "B"], ["A", "B", "NONE"])["micro_f1"]
0.5
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from sklearn.metrics import f1_score, precision_recall_fscore_support

from sahel_corpus.errors import DataError

if TYPE_CHECKING:
    from sahel_corpus.model import Document

__all__ = [
    "NEGATIVE",
    "STANCE_LABELS",
    "align_entities",
    "align_events",
    "coreference_scores",
    "entity_relation_scores",
    "event_scores",
    "kappa",
    "ner_scores",
    "realis_scores",
    "span_prf",
    "stance_scores",
    "strict_f1",
    "tacred_scores",
]

NEGATIVE = "NONE"


def _rounded(p: float, r: float, f: float) -> dict[str, float]:
    return {"precision": round(float(p), 4), "recall": round(float(r), 4), "f1": round(float(f), 4)}


def span_prf(gold: Iterable[Hashable], pred: Iterable[Hashable]) -> dict[str, float]:
    """Exact-match precision, recall and F1 of two sets of labelled spans (or triples).

    Each item of either set is one binary decision (in gold? predicted?),
    scored by scikit-learn; 0 where undefined.
    """
    g, p = set(gold), set(pred)
    union = list(g | p)
    if not union:
        return _rounded(0.0, 0.0, 0.0)
    y_true = [x in g for x in union]
    y_pred = [x in p for x in union]
    precision, recall, f1, _ = precision_recall_fscore_support(
        y_true, y_pred, average="binary", zero_division=0
    )
    return _rounded(precision, recall, f1)


def strict_f1(y_true: Sequence[Sequence[str]], y_pred: Sequence[Sequence[str]]) -> float:
    """seqeval's micro F1 in strict IOB2 mode (0 when neither side has an entity).

    >>> strict_f1([["B-PER", "I-PER", "O"]], [["B-PER", "O", "O"]])
    0.0
    """
    from seqeval.metrics import f1_score as seqeval_f1
    from seqeval.scheme import IOB2

    true, pred = [list(s) for s in y_true], [list(s) for s in y_pred]
    if not any(t != "O" for seq in (*true, *pred) for t in seq):
        return 0.0
    return float(seqeval_f1(true, pred, mode="strict", scheme=IOB2, zero_division=0))


def ner_scores(
    y_true: Sequence[Sequence[str]], y_pred: Sequence[Sequence[str]], types: Sequence[str]
) -> dict[str, Any]:
    """seqeval (strict IOB2) and nervaluate scores of tag sequences.

    nervaluate scores the entity types in ``types`` and any other type found
    in either sequence, so that spurious predictions of a type the gold data
    lack count against precision in both libraries.
    """
    from nervaluate import Evaluator
    from seqeval.metrics import classification_report
    from seqeval.scheme import IOB2

    true = [list(s) for s in y_true]
    pred = [list(s) for s in y_pred]
    found = {t[2:] for seq in (*true, *pred) for t in seq if t != "O"}
    if not found:  # no entity on either side: every score is 0, as with zero_division=0
        return {
            "micro_f1": 0.0,
            "macro_f1": 0.0,
            "micro_precision": 0.0,
            "micro_recall": 0.0,
            "per_type": {},
            "nervaluate": dict.fromkeys(("strict", "exact", "partial", "ent_type"), 0.0),
        }
    report = classification_report(
        true, pred, mode="strict", scheme=IOB2, output_dict=True, zero_division=0
    )
    per_type = {
        t: {
            "precision": round(float(v["precision"]), 4),
            "recall": round(float(v["recall"]), 4),
            "f1": round(float(v["f1-score"]), 4),
            "support": int(v["support"]),
        }
        for t, v in report.items()
        if t not in ("micro avg", "macro avg", "weighted avg")
    }
    all_types = sorted(set(types) | found)
    results = Evaluator(true, pred, tags=all_types, loader="list").evaluate()
    overall = results["overall"] if isinstance(results, dict) else results[0]
    nerv = {k: round(float(overall[k].f1), 4) for k in ("strict", "exact", "partial", "ent_type")}
    return {
        "micro_f1": round(float(report["micro avg"]["f1-score"]), 4),
        "macro_f1": round(float(report["macro avg"]["f1-score"]), 4),
        "micro_precision": round(float(report["micro avg"]["precision"]), 4),
        "micro_recall": round(float(report["micro avg"]["recall"]), 4),
        "per_type": per_type,
        "nervaluate": nerv,
    }


def tacred_scores(
    y_true: Sequence[str], y_pred: Sequence[str], negative: str = NEGATIVE
) -> dict[str, Any]:
    """Micro precision, recall and F1 over all labels but ``negative``; per-type scores.

    scikit-learn's micro average over the positive labels: a prediction is
    correct when it equals the gold label and is not the negative class, and
    neither count includes the negative class (the TACRED convention).
    """
    if len(y_true) != len(y_pred):
        raise DataError(
            f"got {len(y_pred)} predictions for {len(y_true)} gold labels, "
            "expected one per candidate",
            code="prediction-count",
        )
    labels = sorted({y for y in (*y_true, *y_pred) if y != negative})
    if not labels:
        zero = _rounded(0.0, 0.0, 0.0)
        return {f"micro_{k}": v for k, v in zero.items()} | {"per_type": {}}
    p, r, f, _ = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, average="micro", zero_division=0
    )
    ps, rs, fs, support = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, average=None, zero_division=0
    )
    per_type = {
        label: {**_rounded(ps[i], rs[i], fs[i]), "support": int(support[i])}
        for i, label in enumerate(labels)
    }
    return {
        "micro_precision": round(float(p), 4),
        "micro_recall": round(float(r), 4),
        "micro_f1": round(float(f), 4),
        "per_type": per_type,
    }


def entity_relation_scores(
    gold: Iterable[tuple[str, str, str, str]],
    pred: Iterable[tuple[str, str, str, str]],
    symmetric: Iterable[str] = (),
) -> dict[str, float]:
    """F1 over ``(document, head entity, type, tail entity)`` triples.

    Types in ``symmetric`` are compared without direction.
    """
    sym = set(symmetric)

    def norm(items: Iterable[tuple[str, str, str, str]]) -> set[tuple[str, str, str, str]]:
        out = set()
        for doc, head, typ, tail in items:
            if typ in sym and tail < head:
                head, tail = tail, head
            out.add((doc, head, typ, tail))
        return out

    return span_prf(norm(gold), norm(pred))


#: The stance labels scored (the negative class is left out).
STANCE_LABELS = ("FAVOR", "AGAINST", "NEUTRAL")


def realis_scores(y_true: Sequence[str], y_pred: Sequence[str]) -> dict[str, float]:
    """Accuracy and macro F1 of realis labels of the same events (labels either side uses).

    >>> realis_scores(["ACTUAL", "OTHER"], ["ACTUAL", "ACTUAL"])
    {'accuracy': 0.5, 'macro_f1': 0.3333}
    """
    from sahel_corpus.schema import EVENT_REALIS

    if len(y_true) != len(y_pred):
        raise DataError(
            f"got {len(y_pred)} predictions for {len(y_true)} gold labels, expected one per event",
            code="prediction-count",
        )
    if not y_true:
        return {"accuracy": 0.0, "macro_f1": 0.0}
    used = [label for label in EVENT_REALIS if label in set(y_true) | set(y_pred)]
    macro = f1_score(y_true, y_pred, labels=used, average="macro", zero_division=0)
    accuracy = sum(a == b for a, b in zip(y_true, y_pred, strict=True)) / len(y_true)
    return {"accuracy": round(accuracy, 4), "macro_f1": round(float(macro), 4)}


def stance_scores(y_true: Sequence[str], y_pred: Sequence[str]) -> dict[str, Any]:
    """Macro F1 over FAVOR, AGAINST and NEUTRAL, and the SemEval-2016 FAVOR/AGAINST average.

    Each label's F1 is scikit-learn's over all candidates (so predicting a
    stance where there is none costs precision). The averages take the
    labels that occur in the gold or the predictions: a label neither side
    uses has nothing to score and is left out (so an annotation scored
    against itself gets 1.0); with no stance on either side there is nothing
    to score and both are 0, as :func:`span_prf` gives for two empty sets.

    >>> stance_scores(["AGAINST", "NONE"], ["AGAINST", "NONE"])["macro_f1"]
    1.0
    >>> stance_scores(["AGAINST", "FAVOR"], ["AGAINST", "NONE"])["semeval_f1"]
    0.5
    """
    if len(y_true) != len(y_pred):
        raise DataError(
            f"got {len(y_pred)} predictions for {len(y_true)} gold labels, "
            "expected one per candidate",
            code="prediction-count",
        )
    used = [label for label in STANCE_LABELS if label in set(y_true) | set(y_pred)]
    f1s: dict[str, float] = {}
    if used:
        scores = f1_score(y_true, y_pred, labels=used, average=None, zero_division=0)
        f1s = {label: float(scores[i]) for i, label in enumerate(used)}
    macro = sum(f1s.values()) / len(f1s) if f1s else 0.0
    polar = [f1s[label] for label in ("FAVOR", "AGAINST") if label in f1s]
    semeval = sum(polar) / len(polar) if polar else 0.0
    return {
        "macro_f1": round(macro, 4),
        "semeval_f1": round(semeval, 4),
        "per_label": {k: round(v, 4) for k, v in f1s.items()},
    }


def coreference_scores(key: Sequence[set[Any]], response: Sequence[set[Any]]) -> dict[str, float]:
    """MUC, B-cubed and CEAF-e F1 and their CoNLL-2012 average, by ``scorch``.

    ``key`` and ``response`` are lists of clusters (sets of mention keys);
    clusters of several documents can be pooled by keying mentions with
    their document.

    Clusters that share no mention score 0 (``scorch`` has no harmonic mean
    of zeros to give there), and the CoNLL score is the mean of the three F1.

    >>> coreference_scores([{1, 2}, {3}], [{1, 2}, {3}])["conll_f1"]
    1.0
    >>> coreference_scores([{1}], [{2}])["conll_f1"]
    0.0
    """
    import warnings
    from statistics import StatisticsError

    from scorch import scores

    def f1(metric: Any) -> float:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            try:
                return float(metric(key, response)[2])
            except (StatisticsError, ZeroDivisionError):
                return 0.0

    muc, b_cubed, ceaf_e = f1(scores.muc), f1(scores.b_cubed), f1(scores.ceaf_e)
    return {
        "muc_f1": round(muc, 4),
        "b_cubed_f1": round(b_cubed, 4),
        "ceaf_e_f1": round(ceaf_e, 4),
        "conll_f1": round((muc + b_cubed + ceaf_e) / 3, 4),
    }


def _match(a_spans: dict[str, set[Any]], b_spans: dict[str, set[Any]]) -> dict[str, str]:
    """A maximum-weight one-to-one matching of ``b``'s ids to ``a``'s by shared spans."""
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    a_ids, b_ids = list(a_spans), list(b_spans)
    if not a_ids or not b_ids:
        return {}
    weight = np.array([[len(a_spans[x] & b_spans[y]) for y in b_ids] for x in a_ids], float)
    rows, cols = linear_sum_assignment(weight, maximize=True)
    return {b_ids[c]: a_ids[r] for r, c in zip(rows, cols, strict=True) if weight[r, c] > 0}


def align_entities(a: Document, b: Document) -> dict[str, str]:
    """Map entity ids of ``b`` to entity ids of ``a`` by shared mention spans.

    A maximum-weight one-to-one matching on the number of mention spans two
    entities share; entities sharing none stay unmatched.
    """
    return _match(
        {e.id: {m.span for m in a.mentions_of(e.id)} for e in a.entities},
        {e.id: {m.span for m in b.mentions_of(e.id)} for e in b.entities},
    )


def align_events(a: Document, b: Document) -> dict[str, str]:
    """Map event ids of ``b`` to event ids of ``a`` by shared trigger spans (one to one)."""
    return _match(
        {e.id: {t.span for t in e.triggers} for e in a.events},
        {e.id: {t.span for t in e.triggers} for e in b.events},
    )


def kappa(x: Sequence[str], y: Sequence[str], labels: Sequence[str]) -> float | None:
    """Cohen's kappa of two label sequences (None for none; 1.0 for one label throughout).

    >>> kappa(["A", "B"], ["A", "B"], ["A", "B"]), kappa([], [], ["A"])
    (1.0, None)
    """
    from sklearn.metrics import cohen_kappa_score

    if not x:
        return None
    if len(set(x) | set(y)) == 1:
        return 1.0  # one label throughout, identical in both: perfect agreement
    return round(float(cohen_kappa_score(x, y, labels=list(labels))), 4)


def event_scores(pairs: Sequence[tuple[Document, Document]]) -> dict[str, Any]:
    """Event layer scores of (gold, predicted) documents of the same texts, pooled.

    The measures event-extraction papers report on ACE 2005 (DyGIE++, OneIE),
    with this corpus's arguments being entities rather than spans:

    * ``trigger_identification``: a trigger found with the same span;
    * ``trigger_classification``: the same span and its event's type;
    * ``argument_identification``: an (event, entity) pair found, the
      predicted event matched with a gold one of the same type by shared
      trigger spans (:func:`align_events`) and the entity with a gold one by
      shared mention spans (:func:`align_entities`);
    * ``argument_classification``: the same, with the same role.

    Beside them: event coreference (MUC, B-cubed, CEAF-e, CoNLL over clusters
    of trigger spans), and realis and attribution compared on matched events.

    >>> from sahel_corpus.sources import read_documents
    >>> gold = read_documents("corpus")
    >>> scores = event_scores([(d, d) for d in gold])
    >>> scores["trigger_classification"]["f1"], scores["argument_classification"]["f1"]
    (1.0, 1.0)
    """
    from sahel_corpus.schema import EVENT_REALIS

    trig_g: set[tuple[str, int, int, str]] = set()
    trig_p: set[tuple[str, int, int, str]] = set()
    args_g: set[tuple[str, str, str, str, str]] = set()
    args_p: set[tuple[str, str, str, str, str]] = set()
    chains_g: list[set[tuple[str, int, int]]] = []
    chains_p: list[set[tuple[str, int, int]]] = []
    realis_g: list[str] = []
    realis_p: list[str] = []
    attributed = 0
    for gold, pred in pairs:
        events = align_events(gold, pred)
        entities = align_entities(gold, pred)
        doc = gold.id
        for e in gold.events:
            trig_g |= {(doc, t.start, t.end, e.type) for t in e.triggers}
            chains_g.append({(doc, t.start, t.end) for t in e.triggers})
            args_g |= {(doc, e.id, e.type, a.entity, a.role) for a in e.arguments}
        gold_events = {e.id: e for e in gold.events}
        for e in pred.events:
            trig_p |= {(doc, t.start, t.end, e.type) for t in e.triggers}
            chains_p.append({(doc, t.start, t.end) for t in e.triggers})
            event = events.get(e.id, f"unmatched:{e.id}")
            args_p |= {
                (doc, event, e.type, entities.get(a.entity, f"unmatched:{a.entity}"), a.role)
                for a in e.arguments
            }
            if e.id in events:
                g = gold_events[events[e.id]]
                realis_g.append(g.realis)
                realis_p.append(e.realis)
                by = entities.get(e.attributed_to or "", None) if e.attributed_to else None
                attributed += by == g.attributed_to
    matched = len(realis_g)
    return {
        "trigger_identification": span_prf({k[:3] for k in trig_g}, {k[:3] for k in trig_p}),
        "trigger_classification": span_prf(trig_g, trig_p),
        "argument_identification": span_prf({k[:4] for k in args_g}, {k[:4] for k in args_p}),
        "argument_classification": span_prf(args_g, args_p),
        "coreference": coreference_scores(chains_g, chains_p),
        "matched_events": matched,
        "realis_accuracy": round(
            sum(x == y for x, y in zip(realis_g, realis_p, strict=True)) / matched, 4
        )
        if matched
        else 0.0,
        "realis_kappa": kappa(realis_g, realis_p, EVENT_REALIS),
        "attribution_accuracy": round(attributed / matched, 4) if matched else 0.0,
        "gold_events": sum(len(g.events) for g, _ in pairs),
        "predicted_events": sum(len(p.events) for _, p in pairs),
    }
