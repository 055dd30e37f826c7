"""Inter-annotator agreement between two annotations of one document.

Layers and measures:

* mentions: exact F1 (same span and type) and partial F1 (overlapping spans of
  the same type, matched one to one), overall, by entity type and by level;
* coreference: MUC, B-cubed, CEAF-e and their CoNLL-2012 average, computed by
  the ``scorch`` scorer over clusters of mention spans;
* relations: F1 over (head, type, tail) after aligning the entities of the
  two passes (symmetric types without direction);
* stance: on the holder-target pairs both passes annotated, raw agreement and
  Cohen's kappa of the labels; F1 of the pairs themselves.

Entities of pass B are aligned one to one with entities of pass A by the
number of mention spans they share (a maximum-weight matching).

Examples
--------
>>> f1(3, 4, 5)
0.6667
>>> f1(0, 0, 0)
1.0
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

from . import schema as inv
from .errors import AnnotationError
from .model import Document, has_events, span_key
from .scoring import align_entities, coreference_scores, event_scores, kappa
from .stats import markdown_table

__all__ = ["agreement", "align_entities", "f1", "render_agreement", "render_event_agreement"]

Span = tuple[int, int]


def f1(matched: int, n_a: int, n_b: int) -> float:
    """F1 of ``matched`` pairs between ``n_a`` and ``n_b`` items, rounded to 4 places.

    Two empty sets agree perfectly (1.0).
    """
    if n_a + n_b == 0:
        return 1.0
    return round(2 * matched / (n_a + n_b), 4)


def _mentions(
    doc: Document, typ: str | None = None, level: str | None = None
) -> list[tuple[int, int, str]]:
    out = []
    for m in doc.mentions:
        etype = doc.entity(m.entity).type
        if (typ is None or etype == typ) and (level is None or m.level == level):
            out.append((m.start, m.end, etype))
    return sorted(set(out))


def _partial_matches(a: Sequence[tuple[int, int, str]], b: Sequence[tuple[int, int, str]]) -> int:
    """One-to-one matches of overlapping same-type spans, maximising total overlap."""
    if not a or not b:
        return 0
    weight = np.zeros((len(a), len(b)))
    for i, (sa, ea, ta) in enumerate(a):
        for j, (sb, eb, tb) in enumerate(b):
            overlap = min(ea, eb) - max(sa, sb)
            if ta == tb and overlap > 0:
                weight[i, j] = overlap
    rows, cols = linear_sum_assignment(weight, maximize=True)
    return int(sum(1 for r, c in zip(rows, cols, strict=True) if weight[r, c] > 0))


def _mention_row(a: Document, b: Document, typ: str | None, level: str | None) -> dict[str, Any]:
    ma, mb = _mentions(a, typ, level), _mentions(b, typ, level)
    exact = len(set(ma) & set(mb))
    return {
        "a": len(ma),
        "b": len(mb),
        "exact_f1": f1(exact, len(ma), len(mb)),
        "partial_f1": f1(_partial_matches(ma, mb), len(ma), len(mb)),
    }


def _clusters(doc: Document) -> list[set[Span]]:
    chains: dict[str, set[Span]] = {}
    for m in doc.mentions:
        chains.setdefault(m.entity, set()).add((m.start, m.end))
    return [chains[k] for k in sorted(chains)]


def _relation_keys(doc: Document, rename: dict[str, str] | None = None) -> set[tuple[str, ...]]:
    keys: set[tuple[str, ...]] = set()
    for r in doc.relations:
        head = rename.get(r.head, f"b:{r.head}") if rename is not None else r.head
        tail = rename.get(r.tail, f"b:{r.tail}") if rename is not None else r.tail
        if inv.is_symmetric(r.type):
            head, tail = sorted((head, tail))
        keys.add((r.type, head, tail))
    return keys


def _stance_pairs(
    doc: Document, rename: dict[str, str] | None, spans: Sequence[Span]
) -> dict[tuple[str, str], str]:
    """Return ``{(holder, target): label}``; proposition targets snap to ``spans``."""

    def ent(x: str) -> str:
        if x == inv.AUTHOR or rename is None:
            return x
        return rename.get(x, f"b:{x}")

    pairs: dict[tuple[str, str], str] = {}
    for s in doc.stances:
        if s.target_entity is not None:
            target = ent(s.target_entity)
        else:
            assert s.target_span is not None
            t = s.target_span
            hit = next((sp for sp in spans if sp[0] < t.end and t.start < sp[1]), None)
            target = span_key(*hit) if hit else span_key(t.start, t.end)
        pairs[(ent(s.holder), target)] = s.label
    return pairs


def agreement(a: Document, b: Document) -> dict[str, Any]:
    """Return per-layer agreement between two annotations of the same text."""
    if a.text != b.text:
        raise AnnotationError(
            f"got annotations of different texts ({a.id!r} and {b.id!r}), "
            "expected two annotations of one document",
            code="different-texts",
        )
    mentions: dict[str, Any] = {"all": _mention_row(a, b, None, None)}
    mentions["by_type"] = {t: _mention_row(a, b, t, None) for t in inv.ENTITY_TYPES}
    mentions["by_level"] = {lv: _mention_row(a, b, None, lv) for lv in inv.MENTION_LEVELS}

    key, response = _clusters(a), _clusters(b)
    coref = coreference_scores(key, response)

    rename = align_entities(a, b)
    ra, rb = _relation_keys(a), _relation_keys(b, rename)
    relations: dict[str, Any] = {
        "all": {"a": len(ra), "b": len(rb), "f1": f1(len(ra & rb), len(ra), len(rb))}
    }
    for t in inv.RELATION_TYPES:
        ta = {k for k in ra if k[0] == t}
        tb = {k for k in rb if k[0] == t}
        relations[t] = {"a": len(ta), "b": len(tb), "f1": f1(len(ta & tb), len(ta), len(tb))}

    a_spans = [(s.target_span.start, s.target_span.end) for s in a.stances if s.target_span]
    pa = _stance_pairs(a, None, a_spans)
    pb = _stance_pairs(b, rename, a_spans)
    both = sorted(set(pa) & set(pb))
    labels_a = [pa[k] for k in both]
    labels_b = [pb[k] for k in both]
    stance: dict[str, Any] = {
        "a": len(pa),
        "b": len(pb),
        "matched_pairs": len(both),
        "pair_f1": f1(len(both), len(pa), len(pb)),
        "raw_agreement": round(
            sum(x == y for x, y in zip(labels_a, labels_b, strict=True)) / len(both), 4
        )
        if both
        else None,
        "kappa": kappa(labels_a, labels_b, inv.STANCE_LABELS),
    }
    out = {
        "document": a.id,
        "entities": {"a": len(a.entities), "b": len(b.entities), "aligned": len(rename)},
        "mentions": mentions,
        "coreference": coref,
        "relations": relations,
        "stance": stance,
    }
    if has_events(a.schema_version) and has_events(b.schema_version):
        # only two files with the layer agree or not on it: a 1.0 file has no layer to compare
        out["events"] = event_scores([(a, b)])
    return out


def render_event_agreement(events: dict[str, Any]) -> str:
    """The event layer's agreement as a table (from :func:`~sahel_corpus.scoring.event_scores`)."""
    c = events["coreference"]
    return markdown_table(
        [
            "events A",
            "events B",
            "trigger F1 (span and type)",
            "trigger F1 (span)",
            "argument F1 (event and entity)",
            "argument F1 (and role)",
            "event coreference MUC / B-cubed / CEAF-e / CoNLL F1",
            "realis kappa",
            "attribution agreement",
        ],
        [
            [
                events["gold_events"],
                events["predicted_events"],
                _fmt(events["trigger_classification"]["f1"]),
                _fmt(events["trigger_identification"]["f1"]),
                _fmt(events["argument_identification"]["f1"]),
                _fmt(events["argument_classification"]["f1"]),
                " / ".join(_fmt(c[k]) for k in ("muc_f1", "b_cubed_f1", "ceaf_e_f1", "conll_f1")),
                _fmt(events["realis_kappa"]),
                _fmt(events["attribution_accuracy"]),
            ]
        ],
    )


