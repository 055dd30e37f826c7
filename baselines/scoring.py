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
from typing import Any

from sklearn.metrics import f1_score, precision_recall_fscore_support

from sahel_corpus.errors import DataError

__all__ = [
    "NEGATIVE",
    "entity_relation_scores",
    "ner_scores",
    "span_prf",
    "stance_scores",
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


def stance_scores(y_true: Sequence[str], y_pred: Sequence[str]) -> dict[str, Any]:
    """Macro F1 over FAVOR, AGAINST and NEUTRAL, and the SemEval-2016 FAVOR/AGAINST average.

    Each label's F1 is scikit-learn's over all candidates (so predicting a
    stance where there is none costs precision); a label with neither gold
    nor predicted instances scores 0 (``zero_division=0``).
    """
    if len(y_true) != len(y_pred):
        raise DataError(
            f"got {len(y_pred)} predictions for {len(y_true)} gold labels, "
            "expected one per candidate",
            code="prediction-count",
        )
    if not y_true:
        f1s = dict.fromkeys(STANCE_LABELS, 0.0)
    else:
        scores = f1_score(y_true, y_pred, labels=list(STANCE_LABELS), average=None, zero_division=0)
        f1s = {label: float(scores[i]) for i, label in enumerate(STANCE_LABELS)}
    macro = sum(f1s.values()) / len(STANCE_LABELS)
    semeval = (f1s["FAVOR"] + f1s["AGAINST"]) / 2
    return {
        "macro_f1": round(macro, 4),
        "semeval_f1": round(semeval, 4),
        "per_label": {k: round(v, 4) for k, v in f1s.items()},
    }
