"""One pytest-benchmark per extraction step, on the first article of the corpus.

Quick mode (the default in the test suite, ``--benchmark-disable``) runs each
once to prove it runs; ``pytest benchmarks --benchmark-enable`` times them.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from sahel_corpus.baselines.data import NONE, relation_candidates, stance_candidates
from sahel_corpus.baselines.events import argument_candidates
from sahel_corpus.baselines.pipeline import Extractor
from sahel_corpus.build import build_corpus
from sahel_corpus.iob import outermost_spans, spans_to_iob2
from sahel_corpus.model import Document
from sahel_corpus.segment import propose_sentences, propose_zones
from sahel_corpus.tokenize import token_offsets
from sahel_corpus.validate import validate_file

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def _sentence_tokens(doc: Document) -> list[list[str]]:
    return [
        [doc.text[a:b] for a, b in token_offsets(doc.text, s.start, s.end)] for s in doc.sentences
    ]


def test_sentence_splitting(benchmark: Any, gold: Document) -> None:
    sentences = benchmark(lambda: propose_sentences(gold.text, propose_zones(gold.text)))
    assert len(sentences) == len(gold.sentences)


def test_tokenisation_with_offsets(benchmark: Any, gold: Document) -> None:
    tokens = benchmark(lambda: [token_offsets(gold.text, s.start, s.end) for s in gold.sentences])
    assert sum(map(len, tokens)) > 500


def test_spans_to_iob2(benchmark: Any, gold: Document) -> None:
    prepared = []
    for s in gold.sentences:
        toks = token_offsets(gold.text, s.start, s.end)
        spans = [
            (m.start, m.end, gold.entity(m.entity).type)
            for m in gold.mentions
            if s.start <= m.start and m.end <= s.end
        ]
        prepared.append((toks, spans))
    tags = benchmark(lambda: [spans_to_iob2(t, outermost_spans(sp)) for t, sp in prepared])
    assert len(tags) == len(gold.sentences)


def test_ner_features(benchmark: Any, gold: Document, extractor: Extractor) -> None:
    sentences = _sentence_tokens(gold)
    feats = benchmark(lambda: [extractor.tagger.features(t) for t in sentences])
    assert len(feats) == len(sentences)


def test_crf_tagging(benchmark: Any, gold: Document, extractor: Extractor) -> None:
    feats = [extractor.tagger.features(t) for t in _sentence_tokens(gold)]
    tag = extractor.tagger.tagger_.tag
    tags = benchmark(lambda: [tag(f) for f in feats])
    assert len(tags) == len(feats)


def test_relation_candidates_and_classification(
    benchmark: Any, gold: Document, extractor: Extractor
) -> None:
    def run() -> list[str]:
        return extractor.relations.predict(relation_candidates(gold, None))

    labels = benchmark(run)
    assert labels


def test_trigger_tagging(benchmark: Any, gold: Document, extractor: Extractor) -> None:
    assert extractor.triggers is not None
    sentences = _sentence_tokens(gold)
    spans = benchmark(lambda: extractor.triggers.predict_spans(sentences))
    assert sum(map(len, spans)) > 0


def test_argument_candidates_and_classification(
    benchmark: Any, gold: Document, extractor: Extractor
) -> None:
    assert extractor.arguments is not None

    def run() -> list[str]:
        return extractor.arguments.predict(argument_candidates(gold, None))

    roles = benchmark(run)
    assert any(role != NONE for role in roles)


def test_stance_classification(benchmark: Any, gold: Document, extractor: Extractor) -> None:
    def run() -> list[str]:
        return extractor.stances.predict(stance_candidates(gold, None))

    assert benchmark(run)


def test_whole_pipeline_on_raw_text(benchmark: Any, gold: Document, extractor: Extractor) -> None:
    data = benchmark(lambda: extractor.extract(gold.text, gold.id))
    assert data["mentions"] and data["events"]


def test_validate(benchmark: Any) -> None:
    path = CORPUS / "sources" / "documents" / "000_b8e6d3e9cdabb873.json"
    assert benchmark(lambda: validate_file(path)) == []


def test_build(benchmark: Any, corpus_copy: Path) -> None:
    result = benchmark(lambda: build_corpus(corpus_copy))
    assert result.changed == []


_counter = itertools.count()


def test_load_dataset_cold(benchmark: Any, tmp_path: Path) -> None:
    import datasets

    def setup() -> tuple[tuple[str, str], dict[str, str]]:
        cache = tmp_path / f"cache-{next(_counter)}"
        return (str(CORPUS), "ner"), {"split": "test", "cache_dir": str(cache)}

    ds = benchmark.pedantic(datasets.load_dataset, setup=setup, rounds=3)
    assert ds.num_rows > 0


def test_load_dataset_warm(benchmark: Any, tmp_path: Path) -> None:
    import datasets

    cache = str(tmp_path / "cache")
    datasets.load_dataset(str(CORPUS), "ner", split="test", cache_dir=cache)
    ds = benchmark(lambda: datasets.load_dataset(str(CORPUS), "ner", split="test", cache_dir=cache))
    assert ds.num_rows > 0


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
