"""Event extraction baselines: trigger tagging, argument roles and realis.

* Triggers are tagged like named entities, with IOB2 tags of the event types
  over each sentence's tokens (:func:`trigger_sentences`, the
  ``event_triggers`` config): :class:`~sahel_corpus.baselines.ner.MajorityTagger`,
  :class:`~sahel_corpus.baselines.ner.MemorizationTagger` (longest match of
  the training triggers) and :class:`~sahel_corpus.baselines.ner.CRFTagger`,
  whose trigger lexicon is the same cross-fitted gazetteer as for names
  (built out-of-fold for the training sentences). Each tagged span is one
  event (:func:`events_from_spans`).
* Arguments: every pair of an event trigger and an entity mention in the
  trigger's sentence is a candidate (:func:`argument_candidates`), labelled
  with the role the entity has in the event, or ``NONE``;
  :class:`ArgumentClassifier` is logistic regression over
  :func:`argument_features`, and keeps only roles the schema allows for the
  event type and the entity type.
* Realis: :class:`RealisClassifier`, logistic regression over the event
  type, the trigger words and the words around the first trigger
  (:func:`realis_features`).

Examples
--------
>>> from sahel_corpus.sources import read_documents
>>> doc = read_documents("corpus")[0]
>>> cands = argument_candidates(doc, None)
>>> sorted({c.label for c in cands})[:3]
['AGENT', 'NONE', 'ORIGIN']
>>> sum(c.label != NONE for c in cands) >= len({(e.id, a.entity) for e in doc.events
...                                               for a in e.arguments}) - 2
True
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sklearn.base import BaseEstimator

from sahel_corpus import schema as inv
from sahel_corpus.model import Argument, Document, Event, Trigger
from sahel_corpus.tokenize import token_offsets
from sahel_corpus.views import event_trigger_tags

from .data import NONE, TaggedSentence, tagged_sentences
from .linear import LinearClassifier
from .relations import distance_bin

__all__ = [
    "ArgumentCandidate",
    "ArgumentClassifier",
    "RealisClassifier",
    "allowed_roles",
    "argument_candidates",
    "argument_features",
    "events_from_spans",
    "realis_features",
    "trigger_sentences",
    "with_arguments",
]

#: Entity types some role takes; mentions of other types make no candidate.
ARGUMENT_TYPES = frozenset(t for types in inv.ROLE_ENTITY_TYPES.values() for t in types)

#: Words around a trigger that mark a happening as not (yet) actual.
REALIS_CUES = frozenset(
    [
        "will",
        "would",
        "could",
        "may",
        "might",
        "should",
        "plan",
        "plans",
        "planned",
        "threat",
        "threaten",
        "threatened",
        "not",
        "no",
        "never",
        "expected",
        "expect",
        "possible",
        "possibly",
        "if",
        "demand",
        "demanded",
        "call",
        "called",
        "prepare",
        "preparing",
        "potential",
        "risk",
        "risks",
        "fear",
        "fears",
    ]
)


def trigger_sentences(
    docs: Sequence[Document], folds: dict[tuple[str, str], int] | None = None
) -> list[TaggedSentence]:
    """One sentence per annotated sentence, tagged with the event types of its triggers."""
    return tagged_sentences(docs, folds, event_trigger_tags)


def events_from_spans(
    text: str, spans: Sequence[tuple[int, int, str]], first: int = 1
) -> list[Event]:
    """One machine-made ACTUAL event per ``(start, end, type)`` character span.

    Events are numbered ``ev<first>``, ``ev<first + 1>``, ... and their
    triggers ``t<first>``, ... .

    >>> events_from_spans("They attacked.", [(5, 13, "ATTACK")])[0].triggers
    (Trigger(id='t1', start=5, end=13, text='attacked'),)
    """
    return [
        Event(
            f"ev{k}",
            label,
            inv.EVENT_REALIS[0],
            (Trigger(f"t{k}", a, b, text[a:b]),),
            machine=True,
        )
        for k, (a, b, label) in enumerate(spans, first)
    ]


@dataclass(frozen=True, slots=True)
class ArgumentCandidate:
    """An event trigger and an entity mention in its sentence, with the gold role (or NONE)."""

    document_id: str
    sentence_id: str
    fold: int
    event: str
    event_type: str
    trigger: tuple[int, int]
    trigger_text: str
    mention: tuple[int, int]
    entity: str
    entity_type: str
    level: str
    between: tuple[str, ...]
    label: str


def argument_candidates(
    doc: Document,
    folds: dict[tuple[str, str], int] | None,
    events: Sequence[Event] | None = None,
    mentions: Sequence[tuple[int, int, str, str, str]] | None = None,
    tokens: Mapping[str, Sequence[tuple[int, int]]] | None = None,
) -> list[ArgumentCandidate]:
    """Trigger-mention pairs within one sentence, for every trigger of every event.

    ``events`` defaults to the document's; ``mentions`` to its mentions, as
    ``(start, end, entity type, entity id, level)``. A candidate's label is
    the role its entity has in the event, when the event is one of the
    document's own, else ``NONE``. ``tokens`` maps sentence ids to their token
    offsets where the caller has them already (else they are computed).
    """
    events = doc.events if events is None else events
    if mentions is None:
        mentions = [
            (m.start, m.end, doc.entity(m.entity).type, m.entity, m.level) for m in doc.mentions
        ]
    roles = {
        (e.id, a.entity): a.role for e in doc.events for a in reversed(e.arguments)
    }  # the first role an entity has in an event wins
    own = {e.id for e in doc.events} if events is doc.events else set()
    by_start = sorted(m for m in mentions if m[2] in ARGUMENT_TYPES)
    starts = [m[0] for m in by_start]
    out = []
    #: per sentence id: token starts, token ends and lower-cased words
    words: dict[str, tuple[list[int], list[int], list[str]]] = {}
    for e in events:
        for t in e.triggers:
            sent = doc.sentence_of(t.start, t.end)
            if sent is None:
                continue
            if sent.id not in words:
                toks = (
                    tokens[sent.id]
                    if tokens is not None
                    else token_offsets(doc.text, sent.start, sent.end)
                )
                words[sent.id] = (
                    [a for a, _ in toks],
                    [b for _, b in toks],
                    [doc.text[a:b].lower() for a, b in toks],
                )
            tok_starts, tok_ends, lowers = words[sent.id]
            fold = folds.get((doc.id, sent.id), 0) if folds else 0
            lo, hi = bisect_left(starts, sent.start), bisect_left(starts, sent.end)
            for a, b, etype, entity, level in by_start[lo:hi]:
                if b > sent.end or (a < t.end and t.start < b):
                    continue
                left, right = (b, t.start) if b <= t.start else (t.end, a)
                between = tuple(
                    lowers[bisect_left(tok_starts, left) : bisect_right(tok_ends, right)]
                )
                out.append(
                    ArgumentCandidate(
                        document_id=doc.id,
                        sentence_id=sent.id,
                        fold=fold,
                        event=e.id,
                        event_type=e.type,
                        trigger=(t.start, t.end),
                        trigger_text=t.text.lower(),
                        mention=(a, b),
                        entity=entity,
                        entity_type=etype,
                        level=level,
                        between=between,
                        label=roles.get((e.id, entity), NONE) if e.id in own else NONE,
                    )
                )
    return out


@lru_cache(maxsize=1024)
def allowed_roles(event_type: str, entity_type: str) -> tuple[str, ...]:
    """The roles an entity of ``entity_type`` may fill in an event of ``event_type``.

    >>> allowed_roles("ATTACK", "DATE"), allowed_roles("WITHDRAWAL", "GPE")
    (('TIME',), ('AGENT', 'ORIGIN', 'DESTINATION'))
    """
    return tuple(
        role
        for role in inv.ROLES_OF_EVENT_TYPE.get(event_type, ())
        if entity_type in inv.ROLE_ENTITY_TYPES[role]
    )


def argument_features(c: ArgumentCandidate) -> dict[str, Any]:
    """Event type, entity type and level, their pairs, the trigger word, the mention's side
    and distance, the words between, and the roles the schema allows for the pair."""
    before = c.mention[1] <= c.trigger[0]
    f: dict[str, Any] = {
        f"et={c.event_type}": 1,
        f"nt={c.entity_type}": 1,
        f"lv={c.level}": 1,
        f"pair={c.event_type}>{c.entity_type}": 1,
        f"trig={c.trigger_text}": 1,
        f"side={'before' if before else 'after'}": 1,
        f"side_nt={'before' if before else 'after'}:{c.entity_type}": 1,
        f"dist={distance_bin(len(c.between))}": 1,
    }
    for w in c.between:
        f["bw=" + w] = 1
    if c.between:
        f[f"near={c.between[-1] if before else c.between[0]}"] = 1
    for role in allowed_roles(c.event_type, c.entity_type):
        f[f"allow={role}"] = 1
    return f


class ArgumentClassifier(BaseEstimator):  # type: ignore[misc]
    """Logistic regression over :func:`argument_features`; roles the schema forbids become NONE."""

    def __init__(self, C: float = 1.0, seed: int = 0) -> None:
        self.C = C
        self.seed = seed

    def fit(self, X: Sequence[ArgumentCandidate], y: Sequence[str]) -> ArgumentClassifier:
        self.model_ = LinearClassifier(C=self.C, seed=self.seed).fit(
            [argument_features(c) for c in X], list(y)
        )
        return self

    def predict(self, X: Sequence[ArgumentCandidate]) -> list[str]:
        labels = self.model_.predict([argument_features(c) for c in X])
        return [
            label if label in allowed_roles(c.event_type, c.entity_type) else NONE
            for c, label in zip(X, labels, strict=True)
        ]


def with_arguments(
    events: Sequence[Event], cands: Sequence[ArgumentCandidate], labels: Sequence[str]
) -> list[Event]:
    """The events with the predicted roles as arguments (one role per entity, first wins)."""
    found: dict[str, dict[str, str]] = {}
    for c, label in zip(cands, labels, strict=True):
        if label != NONE:
            found.setdefault(c.event, {}).setdefault(c.entity, label)
    return [
        Event(
            e.id,
            e.type,
            e.realis,
            e.triggers,
            tuple(Argument(role, entity) for entity, role in found.get(e.id, {}).items()),
            e.attributed_to,
            e.machine,
        )
        for e in events
    ]


def realis_features(
    doc: Document,
    event: Event,
    window: int = 4,
    tokens: Mapping[str, Sequence[tuple[int, int]]] | None = None,
) -> dict[str, Any]:
    """The event type, its trigger words, and the words within ``window`` tokens of its first
    trigger (with the cue words of :data:`REALIS_CUES` marked). ``tokens`` maps sentence
    ids to their token offsets where the caller has them already (else they are computed)."""
    first = min(event.triggers, key=lambda t: t.start)
    f: dict[str, Any] = {f"type={event.type}": 1}
    for t in event.triggers:
        f[f"trig={t.text.lower()}"] = 1
    sent = doc.sentence_of(first.start, first.end)
    if sent is None:
        return f
    toks = tokens[sent.id] if tokens is not None else token_offsets(doc.text, sent.start, sent.end)
    at = next((k for k, (a, b) in enumerate(toks) if a <= first.start < b), 0)
    for k in range(max(0, at - window), min(len(toks), at + window + 1)):
        if k == at:
            continue
        word = doc.text[toks[k][0] : toks[k][1]].lower()
        side = "l" if k < at else "r"
        f[f"{side}={word}"] = 1
        if word in REALIS_CUES:
            f[f"cue={word}"] = 1
            f["cue"] = 1
    return f


class RealisClassifier(BaseEstimator):  # type: ignore[misc]
    """Logistic regression over :func:`realis_features` of ``(document, event)`` pairs."""

    def __init__(self, C: float = 1.0, seed: int = 0) -> None:
        self.C = C
        self.seed = seed

    def fit(self, X: Sequence[tuple[Document, Event]], y: Sequence[str]) -> RealisClassifier:
        self.model_ = LinearClassifier(C=self.C, seed=self.seed).fit(
            [realis_features(d, e) for d, e in X], list(y)
        )
        return self

    def predict(
        self,
        X: Sequence[tuple[Document, Event]],
        tokens: Sequence[Mapping[str, Sequence[tuple[int, int]]]] | None = None,
    ) -> list[str]:
        """The realis of each event; ``tokens``, if given, holds each pair's token offsets
        by sentence id (see :func:`realis_features`)."""
        if tokens is None:
            return self.model_.predict([realis_features(d, e) for d, e in X])
        return self.model_.predict(
            [realis_features(d, e, tokens=t) for (d, e), t in zip(X, tokens, strict=True)]
        )