def _fmt(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def render_agreement(results: Iterable[dict[str, Any]]) -> str:
    """Return the card's agreement section body (markdown) for one or more documents."""
    parts = []
    for r in results:
        m = r["mentions"]
        rows = [
            [
                "all",
                m["all"]["a"],
                m["all"]["b"],
                _fmt(m["all"]["exact_f1"]),
                _fmt(m["all"]["partial_f1"]),
            ]
        ]
        rows += [
            [f"type {t}", v["a"], v["b"], _fmt(v["exact_f1"]), _fmt(v["partial_f1"])]
            for t, v in m["by_type"].items()
        ]
        rows += [
            [f"level {lv}", v["a"], v["b"], _fmt(v["exact_f1"]), _fmt(v["partial_f1"])]
            for lv, v in m["by_level"].items()
        ]
        parts.append(
            f"Document `{r['document']}`, passes A and B.\n\nMentions:\n\n"
            + markdown_table(["mentions", "A", "B", "exact F1", "partial F1"], rows)
        )
        c = r["coreference"]
        parts.append(
            "Coreference (scorch):\n\n"
            + markdown_table(
                ["MUC F1", "B-cubed F1", "CEAF-e F1", "CoNLL F1"],
                [
                    [
                        _fmt(c["muc_f1"]),
                        _fmt(c["b_cubed_f1"]),
                        _fmt(c["ceaf_e_f1"]),
                        _fmt(c["conll_f1"]),
                    ]
                ],
            )
        )
        rel = r["relations"]
        rows = [[t, v["a"], v["b"], _fmt(v["f1"])] for t, v in rel.items()]
        parts.append(
            "Relations (head, type, tail after entity alignment):\n\n"
            + markdown_table(["relation type", "A", "B", "F1"], rows)
        )
        s = r["stance"]
        parts.append(
            "Stance:\n\n"
            + markdown_table(
                [
                    "stances A",
                    "stances B",
                    "matched holder-target pairs",
                    "pair F1",
                    "raw agreement",
                    "Cohen's kappa",
                ],
                [
                    [
                        s["a"],
                        s["b"],
                        s["matched_pairs"],
                        _fmt(s["pair_f1"]),
                        _fmt(s["raw_agreement"]),
                        _fmt(s["kappa"]),
                    ]
                ],
            )
        )
        if "events" in r:
            passes = r.get("event_passes", "A and B")
            parts.append(
                f"Events (passes {passes}; events matched by shared triggers, arguments "
                "compared after matching events and entities):\n\n"
                + render_event_agreement(r["events"])
            )
    return "\n\n".join(parts)
