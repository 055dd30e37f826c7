"""The official scorer: a system's annotation against the gold, layer by layer.

Predictions come as annotation files (one per document, any layers) or as
JSON Lines in the row format of a dataset config, so that a model trained on
``load_dataset(...)`` can write its output directly (:func:`evaluate_rows`):

* ``ner``: ``{"id": "<document>/<sentence>", "ner_tags": [...]}``, tags as
  strings or as the config's class indices;
* ``mentions``: ``{"document_id", "start", "end", "type"}``, optionally
  ``"level"``, ``"entity_id"`` (coreference) and ``"kb_id"`` (linking);
* ``relations``: ``{"document_id", "type", "head", "tail"}`` with the gold
  entity ids, optionally ``"evidence"`` (sentence ids);
* ``stance``: ``{"document_id", "holder", "label"}`` and ``"target_entity"``
  or ``"target_start"`` and ``"target_end"``;
* ``events``: ``{"document_id", "type", "triggers": [{"start", "end"}, ...]}``,
  optionally ``"arguments": [{"role", "entity"}, ...]`` with gold entity ids,
  ``"realis"`` and ``"attributed_to"``;
* ``event_triggers``: ``{"id": "<document>/<sentence>", "event_tags": [...]}``
  (each tagged span one event);
* the baselines' per-fold predictions (``baselines-output/*/*/fold-*.jsonl``):
  rows with a gold ``"label"`` (or ``"gold"`` tags) and a ``"pred"``.

Layers and measures (:mod:`sahel_corpus.scoring` computes every one):

* NER: seqeval strict IOB2 micro and macro F1 over the outermost mentions of
  each sentence, and nervaluate (strict, exact, partial, type);
* mentions: exact span-and-type F1, also requiring the level, and per level;
* coreference: MUC, B-cubed, CEAF-e and CoNLL F1 over clusters of mention
  spans (documents pooled);
* entity linking: accuracy over the gold mentions whose entity has a
  Wikipedia link (the system must find the span and give the same link);
* relations: DocRED-style F1 over (head entity, type, tail entity) after the
  system's entities are aligned with the gold by shared mention spans, and
  evidence F1 over (relation, evidence sentence) pairs; TACRED micro F1 (the
  negative class left out) for candidate rows with a gold label;
* stance: macro F1 over FAVOR, AGAINST and NEUTRAL and the SemEval-2016 F1
  (the mean of FAVOR and AGAINST) over holder-target pairs, a pair missing on
  one side counting as no stance;
* events (schema 1.1 gold): trigger identification and classification F1,
  argument identification and classification F1 (the ACE 2005 measures of
  DyGIE++ and OneIE, arguments being entities), event coreference, realis
  and attribution (:func:`~sahel_corpus.scoring.event_scores`).

Examples
--------
>>> from sahel_corpus.sources import read_documents
>>> gold = read_documents("corpus")
>>> scores = evaluate_documents(gold, gold)
>>> scores["mentions"]["f1"], scores["coreference"]["conll_f1"], scores["stance"]["macro_f1"]
(1.0, 1.0, 1.0)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from . import schema as inv
from .errors import AnnotationError, DataError
from .fileio import iter_jsonl
from .iob import check_iob2, iob2_to_spans
from .model import Argument, Document, Event, Sentence, Trigger, has_events, span_key
from .scoring import (
    NEGATIVE,
    align_entities,
    coreference_scores,
    entity_relation_scores,
    event_scores,
    ner_scores,
    span_prf,
    stance_scores,
    tacred_scores,
)
from .stats import markdown_table
from .views import assign_folds, event_trigger_tags, restrict_to_sentences, sentence_tags

__all__ = [
    "candidate_triples",
    "evaluate_documents",
    "evaluate_rows",
    "gold_relation_triples",
    "read_rows",
    "render_evaluation",
    "render_event_scores",
    "restrict_like",
    "restrict_rows_like",
    "restrict_to_fold",
    "row_kind",
]

Triple = tuple[str, str, str, str]


# --------------------------------------------------------------------------- gold selection


def restrict_to_fold(docs: Sequence[Document], fold: int) -> list[Document]:
    """The documents cut to the sentences of ``fold`` and the annotation inside them.

    The annotation is :func:`~sahel_corpus.views.restrict_to_sentences`'s; the
    other sentences are left out too, so that NER is scored on the fold's
    sentences only. Documents with no sentence in the fold are left out.
    """
    folds = assign_folds(docs)
    out = []
    for doc in docs:
        keep = [s for s in doc.sentences if folds[(doc.id, s.id)] == fold]
        if keep:
            out.append(_cut(doc, keep))
    return out


def restrict_like(pred: Sequence[Document], gold: Sequence[Document]) -> list[Document]:
    """The predicted documents cut to the sentences the (restricted) gold kept.

    A predicted sentence is kept when it lies within a kept gold sentence,
    so predictions made on the gold's sentences are cut exactly as the gold.
    """
    spans = {d.id: [s.span for s in d.sentences] for d in gold}
    out = []
    for doc in pred:
        if doc.id in spans:
            keep = [
                s
                for s in doc.sentences
                if any(a <= s.start and s.end <= b for a, b in spans[doc.id])
            ]
            out.append(_cut(doc, keep))
    return out


def _cut(doc: Document, keep: Sequence[Sentence]) -> Document:
    return replace(restrict_to_sentences(doc, [s.id for s in keep]), sentences=tuple(keep))


# --------------------------------------------------------------------------- one layer each


def _ner(gold: Sequence[Document], pred: dict[str, Document]) -> dict[str, Any]:
    y_true, y_pred = [], []
    for g in gold:
        p = pred[g.id]
        for sent in sorted(g.sentences, key=lambda s: s.start):
            y_true.append(sentence_tags(g, sent)[1])
            y_pred.append(sentence_tags(p, sent)[1])
    return _ner_summary(ner_scores(y_true, y_pred, inv.ENTITY_TYPES))


def _ner_summary(scores: dict[str, Any]) -> dict[str, Any]:
    return {
        "micro_f1": scores["micro_f1"],
        "macro_f1": scores["macro_f1"],
        "micro_precision": scores["micro_precision"],
        "micro_recall": scores["micro_recall"],
        **{f"nervaluate_{k}": v for k, v in scores["nervaluate"].items()},
        "per_type": scores["per_type"],
    }


MentionKey = tuple[str, int, int, str, str]


def _mention_keys(docs: Iterable[Document]) -> set[MentionKey]:
    return {
        (d.id, m.start, m.end, d.entity(m.entity).type, m.level) for d in docs for m in d.mentions
    }


def mention_scores(gold: set[MentionKey], pred: set[MentionKey]) -> dict[str, Any]:
    """Exact span-and-type F1, the same with the level, and per level."""
    no_level = {k[:4] for k in gold}, {k[:4] for k in pred}
    return {
        **span_prf(*no_level),
        "gold": len(no_level[0]),
        "predicted": len(no_level[1]),
        "with_level": span_prf(gold, pred),
        "by_level": {
            lv: span_prf({k for k in gold if k[4] == lv}, {k for k in pred if k[4] == lv})
            for lv in inv.MENTION_LEVELS
        },
    }


def _clusters(docs: Iterable[Document]) -> list[set[tuple[str, int, int]]]:
    chains: dict[tuple[str, str], set[tuple[str, int, int]]] = {}
    for d in docs:
        for m in d.mentions:
            chains.setdefault((d.id, m.entity), set()).add((d.id, m.start, m.end))
    return [chains[k] for k in sorted(chains)]


def linking_accuracy(
    gold: dict[tuple[str, int, int], str], pred: dict[tuple[str, int, int], str | None]
) -> dict[str, Any]:
    """Share of the gold linked mentions whose span the system gives the same link.

    >>> linking_accuracy({("d", 0, 4): "Mali"}, {("d", 0, 4): "Mali"})
    {'accuracy': 1.0, 'linked_mentions': 1}
    """
    correct = sum(1 for k, kb in gold.items() if pred.get(k) == kb)
    return {
        "accuracy": round(correct / len(gold), 4) if gold else 0.0,
        "linked_mentions": len(gold),
    }


def _links(docs: Iterable[Document]) -> dict[tuple[str, int, int], str]:
    return {
        (d.id, m.start, m.end): kb
        for d in docs
        for m in d.mentions
        if (kb := d.entity(m.entity).kb_id) is not None
    }


def relation_scores(
    gold: Iterable[tuple[Triple, Iterable[str]]], pred: Iterable[tuple[Triple, Iterable[str]]]
) -> dict[str, Any]:
    """DocRED-style entity F1 over triples, evidence F1 and per-type F1.

    Each item is ``((document, head, type, tail), evidence sentence ids)``;
    symmetric types are compared without direction.
    """
    sym = set(inv.SYMMETRIC_RELATIONS)

    def norm(t: Triple) -> Triple:
        doc, head, typ, tail = t
        return (doc, tail, typ, head) if typ in sym and tail < head else t

    g = [(norm(t), tuple(ev)) for t, ev in gold]
    p = [(norm(t), tuple(ev)) for t, ev in pred]
    g_triples, p_triples = {t for t, _ in g}, {t for t, _ in p}
    return {
        **entity_relation_scores(g_triples, p_triples),
        "gold": len(g_triples),
        "predicted": len(p_triples),
        "evidence": span_prf(
            {(*t, s) for t, ev in g for s in ev}, {(*t, s) for t, ev in p for s in ev}
        ),
        "per_type": {
            typ: span_prf(
                {t for t in g_triples if t[2] == typ}, {t for t in p_triples if t[2] == typ}
            )
            for typ in inv.RELATION_TYPES
        },
    }


def stance_pair_scores(
    gold: dict[tuple[str, str, str], str], pred: dict[tuple[str, str, str], str]
) -> dict[str, Any]:
    """Stance scores over the union of (document, holder, target) pairs; absent = no stance."""
    pairs = sorted(set(gold) | set(pred))
    scores = stance_scores(
        [gold.get(k, NEGATIVE) for k in pairs], [pred.get(k, NEGATIVE) for k in pairs]
    )
    return {**scores, "gold": len(gold), "predicted": len(pred)}


def _stance_pairs(doc: Document, rename: dict[str, str] | None) -> dict[tuple[str, str, str], str]:
    def ent(x: str) -> str:
        if x == inv.AUTHOR or rename is None:
            return x
        return rename.get(x, f"unmatched:{x}")

    out = {}
    for s in doc.stances:
        if s.target_entity is not None:
            target = ent(s.target_entity)
        else:
            assert s.target_span is not None
            target = span_key(s.target_span.start, s.target_span.end)
        out[(doc.id, ent(s.holder), target)] = s.label
    return out


# --------------------------------------------------------------------------- documents


def evaluate_documents(gold: Sequence[Document], pred: Sequence[Document]) -> dict[str, Any]:
    """Score predicted documents against gold documents of the same texts, every layer.

    A gold document without a prediction counts as one with nothing found; a
    prediction for a document the gold lacks, or of another text, is refused.
    """
    by_id = {d.id: d for d in pred}
    gold_ids = {d.id for d in gold}
    extra = sorted(set(by_id) - gold_ids)
    if extra:
        raise DataError(
            f"got predictions for {', '.join(extra)}, expected only documents of the gold "
            f"({', '.join(sorted(gold_ids))})",
            code="unknown-document",
        )
    matched: dict[str, Document] = {}
    renames: dict[str, dict[str, str]] = {}
    for g in gold:
        p = by_id.get(g.id) or replace(
            g, entities=(), mentions=(), relations=(), stances=(), events=()
        )
        if p.text != g.text:
            raise AnnotationError(
                f"{g.id}: got a prediction of a different text, expected the gold document's "
                "text byte for byte",
                code="different-texts",
            )
        matched[g.id] = p
        renames[g.id] = align_entities(g, p)

    def triples(doc: Document, rename: dict[str, str] | None) -> list[tuple[Triple, Any]]:
        def ent(x: str) -> str:
            return x if rename is None else rename.get(x, f"unmatched:{x}")

        return [((doc.id, ent(r.head), r.type, ent(r.tail)), r.evidence) for r in doc.relations]

    gold_links = _links(gold)
    pred_links = {
        (p.id, m.start, m.end): p.entity(m.entity).kb_id
        for p in matched.values()
        for m in p.mentions
    }
    stance_gold: dict[tuple[str, str, str], str] = {}
    stance_pred: dict[tuple[str, str, str], str] = {}
    for g in gold:
        stance_gold |= _stance_pairs(g, None)
        stance_pred |= _stance_pairs(matched[g.id], renames[g.id])
    out: dict[str, Any] = {
        "documents": len(gold),
        "ner": _ner(gold, matched),
        "mentions": mention_scores(_mention_keys(gold), _mention_keys(matched.values())),
        "coreference": coreference_scores(_clusters(gold), _clusters(matched.values())),
        "linking": linking_accuracy(gold_links, pred_links),
        "relations": relation_scores(
            [t for g in gold for t in triples(g, None)],
            [t for g in gold for t in triples(matched[g.id], renames[g.id])],
        ),
        "stance": stance_pair_scores(stance_gold, stance_pred),
    }
    if any(has_events(g.schema_version) for g in gold):
        out["events"] = event_scores([(g, matched[g.id]) for g in gold])
    return out


# --------------------------------------------------------------------------- rows


def read_rows(path: str | Path) -> list[dict[str, Any]]:
    """Read a JSON Lines file of prediction rows (maybe none); errors name the file and line."""
    return [row for _, row in iter_jsonl(path, "a JSON Lines file of predictions")]


#: The keys that say which kind of rows a file holds, checked in this order.
ROW_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ner-candidates", ("gold", "pred")),
    ("relation-candidates", ("head_entity", "tail_entity", "label", "pred")),
    ("stance-candidates", ("holder", "target", "label", "pred")),
    ("ner", ("id", "ner_tags")),
    ("relations", ("document_id", "head", "tail", "type")),
    ("stance", ("document_id", "holder", "label")),
    ("mentions", ("document_id", "start", "end", "type")),
    ("events", ("document_id", "type", "triggers")),
    ("event_triggers", ("id", "event_tags")),
)


def row_kind(row: dict[str, Any]) -> str:
    """Which row format ``row`` is in (the first of :data:`ROW_KINDS` whose keys it has)."""
    for kind, keys in ROW_KINDS:
        if all(k in row for k in keys):
            return kind
    expected = "; ".join(f"{kind}: {', '.join(keys)}" for kind, keys in ROW_KINDS)
    raise DataError(
        f"got a row with keys {', '.join(sorted(row)) or 'none'}, expected the keys of one "
        f"row format ({expected})",
        code="row-format",
    )


def _field(row: dict[str, Any], key: str, kind: type, where: str) -> Any:
    value = row.get(key)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise DataError(
            f"{where}: got {key}={value!r}, expected {kind.__name__}", code="row-format"
        )
    return value


def _label(value: Any, names: Sequence[str], where: str) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(names):
        return names[value]
    if isinstance(value, str) and value in names:
        return value
    raise DataError(
        f"{where}: got label {value!r}, expected one of {', '.join(names)} (or its index)",
        code="row-label",
    )


def candidate_triples(
    rows: Sequence[dict[str, Any]], gold: Sequence[Document], key: str = "pred"
) -> set[Triple]:
    """Relation triples of candidate rows (``key`` the label field), entities made gold ones.

    A candidate's entities are mapped to the gold entity that most of the
    exact mention spans they were predicted with belong to (a predicted
    entity with no exact gold span stays unmatched).
    """
    gold_entity = {(d.id, m.start, m.end): m.entity for d in gold for m in d.mentions}
    votes: dict[tuple[str, str], dict[str, int]] = {}
    for r in rows:
        for span, entity in ((r["head"], r["head_entity"]), (r["tail"], r["tail_entity"])):
            g = gold_entity.get((r["document_id"], span[0], span[1]))
            if g is not None:
                v = votes.setdefault((r["document_id"], entity), {})
                v[g] = v.get(g, 0) + 1
    mapping = {k: max(sorted(v), key=lambda e: v[e]) for k, v in votes.items()}

    def ent(doc: str, e: str) -> str:
        return mapping.get((doc, e), f"unmatched:{e}")

    return {
        (r["document_id"], ent(r["document_id"], r["head_entity"]), r[key],
         ent(r["document_id"], r["tail_entity"]))
        for r in rows
        if r[key] != NEGATIVE
    }  # fmt: skip


def gold_relation_triples(gold: Sequence[Document]) -> list[tuple[Triple, tuple[str, ...]]]:
    """The gold relations as ``((document, head, type, tail), evidence)``."""
    return [((d.id, r.head, r.type, r.tail), r.evidence) for d in gold for r in d.relations]


def restrict_rows_like(
    rows: Sequence[dict[str, Any]], gold: Sequence[Document], kind: str
) -> list[dict[str, Any]]:
    """The rows cut to the sentences the (restricted) gold kept, as the gold was cut.

    Sentence rows (``ner``, ``event_triggers``, NER candidates) of other
    sentences are left out, mention rows outside the kept sentences too, and
    event rows keep the triggers inside them (an event with none left is
    left out) and the arguments whose entity the cut gold kept, as
    :func:`~sahel_corpus.views.restrict_to_sentences` cuts the gold; a
    relation row with evidence keeps it only if a kept sentence is in it.
    Other rows stay as they are.
    """
    kept = {d.id: [s.span for s in d.sentences] for d in gold}
    ids = {f"{d.id}/{s.id}" for d in gold for s in d.sentences}
    sentence_ids = {d.id: {s.id for s in d.sentences} for d in gold}
    entities = {d.id: {e.id for e in d.entities} for d in gold}

    def inside(doc_id: str, start: Any, end: Any) -> bool:
        return (
            isinstance(start, int)
            and isinstance(end, int)
            and any(a <= start and end <= b for a, b in kept.get(doc_id, ()))
        )

    out: list[dict[str, Any]] = []
    for r in rows:
        if kind in ("ner", "event_triggers", "ner-candidates"):
            if str(r.get("id")) in ids:
                out.append(r)
        elif kind == "mentions":
            if inside(r.get("document_id", ""), r.get("start"), r.get("end")):
                out.append(r)
        elif kind == "events" and isinstance(r.get("triggers"), list):
            doc = r.get("document_id", "")
            triggers = [
                t
                for t in r["triggers"]
                if isinstance(t, dict) and inside(doc, t.get("start"), t.get("end"))
            ]
            named = entities.get(doc, set())
            if triggers and r.get("attributed_to") in (None, *named):
                arguments = [a for a in r.get("arguments") or ()
                             if not isinstance(a, dict) or a.get("entity") in named]  # fmt: skip
                out.append({**r, "triggers": triggers, "arguments": arguments})
        elif kind == "relations" and r.get("evidence"):
            if sentence_ids.get(r.get("document_id", ""), set()) & set(r["evidence"]):
                out.append(r)
        else:
            out.append(r)
    return out


def evaluate_rows(
    gold: Sequence[Document],
    rows: Sequence[dict[str, Any]],
    name: str = "<rows>",
    kind: str | None = None,
) -> dict[str, Any]:
    """Score prediction rows (one format per file, :data:`ROW_KINDS`) against the gold.

    ``kind`` names the format; without it the first row's keys tell it (so
    an empty set of rows needs ``kind``).
    """
    kinds = [k for k, _ in ROW_KINDS]
    if kind is not None and kind not in kinds:
        raise DataError(
            f"got row format {kind!r}, expected one of {', '.join(kinds)}", code="row-format"
        )
    if kind is None:
        if not rows:
            raise DataError(
                f"{name}: got no row, expected rows or the name of their format",
                code="row-format",
            )
        kind = row_kind(rows[0])
    for number, row in enumerate(rows, 1):
        if row_kind(row) != kind:
            raise DataError(
                f"{name}: row {number}: got a {row_kind(row)} row after {kind} rows, expected "
                "one row format per file",
                code="row-format",
            )
    doc_ids = {d.id for d in gold}
    for number, row in enumerate(rows, 1):
        doc_id = row.get("document_id") or str(row.get("id", "")).split("/", 1)[0]
        if doc_id not in doc_ids:
            raise DataError(
                f"{name}: row {number}: got document {doc_id!r}, expected one of the gold "
                f"documents ({', '.join(sorted(doc_ids))})",
                code="unknown-document",
            )
    result: dict[str, Any] = {"rows": len(rows), "format": kind}
    if kind in ("ner", "ner-candidates"):
        result["ner"] = _ner_rows(gold, rows, kind, name)
    elif kind == "relation-candidates":
        y_true = [r["label"] for r in rows]
        y_pred = [r["pred"] for r in rows]
        tacred = tacred_scores(y_true, y_pred)
        result["relations"] = {
            "tacred_micro_f1": tacred["micro_f1"],
            "tacred": tacred,
            **relation_scores(
                gold_relation_triples(gold), [(t, ()) for t in candidate_triples(rows, gold)]
            ),
        }
    elif kind == "stance-candidates":
        result["stance"] = stance_scores([r["label"] for r in rows], [r["pred"] for r in rows])
    elif kind == "relations":
        pred = []
        for number, r in enumerate(rows, 1):
            where = f"{name}: row {number}"
            typ = _label(r["type"], inv.RELATION_TYPES, where)
            triple = (r["document_id"], _field(r, "head", str, where), typ,
                      _field(r, "tail", str, where))  # fmt: skip
            pred.append((triple, tuple(r.get("evidence") or ())))
        result["relations"] = relation_scores(gold_relation_triples(gold), pred)
    elif kind == "stance":
        result["stance"] = _stance_rows(gold, rows, name)
    elif kind == "events":
        result["events"] = _event_rows(gold, rows, name)
    elif kind == "event_triggers":
        result["events"] = _event_tag_rows(gold, rows, name)
    else:
        result |= _mention_rows(gold, rows, name)
    return result


def _ner_rows(
    gold: Sequence[Document], rows: Sequence[dict[str, Any]], kind: str, name: str
) -> dict[str, Any]:
    gold_tags = {
        f"{d.id}/{s.id}": sentence_tags(d, s)[1]
        for d in gold
        for s in sorted(d.sentences, key=lambda s: s.start)
    }
    pred: dict[str, list[str]] = {}
    for number, r in enumerate(rows, 1):
        where = f"{name}: row {number}"
        tags = r["pred"] if kind == "ner-candidates" else r["ner_tags"]
        sid = str(r["id"])
        if sid not in gold_tags:
            raise DataError(
                f"{where}: got sentence {sid!r}, expected a gold sentence id (document/sentence)",
                code="unknown-sentence",
            )
        if not isinstance(tags, list) or len(tags) != len(gold_tags[sid]):
            n = len(tags) if isinstance(tags, list) else tags
            raise DataError(
                f"{where}: got {n} tags for sentence {sid}, expected {len(gold_tags[sid])} (one "
                "per token of the ner config)",
                code="tag-count",
            )
        pred[sid] = [_label(t, inv.NER_TAGS, where) for t in tags]
    ids = sorted(gold_tags) if kind == "ner" else [str(r["id"]) for r in rows]
    y_true = [gold_tags[i] for i in ids]
    y_pred = [pred.get(i, ["O"] * len(gold_tags[i])) for i in ids]
    return _ner_summary(ner_scores(y_true, y_pred, inv.ENTITY_TYPES))


def _events_as_predicted(gold: Sequence[Document], found: dict[str, list[Event]]) -> dict[str, Any]:
    """Event scores of the gold documents with ``found`` as their events (gold entity ids)."""
    return event_scores([(g, replace(g, events=tuple(found.get(g.id, ())))) for g in gold])


def _event_rows(
    gold: Sequence[Document], rows: Sequence[dict[str, Any]], name: str
) -> dict[str, Any]:
    found: dict[str, list[Event]] = {}
    docs = {g.id: g for g in gold}
    for number, r in enumerate(rows, 1):
        where = f"{name}: row {number}"
        doc = docs[r["document_id"]]
        entities = {e.id for e in doc.entities}
        triggers = []
        for k, t in enumerate(_field(r, "triggers", list, where)):
            at = f"{where}: trigger {k + 1}"
            if not isinstance(t, dict):
                raise DataError(f"{at}: got {t!r}, expected an object", code="row-format")
            start, end = _field(t, "start", int, at), _field(t, "end", int, at)
            if not 0 <= start < end <= len(doc.text):
                raise DataError(
                    f"{at}: got offsets {start}:{end}, expected 0 <= start < end <= "
                    f"{len(doc.text)} (the document's text)",
                    code="row-offset",
                )
            triggers.append(Trigger(f"t{number}_{k + 1}", start, end, ""))
        if not triggers:
            raise DataError(f"{where}: got no trigger, expected at least one", code="row-format")
        arguments = []
        for k, a in enumerate(r.get("arguments") or ()):
            at = f"{where}: argument {k + 1}"
            if not isinstance(a, dict):
                raise DataError(f"{at}: got {a!r}, expected an object", code="row-format")
            role = _label(a.get("role"), inv.EVENT_ROLES, at)
            entity = _field(a, "entity", str, at)
            if entity not in entities:
                raise DataError(
                    f"{at}: got entity {entity!r}, expected an entity id of the gold document "
                    f"{doc.id} (event rows name gold entities)",
                    code="row-reference",
                )
            arguments.append(Argument(role, entity))
        realis = _label(r.get("realis", inv.EVENT_REALIS[0]), inv.EVENT_REALIS, where)
        attributed = r.get("attributed_to")
        if attributed is not None and attributed not in entities:
            raise DataError(
                f"{where}: got attributed_to={attributed!r}, expected null or an entity id of "
                f"the gold document {doc.id}",
                code="row-reference",
            )
        event = Event(
            id=f"p{number}",
            type=_label(r["type"], inv.EVENT_TYPES, where),
            realis=realis,
            triggers=tuple(triggers),
            arguments=tuple(arguments),
            attributed_to=attributed if isinstance(attributed, str) else None,
        )
        found.setdefault(r["document_id"], []).append(event)
    return _events_as_predicted(gold, found)


def _event_tag_rows(
    gold: Sequence[Document], rows: Sequence[dict[str, Any]], name: str
) -> dict[str, Any]:
    sentences = {f"{d.id}/{s.id}": (d, s) for d in gold for s in d.sentences}
    found: dict[str, list[Event]] = {}
    done: dict[str, int] = {}
    for number, r in enumerate(rows, 1):
        where = f"{name}: row {number}"
        sid = str(r["id"])
        if sid not in sentences:
            raise DataError(
                f"{where}: got sentence {sid!r}, expected a gold sentence id (document/sentence)",
                code="unknown-sentence",
            )
        doc, sent = sentences[sid]
        toks = event_trigger_tags(doc, sent)[0]
        tags = r["event_tags"]
        if not isinstance(tags, list) or len(tags) != len(toks):
            n = len(tags) if isinstance(tags, list) else tags
            raise DataError(
                f"{where}: got {n} tags for sentence {sid}, expected {len(toks)} (one per "
                "token of the event_triggers config)",
                code="tag-count",
            )
        if sid in done:
            raise DataError(
                f"{where}: got sentence {sid} again (first in row {done[sid]}), expected one "
                "row per sentence",
                code="row-duplicate",
            )
        done[sid] = number
        names = [_label(t, inv.EVENT_TAGS, where) for t in tags]
        try:
            check_iob2(names)
        except DataError as err:
            raise DataError(f"{where}: {err}", code=err.code) from None
        for k, (start, end, label) in enumerate(iob2_to_spans(toks, names)):
            trigger = Trigger(f"t{number}_{k}", start, end, doc.text[start:end])
            event = Event(f"p{number}_{k}", label, inv.EVENT_REALIS[0], (trigger,))
            found.setdefault(doc.id, []).append(event)
    scores = _events_as_predicted(gold, found)  # tags carry triggers only: no more is scored
    return {k: scores[k] for k in ("trigger_identification", "trigger_classification")}


def _stance_rows(
    gold: Sequence[Document], rows: Sequence[dict[str, Any]], name: str
) -> dict[str, Any]:
    pred: dict[tuple[str, str, str], str] = {}
    for number, r in enumerate(rows, 1):
        where = f"{name}: row {number}"
        if r.get("target_entity"):
            target = _field(r, "target_entity", str, where)
        else:
            start = _field(r, "target_start", int, where)
            target = span_key(start, _field(r, "target_end", int, where))
        key = (r["document_id"], _field(r, "holder", str, where), target)
        pred[key] = _label(r["label"], inv.STANCE_LABELS, where)
    stance_gold: dict[tuple[str, str, str], str] = {}
    for d in gold:
        stance_gold |= _stance_pairs(d, None)
    return stance_pair_scores(stance_gold, pred)


def _mention_rows(
    gold: Sequence[Document], rows: Sequence[dict[str, Any]], name: str
) -> dict[str, Any]:
    keys: set[MentionKey] = set()
    chains: dict[tuple[str, str], set[tuple[str, int, int]]] = {}
    links: dict[tuple[str, int, int], str | None] = {}
    has_entities = all("entity_id" in r for r in rows)
    has_links = any("kb_id" in r for r in rows)
    for number, r in enumerate(rows, 1):
        where = f"{name}: row {number}"
        doc = r["document_id"]
        start, end = _field(r, "start", int, where), _field(r, "end", int, where)
        typ = _label(r["type"], inv.ENTITY_TYPES, where)
        level = _label(r["level"], inv.MENTION_LEVELS, where) if "level" in r else ""
        keys.add((doc, start, end, typ, level))
        if has_entities:
            chains.setdefault((doc, str(r["entity_id"])), set()).add((doc, start, end))
        links[(doc, start, end)] = r.get("kb_id") or None
    gold_keys = _mention_keys(gold)
    if not all("level" in r for r in rows):  # no levels: score spans and types only
        gold_keys = {(*k[:4], "") for k in gold_keys}
    out: dict[str, Any] = {"mentions": mention_scores(gold_keys, keys)}
    if has_entities:
        out["coreference"] = coreference_scores(
            _clusters(gold), [chains[k] for k in sorted(chains)]
        )
    if has_links:
        out["linking"] = linking_accuracy(_links(gold), links)
    return out


# --------------------------------------------------------------------------- report


def _f(x: Any) -> str:
    return f"{x:.3f}" if isinstance(x, float) else str(x)


def render_evaluation(result: dict[str, Any]) -> str:
    """The scores as markdown tables, one per layer scored."""
    parts = []
    if "ner" in result:
        n = result["ner"]
        keys = ["micro_f1", "macro_f1", "nervaluate_strict", "nervaluate_exact",
                "nervaluate_partial", "nervaluate_ent_type"]  # fmt: skip
        parts.append(
            "NER (seqeval strict IOB2, nervaluate):\n\n"
            + markdown_table(
                ["micro F1", "macro F1", "strict", "exact", "partial", "type"],
                [[_f(n[k]) for k in keys]],
            )
        )
    if "mentions" in result:
        m = result["mentions"]
        rows = [["span and type", m["gold"], m["predicted"], _f(m["precision"]), _f(m["recall"]),
                 _f(m["f1"])]]  # fmt: skip
        w = m["with_level"]
        rows.append(["span, type and level", "", "", _f(w["precision"]), _f(w["recall"]),
                     _f(w["f1"])])  # fmt: skip
        rows += [
            [f"level {lv}", "", "", _f(v["precision"]), _f(v["recall"]), _f(v["f1"])]
            for lv, v in m["by_level"].items()
        ]
        parts.append(
            "Mentions (exact match):\n\n"
            + markdown_table(["match", "gold", "predicted", "precision", "recall", "F1"], rows)
        )
    if "coreference" in result:
        c = result["coreference"]
        parts.append(
            "Coreference:\n\n"
            + markdown_table(
                ["MUC F1", "B-cubed F1", "CEAF-e F1", "CoNLL F1"],
                [[_f(c[k]) for k in ("muc_f1", "b_cubed_f1", "ceaf_e_f1", "conll_f1")]],
            )
        )
    if "linking" in result:
        lk = result["linking"]
        parts.append(
            f"Entity linking: accuracy {_f(lk['accuracy'])} over {lk['linked_mentions']} gold "
            "linked mentions."
        )
    if "relations" in result:
        r = result["relations"]
        header = ["entity F1 (DocRED)", "precision", "recall", "evidence F1"]
        row = [_f(r["f1"]), _f(r["precision"]), _f(r["recall"]), _f(r["evidence"]["f1"])]
        if "tacred_micro_f1" in r:
            header.insert(0, "micro F1 (TACRED)")
            row.insert(0, _f(r["tacred_micro_f1"]))
        parts.append("Relations:\n\n" + markdown_table(header, [row]))
    if "stance" in result:
        s = result["stance"]
        parts.append(
            "Stance:\n\n"
            + markdown_table(
                ["macro F1", "SemEval F1 (FAVOR, AGAINST)"],
                [[_f(s["macro_f1"]), _f(s["semeval_f1"])]],
            )
        )
    if "events" in result:
        parts.append(render_event_scores(result["events"]))
    return "\n\n".join(parts)


def render_event_scores(events: dict[str, Any]) -> str:
    """The event measures as a table: ACE-style F1, coreference, realis and attribution."""
    rows = [
        [label, _f(events[key]["precision"]), _f(events[key]["recall"]), _f(events[key]["f1"])]
        for label, key in (
            ("trigger identification", "trigger_identification"),
            ("trigger classification", "trigger_classification"),
            ("argument identification", "argument_identification"),
            ("argument classification", "argument_classification"),
        )
        if key in events
    ]
    if "coreference" not in events:  # event_triggers rows: triggers only
        return "Event triggers:\n\n" + markdown_table(
            ["measure", "precision", "recall", "F1"], rows
        )
    c = events["coreference"]
    return (
        f"Events ({events['gold_events']} gold, {events['predicted_events']} predicted, "
        f"{events['matched_events']} matched):\n\n"
        + markdown_table(["measure", "precision", "recall", "F1"], rows)
        + "\n\nEvent coreference CoNLL F1 "
        + _f(c["conll_f1"])
        + f", realis accuracy {_f(events['realis_accuracy'])}, attribution accuracy "
        + f"{_f(events['attribution_accuracy'])} (over matched events)."
    )
