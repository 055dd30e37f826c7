"""Task data for the baselines: tagged sentences, relation and stance candidates.

Sources: a built dataset folder in this corpus's configs (the ``documents``
config is read and turned back into typed documents), a pair of IOB2/CoNLL
files, or a Hugging Face token-classification dataset (``tokens`` and
``ner_tags`` columns).

Examples
--------
>>> rows = read_conll_text("Mali O\\nMINUSMA B-ORG\\n\\nWagner B-ORG\\n", "x.conll", fold=0)
>>> [(s.tokens, s.tags) for s in rows]
[(('Mali', 'MINUSMA'), ('O', 'B-ORG')), (('Wagner',), ('B-ORG',))]
"""

from __future__ import annotations

import random
from bisect import bisect_left, bisect_right
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sahel_corpus import schema as inv
from sahel_corpus.errors import DataError
from sahel_corpus.iob import check_iob2, iob2_to_spans, repair_iob2
from sahel_corpus.loaders import documents_from_dataset, load_config
from sahel_corpus.model import Document
from sahel_corpus.tokenize import token_offsets
from sahel_corpus.views import TagFunction, assign_folds, sentence_tags

__all__ = [
    "HOLDER_TYPES",
    "NONE",
    "TARGET_TYPES",
    "TRAIN_ONLY",
    "RelationCandidate",
    "StanceCandidate",
    "TaggedSentence",
    "assign_random_folds",
    "load_corpus_documents",
    "load_hf_token_dataset",
    "map_labels",
    "parse_label_map",
    "read_conll",
    "read_conll_text",
    "relation_candidates",
    "spans_from_tags",
    "stance_candidates",
    "tagged_sentences",
]

#: The label of a candidate that holds no relation or no stance.
NONE = "NONE"


@dataclass(frozen=True, slots=True)
class TaggedSentence:
    """One sentence with tokens, IOB2 tags and its cross-validation fold."""

    id: str
    tokens: tuple[str, ...]
    tags: tuple[str, ...]
    fold: int
    document_id: str = ""
    offsets: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class RelationCandidate:
    """An ordered pair of mentions in one sentence, with its gold label (or NONE)."""

    document_id: str
    sentence_id: str
    fold: int
    head: tuple[int, int]
    tail: tuple[int, int]
    head_type: str
    tail_type: str
    head_text: str
    tail_text: str
    between: tuple[str, ...]
    distance: int
    head_entity: str
    tail_entity: str
    label: str = NONE


@dataclass(frozen=True, slots=True)
class StanceCandidate:
    """A holder and target in one sentence, with the gold label (or NONE)."""

    document_id: str
    sentence_id: str
    fold: int
    holder: str
    holder_type: str
    target: str
    text: str
    label: str = NONE


# -- corpus ----------------------------------------------------------------------------------


def load_corpus_documents(path: str | Path) -> tuple[list[Document], dict[tuple[str, str], int]]:
    """Read the ``documents`` config of a dataset folder; return documents and sentence folds."""
    import datasets

    folder = Path(path)
    try:
        loaded = load_config("documents", folder)
    except ValueError as err:
        if isinstance(err, DataError):
            raise
        raise DataError(
            f"{folder}: got no usable `documents` config ({err}), expected a dataset folder "
            "in this corpus's configs",
            code="no-documents-config",
        ) from err
    ds = datasets.concatenate_datasets(list(loaded.values()))
    docs = documents_from_dataset(ds, ds.features)
    folds = {
        (row["id"], s["id"]): s["fold"]
        for row in ds.select_columns(["id", "sentences"])
        for s in row["sentences"]
    }
    return docs, folds


def tagged_sentences(
    docs: Sequence[Document],
    folds: dict[tuple[str, str], int] | None = None,
    tags_of: TagFunction = sentence_tags,
) -> list[TaggedSentence]:
    """Return one tagged sentence per annotated sentence (by default outermost mentions as
    IOB2; ``tags_of`` gives other tags, such as the event triggers')."""
    folds = folds if folds is not None else assign_folds(docs)
    out = []
    for doc in docs:
        for sent in sorted(doc.sentences, key=lambda s: s.start):
            toks, tags = tags_of(doc, sent)
            out.append(
                TaggedSentence(
                    id=f"{doc.id}/{sent.id}",
                    tokens=tuple(doc.text[a:b] for a, b in toks),
                    tags=tuple(tags),
                    fold=folds[(doc.id, sent.id)],
                    document_id=doc.id,
                    offsets=tuple(toks),
                )
            )
    return out


# -- IOB2 / CoNLL files ----------------------------------------------------------------------


