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

import gc
import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sahel_corpus import __version__
from sahel_corpus import schema as inv
from sahel_corpus.errors import DataError
from sahel_corpus.iob import iob2_token_spans
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
from sahel_corpus.sources import dumps_annotation
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

__all__ = [
    "EXTRACTOR_NAME",
    "PRONOUNS",
    "Extractor",
    "document_id_from_name",
    "freeze_for_extraction",
]

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


def freeze_for_extraction() -> None:
    """Put every object alive now, the trained models above all, out of the garbage
    collector's reach (:func:`gc.freeze`), in a process that keeps them to extract.

    Extraction makes many short-lived objects, so the collector runs often, and
    each full pass would walk the models' objects again: on the synthetic
    articles that costs about a tenth of the extraction time. Call it once the
    models are trained or loaded; the objects frozen are never freed.
    """
    gc.freeze()


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


@dataclass
class _Job:
    """One document being annotated: what it is given and what has been found in it."""

    meta: DocumentMeta
    text: str
    zones: tuple[Zone, ...]
    sentences: tuple[Sentence, ...]
    found: _Found = field(default_factory=_Found)


@dataclass(frozen=True)
class _Part:
    """The sentences of one document that a chunk holds, as a document of the mentions found
    in them, with the entities the text names so far and each sentence's token offsets and
    words (by sentence id)."""

    doc: Document
    found: _Found
    named: set[str]
    tokens: dict[str, list[tuple[int, int]]]
    words: dict[str, list[str]]


