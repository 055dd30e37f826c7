"""Extraction on new text: raw article in, annotation file (the corpus's own format) out.

Steps: zones and sentences (:mod:`sahel_corpus.segment`), tokens
(:mod:`sahel_corpus.tokenize`), mentions from the CRF tagger (level NAM when
the head word is capitalised or the type is DATE or CARDINAL, PRO for a
pronoun, NOM otherwise; a four-digit DATE is normalised to its year),
entities by merging mentions of the same type and lower-cased text (no actor
category or Wikipedia link is guessed), relations from the
relation classifier over mention pairs, stances from the stance classifier
over holder-target pairs, events from the trigger tagger (one event per
trigger, ACTUAL unless the realis classifier says otherwise) with arguments
from the argument classifier over trigger-mention pairs. Every entity,
mention, relation, stance and event it writes is marked ``"machine": true``
and the document's status is ``draft``.

The models train on the shipped corpus in seconds (:meth:`Extractor.train`).
:meth:`Extractor.extract_batch` runs the same extraction over a batch of a
``datasets`` dataset, for ``Dataset.map(batched=True)`` and for streaming
datasets alike.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sahel_corpus import __version__
from sahel_corpus import schema as inv
from sahel_corpus.errors import DataError
from sahel_corpus.model import (
    Document,
    DocumentMeta,
    Entity,
    Event,
    Mention,
    Relation,
    Sentence,
    Stance,
    Zone,
    document_to_dict,
    has_events,
    is_span_key,
)
from sahel_corpus.segment import propose_sentences, propose_zones
from sahel_corpus.textrules import check_text
from sahel_corpus.tokenize import token_offsets

from .data import (
    NONE,
    TaggedSentence,
    relation_candidates,
    stance_candidates,
    tagged_sentences,
)
from .events import (
    ArgumentClassifier,
    RealisClassifier,
    argument_candidates,
    events_from_spans,
    trigger_sentences,
    with_arguments,
)
from .ner import CRFTagger, TunedCRFTagger, pattern_spans
from .relations import RelationClassifier
from .stance import StanceClassifier

__all__ = ["EXTRACTOR_NAME", "PRONOUNS", "Extractor", "document_id_from_name"]

#: The annotator name written into extracted files.
EXTRACTOR_NAME = f"sahel-corpus-extract-{__version__}"

_YEAR = re.compile(r"^\d{4}$")

#: Mentions whose whole text is one of these get level PRO.
PRONOUNS = frozenset(
    [
        "it",
        "its",
        "they",
        "them",
        "their",
        "theirs",
        "he",
        "him",
        "his",
        "she",
        "her",
        "hers",
        "we",
        "us",
        "our",
        "ours",
        "those",
        "these",
        "this",
        "that",
        "itself",
        "themselves",
    ]
)
_BAD_ID = re.compile(r"[^A-Za-z0-9_-]+")


def document_id_from_name(name: str) -> str:
    """A valid document id from a file name stem.

    >>> document_id_from_name("Mali news (2023).txt")
    'Mali-news-2023-txt'
    """
    cleaned = _BAD_ID.sub("-", name).strip("-_")
    return cleaned or "document"


#: Sentences that go through the extraction steps together.
BATCH_SENTENCES = 256


@dataclass
class _Found:
    """What extraction has found so far in one document, batch after batch."""

    entities: dict[tuple[str, str], Entity] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    #: evidence sentence ids as ordered sets (dict keys), so adding one is O(1)
    relations: dict[tuple[str, str, str], dict[str, None]] = field(default_factory=dict)
    stances: dict[tuple[str, str], tuple[str, dict[str, None]]] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)

    def document(
        self,
        meta: DocumentMeta,
        text: str,
        zones: tuple[Zone, ...],
        sentences: tuple[Sentence, ...],
    ) -> Document:
        relations = tuple(
            Relation(f"r{i}", label, head, tail, tuple(ev), None, machine=True)
            for i, ((label, head, tail), ev) in enumerate(self.relations.items(), 1)
        )
        stances = tuple(
            Stance(f"st{i}", holder, label, tuple(ev), target_entity=target, machine=True)
            for i, ((holder, target), (label, ev)) in enumerate(self.stances.items(), 1)
        )
        return Document(
            meta,
            text,
            zones,
            sentences,
            tuple(self.entities.values()),
            tuple(self.mentions),
            relations,
            stances,
            events=tuple(self.events),
        )


#: Sentences the settings search of a tagger trained on other data runs on (then all are used).
TUNE_ON = 2000


#: The confidence given to a DATE or CARDINAL pattern when spans overlap.
PATTERN_CONFIDENCE = 0.5


def choose_spans(
    candidates: Iterable[tuple[int, int, str, float]],
) -> list[tuple[int, int, str]]:
    """Non-overlapping spans, the most confident first (ties: the earlier candidate wins).

    >>> choose_spans([(0, 6, "ORG", 0.3), (0, 1, "ORG", 0.9), (2, 3, "GPE", 0.8)])
    [(0, 1, 'ORG'), (2, 3, 'GPE')]
    """
    chosen: list[tuple[int, int, str]] = []
    taken: set[int] = set()
    ranked = sorted(enumerate(candidates), key=lambda item: (-item[1][3], item[0]))
    for _, (a, b, label, _) in ranked:
        if not taken.intersection(range(a, b)):
            chosen.append((a, b, label))
            taken.update(range(a, b))
    return sorted(chosen)


@dataclass
class Extractor:
    """Trained models for every extraction step.

    Mentions come from the corpus's tagger, a tagger trained on other IOB2
    data (``extra_tagger``) and the DATE and CARDINAL patterns; where their
    spans overlap the most confident wins (:func:`choose_spans`; a span's
    confidence is the CRF's lowest marginal over its tags, a pattern's
    :data:`PATTERN_CONFIDENCE`). A model that had no training data is
    ``None`` and its layer stays empty.
    """

    tagger: CRFTagger | None
    relations: RelationClassifier | None
    stances: StanceClassifier | None
    extra_tagger: CRFTagger | None = None
    patterns: bool = True
    triggers: CRFTagger | None = None
    arguments: ArgumentClassifier | None = None
    realis: RealisClassifier | None = None

    @classmethod
    def train(
        cls, docs: Sequence[Document], seed: int = 0, ner_train: Sequence[TaggedSentence] = ()
    ) -> Extractor:
        """Train every model on all the given documents (and a tagger on ``ner_train``).

        The taggers' settings are chosen by cross-validation on their own
        training data (:class:`TunedCRFTagger`; for ``ner_train`` on
        :data:`TUNE_ON` sentences of it). Relations and stances need documents.
        """
        if not docs and not ner_train:
            raise DataError(
                "got no annotated document and no --ner-train data, expected something to train on",
                code="no-training-data",
            )
        sentences = tagged_sentences(docs)
        tagger = (
            TunedCRFTagger(seed=seed)
            .fit([s.tokens for s in sentences], [s.tags for s in sentences])
            .tagger_
            if sentences
            else None
        )
        extra = (
            TunedCRFTagger(seed=seed, tune_on=TUNE_ON)
            .fit([s.tokens for s in ner_train], [s.tags for s in ner_train])
            .tagger_
            if ner_train
            else None
        )
        rel = [c for d in docs for c in relation_candidates(d, None)]
        relations = RelationClassifier(seed=seed).fit(rel, [c.label for c in rel]) if rel else None
        st = [c for d in docs for c in stance_candidates(d, None)]
        stances = StanceClassifier(seed=seed).fit(st, [c.label for c in st]) if st else None
        # events: only documents whose files have the layer teach them (1.0 files say nothing)
        with_events = [d for d in docs if has_events(d.schema_version)]
        trig = trigger_sentences(with_events)
        triggers = (
            TunedCRFTagger(seed=seed).fit([s.tokens for s in trig], [s.tags for s in trig]).tagger_
            if any(t != "O" for s in trig for t in s.tags)
            else None
        )
        args = [c for d in with_events for c in argument_candidates(d, None)]
        arguments = (
            ArgumentClassifier(seed=seed).fit(args, [c.label for c in args])
            if any(c.label != NONE for c in args)
            else None
        )
        items = [(d, e) for d in with_events for e in d.events]
        realis = (
            RealisClassifier(seed=seed).fit(items, [e.realis for _, e in items]) if items else None
        )
        return cls(tagger, relations, stances, extra, True, triggers, arguments, realis)

    def mention_spans(
        self, token_lists: Sequence[Sequence[str]]
    ) -> list[list[tuple[int, int, str]]]:
        """Token spans ``(first, last + 1, type)`` of the mentions of each sentence."""
        candidates: list[list[tuple[int, int, str, float]]] = [[] for _ in token_lists]
        for tagger in (self.tagger, self.extra_tagger):
            if tagger is not None:
                for k, spans in enumerate(tagger.predict_spans(token_lists)):
                    candidates[k] += spans
        if self.patterns:
            for k, tokens in enumerate(token_lists):
                candidates[k] += [
                    (a, b, t, PATTERN_CONFIDENCE) for a, b, t in pattern_spans(tokens)
                ]
        return [choose_spans(c) for c in candidates]

    # -- the steps ----------------------------------------------------------------------------
    def _meta(self, doc_id: str, text: str, **meta: Any) -> DocumentMeta:
        first_line = text.strip().split("\n", 1)[0].strip() or doc_id
        return DocumentMeta(
            id=doc_id,
            text_file=meta.get("text_file", f"{doc_id}.txt"),
            text_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            title=meta.get("title") or first_line,
            publisher=meta.get("publisher") or "unknown",
            url=meta.get("url"),
            published=meta.get("published"),
            language=meta.get("language") or "en",
            text_licence=meta.get("text_licence") or "unknown",
            annotation_licence="CC-BY-4.0",
            guideline_version=inv.GUIDELINE_VERSION,
            annotators=(EXTRACTOR_NAME,),
            status="draft",
        )

    def _mentions(
        self,
        text: str,
        sentence_tokens: Sequence[tuple[Any, list[tuple[int, int]]]],
        found: _Found,
    ) -> list[Mention]:
        """Tag the sentences; add their mentions (and new entities) to ``found``."""
        spans = self.mention_spans([[text[a:b] for a, b in toks] for _, toks in sentence_tokens])
        entities, mentions = found.entities, found.mentions
        new_from = len(mentions)
        for (_, toks), sentence_spans in zip(sentence_tokens, spans, strict=True):
            for first, end, label in sentence_spans:
                a, b = toks[first][0], toks[end - 1][1]
                surface = text[a:b]
                key = (label, surface.lower())
                entity = entities.get(key)
                if entity is None:
                    normalized = surface if label == "DATE" and _YEAR.match(surface) else None
                    entity = Entity(
                        f"e{len(entities) + 1}", label, None, None, normalized, machine=True
                    )
                    entities[key] = entity
                head = text[toks[end - 1][0] : toks[end - 1][1]]
                if label in inv.NAM_ONLY_TYPES or head[:1].isupper():
                    level = "NAM"
                elif surface.lower() in PRONOUNS:
                    level = "PRO"
                else:
                    level = "NOM"
                mentions.append(
                    Mention(f"m{len(mentions) + 1}", entity.id, a, b, surface, level, machine=True)
                )
        return mentions[new_from:]

    def _relations(self, doc: Document, found: _Found, named: set[str]) -> None:
        """Classify the mention pairs of ``doc``'s sentences; add relations to ``found``.

        Only pairs of entities the text names (``named``: a NAM mention) are
        candidates: a relation needs arguments the text identifies.
        """
        if self.relations is None:
            return
        cands = [
            c
            for c in relation_candidates(doc, None)
            if c.head_entity in named and c.tail_entity in named
        ]
        if not cands:
            return
        for c, label in zip(cands, self.relations.predict(cands), strict=True):
            if label == NONE or c.head_entity == c.tail_entity:
                continue
            head, tail = c.head_entity, c.tail_entity
            if inv.is_symmetric(label) and tail < head:
                head, tail = tail, head
            found.relations.setdefault((label, head, tail), {})[c.sentence_id] = None

    def _stances(self, doc: Document, found: _Found, named: set[str]) -> None:
        """Classify the holder-target pairs of ``doc``'s sentences; add stances to ``found``.

        Only holders and target entities the text names are candidates.
        """
        if self.stances is None:
            return
        cands = [
            c
            for c in stance_candidates(doc, None)
            if c.holder in named and (is_span_key(c.target) or c.target in named)
        ]
        if not cands:
            return
        for c, label in zip(cands, self.stances.predict(cands), strict=True):
            if label == NONE or is_span_key(c.target):
                continue
            key = (c.holder, c.target)
            if key not in found.stances:
                found.stances[key] = (label, {c.sentence_id: None})
            elif found.stances[key][0] == label:
                found.stances[key][1][c.sentence_id] = None

    def _events(
        self, doc: Document, found: _Found, tokens: Sequence[list[tuple[int, int]]] | None = None
    ) -> None:
        """Tag the triggers of ``doc``'s sentences (``tokens``: their token offsets, if known);
        add their events, with realis and arguments among ``doc``'s mentions, to ``found``."""
        if self.triggers is None:
            return
        if tokens is None:
            tokens = [token_offsets(doc.text, s.start, s.end) for s in doc.sentences]
        spans: list[tuple[int, int, str]] = []
        for toks, found_spans in zip(
            tokens,
            self.triggers.predict_spans([[doc.text[a:b] for a, b in t] for t in tokens]),
            strict=True,
        ):
            spans += [(toks[a][0], toks[b - 1][1], label) for a, b, label, _ in found_spans]
        events = events_from_spans(doc.text, spans, len(found.events) + 1)
        if not events:
            return
        if self.realis is not None:
            labels = self.realis.predict([(doc, e) for e in events])
            events = [replace(e, realis=label) for e, label in zip(events, labels, strict=True)]
        if self.arguments is not None:
            cands = argument_candidates(doc, None, events)
            if cands:
                events = with_arguments(events, cands, self.arguments.predict(cands))
        found.events.extend(events)

    def extract_document(
        self,
        text: str,
        doc_id: str,
        progress: Callable[[int], object] | None = None,
        **meta: Any,
    ) -> Document:
        """Annotate one text; return a draft :class:`Document` of machine-made layers.

        ``progress``, if given, is called with the number of words done after
        each batch of sentences.
        """
        check_text(text, doc_id, DataError)
        zones = tuple(propose_zones(text))
        sentences = tuple(propose_sentences(text, zones))
        return self.annotate(text, doc_id, zones, sentences, progress, **meta)

    def annotate(
        self,
        text: str,
        doc_id: str,
        zones: tuple[Zone, ...],
        sentences: tuple[Sentence, ...],
        progress: Callable[[int], object] | None = None,
        **meta: Any,
    ) -> Document:
        """Fill entities, mentions, relations, stances and events into given zones and sentences.

        Sentences go through every step in batches of :data:`BATCH_SENTENCES`
        (relation and stance candidates never cross a sentence), so memory
        stays bounded by the batch and ``progress`` reports after each batch.
        Entities are merged across batches by type and lower-cased text.
        """
        document_meta = self._meta(doc_id, text, **meta)
        found = _Found()
        for start in range(0, len(sentences), BATCH_SENTENCES):
            batch = sentences[start : start + BATCH_SENTENCES]
            tokens = [(s, token_offsets(text, s.start, s.end)) for s in batch]
            mentions = self._mentions(text, tokens, found)
            part = Document(
                document_meta,
                text,
                zones,
                batch,
                tuple(found.entities.values()),
                tuple(mentions),
            )
            named = {m.entity for m in found.mentions if m.level == "NAM"}
            self._relations(part, found, named)
            self._stances(part, found, named)
            self._events(part, found, [t for _, t in tokens])
            if progress is not None:
                progress(sum(len(t) for _, t in tokens))
        return found.document(document_meta, text, zones, sentences)

    def annotate_relations(self, doc: Document) -> Document:
        """The document with relations, stances and events predicted over its own mentions."""
        found = _Found()
        named = {m.entity for m in doc.mentions if m.level == "NAM"}
        self._relations(doc, found, named)
        self._stances(doc, found, named)
        self._events(doc, found)
        done = found.document(doc.meta, doc.text, doc.zones, doc.sentences)
        return replace(doc, relations=done.relations, stances=done.stances, events=done.events)

    def extract(self, text: str, doc_id: str, **meta: Any) -> dict[str, Any]:
        """Annotate one text; return the annotation file's dictionary."""
        return document_to_dict(self.extract_document(text, doc_id, **meta))

    def extract_batch(self, batch: dict[str, list[Any]]) -> dict[str, list[Any]]:
        """``Dataset.map(batched=True)`` function: a ``text`` column (and optional ``id``)
        in, an ``annotation`` column (the annotation file as JSON text) out."""
        texts = batch["text"]
        ids = batch.get("id") or [hashlib.sha256(t.encode("utf-8")).hexdigest()[:16] for t in texts]
        return {
            "annotation": [
                json.dumps(self.extract(t, document_id_from_name(str(i))), ensure_ascii=False)
                for t, i in zip(texts, ids, strict=True)
            ]
        }

    def extract_stream(
        self, rows: Iterable[dict[str, Any]], progress: bool = False, total: int | None = None
    ) -> Iterator[dict[str, Any]]:
        """Annotate rows with a ``text`` column one by one, with an optional progress bar."""
        if progress:
            from tqdm import tqdm

            rows = tqdm(rows, total=total, unit="doc", desc="extract")
        for k, row in enumerate(rows):
            doc_id = document_id_from_name(str(row.get("id", k)))
            yield self.extract(row["text"], doc_id)