def read_conll_text(text: str, name: str, fold: int, repair: bool = False) -> list[TaggedSentence]:
    """Parse CoNLL-style text: token first column, IOB2 tag last, blank line between sentences.

    ``-DOCSTART-`` lines are skipped. A line with one column, or a tag sequence
    that is not strict IOB2, raises :class:`DataError` naming the file and line;
    with ``repair`` a stray ``I-X`` becomes ``B-X`` instead (:func:`repair_iob2`).
    """
    sentences: list[TaggedSentence] = []
    tokens: list[str] = []
    tags: list[str] = []
    start_line = 1

    def flush() -> None:
        if not tokens:
            return
        if repair:
            tags[:] = repair_iob2(tags)[0]
        try:
            check_iob2(tags)
        except DataError as err:
            raise DataError(
                f"{name}: sentence starting at line {start_line}: {err}", code=err.code
            ) from None
        sentences.append(
            TaggedSentence(
                id=f"{Path(name).name}:{start_line}",
                tokens=tuple(tokens),
                tags=tuple(tags),
                fold=fold,
                document_id=Path(name).name,
            )
        )
        tokens.clear()
        tags.clear()

    for number, line in enumerate(text.splitlines(), 1):
        parts = line.split()
        if not parts:
            flush()
            start_line = number + 1
            continue
        if parts[0] == "-DOCSTART-":
            flush()
            start_line = number + 1
            continue
        if len(parts) < 2:
            raise DataError(
                f"{name}: line {number}: got {line!r} with one column, expected a token and "
                "an IOB2 tag separated by white space",
                code="conll-columns",
            )
        if not tokens:
            start_line = number
        tokens.append(parts[0])
        tags.append(parts[-1])
    flush()
    return sentences