def _chunks(jobs: Sequence[_Job]) -> Iterator[list[tuple[_Job, tuple[Sentence, ...]]]]:
    """The jobs' sentences in chunks of at least :data:`BATCH_SENTENCES` (but the last).

    A document is cut at every :data:`BATCH_SENTENCES`-th sentence, as if it were
    alone, so it gets the same annotation in any company; a chunk gathers such
    pieces of consecutive documents and holds at most one piece of each.
    """
    chunk: list[tuple[_Job, tuple[Sentence, ...]]] = []
    size = 0
    for job in jobs:
        for start in range(0, len(job.sentences), BATCH_SENTENCES):
            piece = job.sentences[start : start + BATCH_SENTENCES]
            chunk.append((job, piece))
            size += len(piece)
            if size >= BATCH_SENTENCES:
                yield chunk
                chunk, size = [], 0
    if chunk:
        yield chunk


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
        tokens: Sequence[list[tuple[int, int]]],
        spans: Iterator[Any],
        found: _Found,
    ) -> list[Mention]:
        """Add the mentions of tagged sentences (their token offsets, and their token spans
        taken from ``spans``) and their new entities to ``found``; return the new mentions."""
        entities, mentions = found.entities, found.mentions
        new_from = len(mentions)
        for toks in tokens:
            for first, end, label in next(spans):
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

    def _relations(self, parts: Sequence[_Part]) -> None:
        """Classify the mention pairs of each part's sentences, all parts in one prediction;
        add the relations to each part's ``found``.

        Only pairs of entities the text names (a NAM mention) are candidates: a
        relation needs arguments the text identifies.
        """
        if self.relations is None:
            return
        cands = [relation_candidates(p.doc, None, tokens=p.tokens, only=p.named) for p in parts]
        labels = iter(self.relations.predict([c for group in cands for c in group]))
        for p, group in zip(parts, cands, strict=True):
            for c in group:
                label = next(labels)
                if label == NONE or c.head_entity == c.tail_entity:
                    continue
                head, tail = c.head_entity, c.tail_entity
                if inv.is_symmetric(label) and tail < head:
                    head, tail = tail, head
                p.found.relations.setdefault((label, head, tail), {})[c.sentence_id] = None

    def _stances(self, parts: Sequence[_Part]) -> None:
        """Classify the holder-target pairs of each part's sentences, all parts in one
        prediction; add the stances to each part's ``found``.

        Only holders and target entities the text names are candidates.
        """
        if self.stances is None:
            return
        cands = [stance_candidates(p.doc, None, only=p.named) for p in parts]
        labels = iter(self.stances.predict([c for group in cands for c in group]))
        for p, group in zip(parts, cands, strict=True):
            stances = p.found.stances
            for c in group:
                label = next(labels)
                if label == NONE or is_span_key(c.target):
                    continue
                key = (c.holder, c.target)
                if key not in stances:
                    stances[key] = (label, {c.sentence_id: None})
                elif stances[key][0] == label:
                    stances[key][1][c.sentence_id] = None

    def _events(self, parts: Sequence[_Part]) -> None:
        """Tag the triggers of each part's sentences; add their events, with realis and
        arguments among the part's mentions, to its ``found`` (each model predicts once
        for all parts)."""
        if self.triggers is None:
            return
        tagged = iter(
            self.triggers.predict([p.words[s.id] for p in parts for s in p.doc.sentences])
        )
        made: list[list[Event]] = []
        for p in parts:
            spans: list[tuple[int, int, str]] = []
            for sent in p.doc.sentences:
                toks = p.tokens[sent.id]
                spans += [
                    (toks[a][0], toks[b - 1][1], label)
                    for a, b, label in iob2_token_spans(next(tagged), strict=False)
                ]
            made.append(events_from_spans(p.doc.text, spans, len(p.found.events) + 1))
        if self.realis is not None:
            pairs = [(p, e) for p, ev in zip(parts, made, strict=True) for e in ev]
            labels = iter(
                self.realis.predict([(p.doc, e) for p, e in pairs], [p.tokens for p, _ in pairs])
            )
            made = [[replace(e, realis=next(labels)) for e in ev] for ev in made]
        if self.arguments is not None:
            cands = [
                argument_candidates(p.doc, None, ev, tokens=p.tokens) if ev else []
                for p, ev in zip(parts, made, strict=True)
            ]
            roles = iter(self.arguments.predict([c for group in cands for c in group]))
            made = [
                with_arguments(ev, group, [next(roles) for _ in group]) if group else ev
                for ev, group in zip(made, cands, strict=True)
            ]
        for p, ev in zip(parts, made, strict=True):
            p.found.events.extend(ev)

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
        return self._run([self._job(text, doc_id, **meta)], progress)[0]

    def extract_documents(
        self,
        items: Iterable[tuple[str, str]],
        progress: Callable[[int], object] | None = None,
    ) -> list[Document]:
        """Annotate several ``(text, document id)`` pairs together: the same documents as
        :meth:`extract_document` gives one by one, with each model predicting once for
        the sentences of many documents (:data:`BATCH_SENTENCES` at a time)."""
        return self._run([self._job(text, doc_id) for text, doc_id in items], progress)

    def _job(self, text: str, doc_id: str, **meta: Any) -> _Job:
        """A raw text checked, cut into zones and sentences, ready to annotate."""
        check_text(text, doc_id, DataError)
        zones = tuple(propose_zones(text))
        return _Job(
            self._meta(doc_id, text, **meta), text, zones, tuple(propose_sentences(text, zones))
        )

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
        job = _Job(self._meta(doc_id, text, **meta), text, zones, sentences)
        return self._run([job], progress)[0]

    def _run(
        self, jobs: Sequence[_Job], progress: Callable[[int], object] | None
    ) -> list[Document]:
        """Annotate the jobs' sentences chunk by chunk (:func:`_chunks`); their documents."""
        for chunk in _chunks(jobs):
            parts = []
            tokens = [
                [token_offsets(job.text, s.start, s.end) for s in batch] for job, batch in chunk
            ]
            words = [
                [[job.text[a:b] for a, b in toks] for toks in doc_tokens]
                for (job, _), doc_tokens in zip(chunk, tokens, strict=True)
            ]
            spans = iter(self.mention_spans([w for doc_words in words for w in doc_words]))
            for (job, batch), doc_tokens, doc_words in zip(chunk, tokens, words, strict=True):
                found = job.found
                mentions = self._mentions(job.text, doc_tokens, spans, found)
                part = Document(
                    job.meta,
                    job.text,
                    job.zones,
                    batch,
                    tuple(found.entities.values()),
                    tuple(mentions),
                )
                named = {m.entity for m in found.mentions if m.level == "NAM"}
                ids = [s.id for s in batch]
                parts.append(
                    _Part(
                        part,
                        found,
                        named,
                        dict(zip(ids, doc_tokens, strict=True)),
                        dict(zip(ids, doc_words, strict=True)),
                    )
                )
            self._relations(parts)
            self._stances(parts)
            self._events(parts)
            if progress is not None:
                progress(sum(len(t) for doc_tokens in tokens for t in doc_tokens))
        return [job.found.document(job.meta, job.text, job.zones, job.sentences) for job in jobs]

    def annotate_relations(self, doc: Document) -> Document:
        """The document with relations, stances and events predicted over its own mentions."""
        found = _Found()
        named = {m.entity for m in doc.mentions if m.level == "NAM"}
        tokens = {s.id: token_offsets(doc.text, s.start, s.end) for s in doc.sentences}
        words = {i: [doc.text[a:b] for a, b in toks] for i, toks in tokens.items()}
        parts = [_Part(doc, found, named, tokens, words)]
        self._relations(parts)
        self._stances(parts)
        self._events(parts)
        done = found.document(doc.meta, doc.text, doc.zones, doc.sentences)
        return replace(doc, relations=done.relations, stances=done.stances, events=done.events)

    def extract(self, text: str, doc_id: str, **meta: Any) -> dict[str, Any]:
        """Annotate one text; return the annotation file's dictionary."""
        return document_to_dict(self.extract_document(text, doc_id, **meta))

    def extract_batch(self, batch: dict[str, list[Any]]) -> dict[str, list[Any]]:
        """``Dataset.map(batched=True)`` function: a ``text`` column (and optional ``id``)
        in, an ``annotation`` column out: the text of the annotation file, as ``extract``
        writes it (:func:`~sahel_corpus.sources.dumps_annotation`)."""
        texts = batch["text"]
        ids = batch.get("id") or [hashlib.sha256(t.encode("utf-8")).hexdigest()[:16] for t in texts]
        docs = self.extract_documents(
            (t, document_id_from_name(str(i))) for t, i in zip(texts, ids, strict=True)
        )
        return {"annotation": [dumps_annotation(document_to_dict(d)) for d in docs]}

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
