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
>>> prf(2, 4, 3)
{'precision': 0.5, 'recall': 0.6667, 'f1': 0.5714}
>>> tacred_scores(["A", "NONE", "B"], ["A", "B", "NONE"])["micro_f1"]
0.5
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import Any

__all__ = [
    "NEGATIVE",
    "entity_relation_scores",
    "ner_scores",
    "prf",
    "span_prf",
    "stance_scores",
    "tacred_scores",
]

NEGATIVE = "NONE"


def _f1(correct: int, predicted: int, gold: int) -> tuple[float, float, float]:
    p = correct / predicted if predicted else 0.0
    r = correct / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def prf(correct: int, predicted: int, gold: int) -> dict[str, float]:
    """Precision, recall and F1 from counts, rounded to 4 places (0 where undefined)."""
    p, r, f = _f1(correct, predicted, gold)
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def span_prf(gold: Iterable[Hashable], pred: Iterable[Hashable]) -> dict[str, float]:
    """Exact-match precision, recall and F1 of two sets of labelled spans."""
    g, p = set(gold), set(pred)
    return prf(len(g & p), len(p), len(g))


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
    """Micro precision, recall and F1 over all labels but ``negative``; per-type F1.

    A prediction counts as correct when it equals the gold label and is not
    the negative class; predicted and gold counts exclude the negative class.
    """
    if len(y_true) != len(y_pred):
        raise ValueError(
            f"got {len(y_pred)} predictions for {len(y_true)} gold labels, "
            "expected one per candidate"
        )
    labels = sorted({y for y in (*y_true, *y_pred) if y != negative})
    correct = sum(1 for t, p in zip(y_true, y_pred, strict=True) if t == p != negative)
    predicted = sum(1 for p in y_pred if p != negative)
    gold = sum(1 for t in y_true if t != negative)
    scores = prf(correct, predicted, gold)
    per_type = {}
    for label in labels:
        c = sum(1 for t, p in zip(y_true, y_pred, strict=True) if t == p == label)
        per_type[label] = {
            **prf(c, sum(1 for p in y_pred if p == label), sum(1 for t in y_true if t == label)),
            "support": sum(1 for t in y_true if t == label),
        }
    return {
        "micro_precision": scores["precision"],
        "micro_recall": scores["recall"],
        "micro_f1": scores["f1"],
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

    Each label's F1 is computed over all candidates (so predicting a stance
    where there is none costs precision); a label with neither gold nor
    predicted instances scores 0, as in scikit-learn with ``zero_division=0``.
    """
    if len(y_true) != len(y_pred):
        raise ValueError(
            f"got {len(y_pred)} predictions for {len(y_true)} gold labels, "
            "expected one per candidate"
        )
    f1s = {}
    for label in STANCE_LABELS:
        c = sum(1 for t, p in zip(y_true, y_pred, strict=True) if t == p == label)
        f1s[label] = _f1(
            c, sum(1 for p in y_pred if p == label), sum(1 for t in y_true if t == label)
        )[2]
    macro = sum(f1s.values()) / len(STANCE_LABELS)
    semeval = (f1s["FAVOR"] + f1s["AGAINST"]) / 2
    return {
        "macro_f1": round(macro, 4),
        "semeval_f1": round(semeval, 4),
        "per_label": {k: round(v, 4) for k, v in f1s.items()},
    }