def read_conll(path: str | Path, fold: int, repair: bool = False) -> list[TaggedSentence]:
    """Read an IOB2/CoNLL file (UTF-8) into tagged sentences of one fold."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(f"{path}: got no such file, expected an IOB2/CoNLL file") from None
    except UnicodeDecodeError as err:
        raise DataError(
            f"{path}: byte {err.start}: got bytes that are not UTF-8, expected UTF-8 text"
        ) from None
    sentences = read_conll_text(text, str(path), fold, repair)
    if not sentences:
        raise DataError(
            f"{path}: got no sentence, expected token-tag lines",
            code="conll-empty",
        )
    return sentences


# -- other data's labels ----------------------------------------------------------------------


def parse_label_map(text: str) -> dict[str, str]:
    """``"PER=PER,LOC=GPE,MISC=O"`` as a mapping from another dataset's labels to entity types.

    Each target is one of the corpus's entity types, or ``O`` to drop the label.

    >>> parse_label_map("PER=PER, LOC=GPE, MISC=O")
    {'PER': 'PER', 'LOC': 'GPE', 'MISC': 'O'}
    """
    out: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        label, sep, target = (x.strip() for x in part.partition("="))
        if not sep or not label or not target:
            raise DataError(
                f"--ner-map: got {part!r}, expected LABEL=TYPE (for example LOC=GPE, or MISC=O "
                "to drop a label)",
                code="label-map",
            )
        if target != "O" and target not in inv.ENTITY_TYPES:
            raise DataError(
                f"--ner-map: got type {target!r} for {label}, expected one of "
                f"{', '.join(inv.ENTITY_TYPES)} or O",
                code="label-map",
            )
        out[label] = target
    return out


def map_labels(
    sentences: Sequence[TaggedSentence], mapping: dict[str, str], name: str
) -> list[TaggedSentence]:
    """The sentences with each entity label mapped (``O`` drops it); every label needs a mapping."""
    found = sorted({t[2:] for s in sentences for t in s.tags if t != "O"})
    missing = [label for label in found if label not in mapping]
    if missing:
        raise DataError(
            f"{name}: got label(s) {', '.join(missing)} with no --ner-map entry, expected "
            "LABEL=TYPE for every label of the file (LABEL=O drops one)",
            code="label-map",
        )
    out = []
    for s in sentences:
        tags = []
        for t in s.tags:
            target = "O" if t == "O" else mapping[t[2:]]
            tags.append("O" if target == "O" else f"{t[:2]}{target}")
        out.append(TaggedSentence(s.id, s.tokens, tuple(tags), s.fold, s.document_id, s.offsets))
    return out


# -- Hugging Face token classification ---------------------------------------------------------


def assign_random_folds(n: int, k: int, seed: int) -> list[int]:
    """Deal ``n`` items into ``k`` folds after a seeded shuffle.

    >>> assign_random_folds(5, 2, seed=0)
    [0, 1, 0, 0, 1]
    """
    order = list(range(n))
    random.Random(seed).shuffle(order)
    folds = [0] * n
    for rank, i in enumerate(order):
        folds[i] = rank % k
    return folds


def _load_token_dataset(path: str, config: str | None) -> Any:
    """``datasets.load_dataset``, with an unreadable data file named in a DataError."""
    import datasets
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return datasets.load_dataset(path, config)
    except (OSError, ValueError, pa.ArrowException, datasets.exceptions.DatasetGenerationError):
        for file in sorted(Path(path).rglob("*.parquet")) if Path(path).is_dir() else []:
            try:
                pq.read_table(file)
            except (OSError, pa.ArrowException) as err:
                raise DataError(
                    f"{file}: got an unreadable parquet file ({err}), expected a valid one",
                    code="parquet-unreadable",
                ) from None
        raise


def load_hf_token_dataset(
    path: str, config: str | None = None, folds: int = 5, seed: int = 0
) -> list[TaggedSentence]:
    """Load a token-classification dataset (``tokens``, ``ner_tags``) as tagged sentences.

    Folds: with ``train`` and ``test`` splits, the train rows get fold
    :data:`TRAIN_ONLY` (always trained on, never tested) and the test rows fold
    0, the one evaluated fold; with a ``fold`` column it is used; otherwise rows
    are dealt into ``folds`` folds after a seeded shuffle.
    """
    import datasets

    loaded = _load_token_dataset(path, config)
    splits = dict(loaded)
    first = next(iter(splits.values()))
    for column in ("tokens", "ner_tags"):
        if column not in first.column_names:
            raise DataError(
                f"{path}: got columns {', '.join(first.column_names)}, expected a "
                "token-classification dataset with `tokens` and `ner_tags`",
                code="hf-columns",
            )
    feature = first.features["ner_tags"].feature
    names = getattr(feature, "names", None)

    def rows(split: Any, fold_of: Iterable[int]) -> list[TaggedSentence]:
        out = []
        for i, (row, fold) in enumerate(zip(split, fold_of, strict=True)):
            tags = [names[t] if names else str(t) for t in row["ner_tags"]]
            try:
                check_iob2(tags)
            except DataError as err:
                raise DataError(f"{path}: row {i}: {err}", code=err.code) from None
            out.append(TaggedSentence(f"{i}", tuple(row["tokens"]), tuple(tags), fold, path))
        return out

    if "train" in splits and "test" in splits:
        return rows(splits["train"], [TRAIN_ONLY] * splits["train"].num_rows) + rows(
            splits["test"], [0] * splits["test"].num_rows
        )
    data = datasets.concatenate_datasets(list(splits.values()))
    fold_of = (
        data["fold"]
        if "fold" in data.column_names
        else assign_random_folds(data.num_rows, folds, seed)
    )
    return rows(data, fold_of)


#: Fold value of rows that are only ever used for training (a fixed train/test split).
TRAIN_ONLY = -1


# -- relation candidates ---------------------------------------------------------------------


def relation_candidates(
    doc: Document,
    folds: dict[tuple[str, str], int] | None,
    mentions: dict[str, list[tuple[int, int, str, str]]] | None = None,
    tokens: Mapping[str, Sequence[tuple[int, int]]] | None = None,
    only: Container[str] | None = None,
) -> list[RelationCandidate]:
    """Ordered pairs of mentions of different entities within one sentence.

    With ``mentions=None`` the gold mentions are used. Otherwise ``mentions``
    maps sentence ids to predicted ``(start, end, type, entity)`` tuples (the
    end-to-end setting). A candidate's label is the gold relation type that
    links the gold entities of its two spans with the sentence in its evidence
    (symmetric types in both orders), else ``NONE``. DATE and CARDINAL
    mentions take part in no relation type of the schema and make no candidate.
    """
    gold_entity = {(m.start, m.end): m.entity for m in doc.mentions}
    labels: dict[tuple[str, str, str], str] = {}
    for r in doc.relations:
        for sid in r.evidence:
            labels[(sid, r.head, r.tail)] = r.type
            if inv.is_symmetric(r.type):
                labels[(sid, r.tail, r.head)] = r.type
    out = []
    for sent in doc.sentences:
        if mentions is None:
            spans = [
                (m.start, m.end, doc.entity(m.entity).type, m.entity)
                for m in doc.mentions_in(sent.start, sent.end)
            ]
        else:
            spans = mentions.get(sent.id, [])
        spans = [
            s for s in spans if s[2] not in inv.NAM_ONLY_TYPES and (only is None or s[3] in only)
        ]
        toks = (
            tokens[sent.id] if tokens is not None else token_offsets(doc.text, sent.start, sent.end)
        )
        starts = [a for a, _ in toks]
        ends = [b for _, b in toks]
        lowers = [doc.text[a:b].lower() for a, b in toks]
        for h in spans:
            for t in spans:
                if h is t or h[3] == t[3]:
                    continue
                lo, hi = (h[1], t[0]) if h[1] <= t[0] else (t[1], h[0])
                between = tuple(lowers[bisect_left(starts, lo) : bisect_right(ends, hi)])
                he, te = gold_entity.get((h[0], h[1])), gold_entity.get((t[0], t[1]))
                label = labels.get((sent.id, he, te), NONE) if he and te else NONE
                out.append(
                    RelationCandidate(
                        document_id=doc.id,
                        sentence_id=sent.id,
                        fold=folds.get((doc.id, sent.id), 0) if folds else 0,
                        head=(h[0], h[1]),
                        tail=(t[0], t[1]),
                        head_type=h[2],
                        tail_type=t[2],
                        head_text=doc.text[h[0] : h[1]],
                        tail_text=doc.text[t[0] : t[1]],
                        between=between,
                        distance=len(between),
                        head_entity=h[3],
                        tail_entity=t[3],
                        label=label,
                    )
                )
    return out


# -- stance candidates -----------------------------------------------------------------------

#: Entity types that can hold a stance.
HOLDER_TYPES = ("PER", "ORG", "GPE", "NORP")
#: Entity types that can be the target of a stance (besides proposition spans).
TARGET_TYPES = ("PER", "ORG", "GPE", "NORP", "LAW")


def stance_candidates(
    doc: Document, folds: dict[tuple[str, str], int] | None, only: Container[str] | None = None
) -> list[StanceCandidate]:
    """Holder-target pairs in each sentence where a stance could be expressed.

    Holders: ``AUTHOR`` and every entity of a :data:`HOLDER_TYPES` type
    mentioned in the sentence. Targets: every other entity of a
    :data:`TARGET_TYPES` type mentioned in the sentence, and the
    proposition spans of the document's stances that lie in it (propositions
    are given, as entities are). The text marks the holder's and target's
    mentions so that a bag of words sees which is which. With ``only``, only those
    entities (and ``AUTHOR`` only if listed) are holders and entity targets.
    """
    gold: dict[tuple[str, str, str], str] = {}
    propositions: dict[str, tuple[int, int]] = {}
    for s in doc.stances:
        if s.target_span is not None:
            propositions[s.target_key] = s.target_span.span
        for sid in s.evidence:
            gold[(sid, s.holder, s.target_key)] = s.label
    out = []
    for sent in doc.sentences:
        mentions = doc.mentions_in(sent.start, sent.end)
        entities = [
            e for e in dict.fromkeys(m.entity for m in mentions) if only is None or e in only
        ]
        author = [inv.AUTHOR] if only is None or inv.AUTHOR in only else []
        holders = author + [e for e in entities if doc.entity(e).type in HOLDER_TYPES]
        targets: dict[str, list[tuple[int, int]]] = {}
        for e in entities:
            if doc.entity(e).type in TARGET_TYPES:
                targets[e] = [(m.start, m.end) for m in mentions if m.entity == e]
        for key, (a, b) in propositions.items():
            if sent.start <= a and b <= sent.end:
                targets[key] = [(a, b)]
        for holder in holders:
            holder_spans = [(m.start, m.end) for m in mentions if m.entity == holder]
            for target, target_spans in targets.items():
                if target == holder:
                    continue
                htype = inv.AUTHOR if holder == inv.AUTHOR else doc.entity(holder).type
                out.append(
                    StanceCandidate(
                        document_id=doc.id,
                        sentence_id=sent.id,
                        fold=folds.get((doc.id, sent.id), 0) if folds else 0,
                        holder=holder,
                        holder_type=htype,
                        target=target,
                        text=_marked(doc.text, sent.start, sent.end, holder_spans, target_spans),
                        label=gold.get((sent.id, holder, target), NONE),
                    )
                )
    return out


def _marked(
    text: str, start: int, end: int, holder: list[tuple[int, int]], target: list[tuple[int, int]]
) -> str:
    """The sentence with holder and target mentions wrapped in marker words."""
    marks: list[tuple[int, int, str]] = []
    marks += [(a, 0, " holderstart ") for a, _ in holder] + [
        (b, 1, " holderend ") for _, b in holder
    ]
    marks += [(a, 0, " targetstart ") for a, _ in target] + [
        (b, 1, " targetend ") for _, b in target
    ]
    pieces, pos = [], start
    for at, _, word in sorted(marks):
        pieces.append(text[pos:at])
        pieces.append(word)
        pos = at
    pieces.append(text[pos:end])
    return "".join(pieces)


def spans_from_tags(sentence: TaggedSentence, tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Character spans of predicted tags (a stray ``I-X`` dropped), at the sentence's offsets."""
    return iob2_to_spans(sentence.offsets, tags, strict=False)
