"""Corpora of several documents: the fold threshold, multi-document builds, stale files."""

from __future__ import annotations

from pathlib import Path

import pytest

from _paths import all_splits
from corpora import synthetic_corpus
from sahel_corpus.build import build_corpus
from sahel_corpus.integrity import data_files, verify_corpus
from sahel_corpus.loaders import load_config
from sahel_corpus.sources import read_annotation, read_documents, write_annotation
from sahel_corpus.views import (
    DOCUMENT_FOLD_THRESHOLD,
    N_FOLDS,
    assign_folds,
    document_fold,
    sentence_folds,
)


@pytest.mark.parametrize("n", [DOCUMENT_FOLD_THRESHOLD - 1, DOCUMENT_FOLD_THRESHOLD])
def test_fold_policy_changes_at_the_threshold(tmp_path: Path, n: int) -> None:
    docs = read_documents(synthetic_corpus(tmp_path / "corpus", n))
    folds = assign_folds(docs)
    for doc in docs:
        ordered = sorted(doc.sentences, key=lambda s: s.start)
        got = [folds[(doc.id, s.id)] for s in ordered]
        if n >= DOCUMENT_FOLD_THRESHOLD:
            assert got == [document_fold(doc.id)] * len(ordered)
        else:
            assert got == [sentence_folds(doc)[s.id] for s in ordered]


def test_document_folds_are_the_hash_of_the_id() -> None:
    import hashlib

    for doc_id in ("syn_000", "syn_001", "000_b8e6d3e9cdabb873"):
        expected = int(hashlib.sha256(doc_id.encode()).hexdigest(), 16) % N_FOLDS
        assert document_fold(doc_id) == expected


def test_a_corpus_of_many_documents_builds_and_loads(tmp_path: Path, hf_cache: Path) -> None:
    corpus = synthetic_corpus(tmp_path / "corpus", 6)
    build_corpus(corpus)
    docs = read_documents(corpus)
    assert len(docs) == 6
    assert all_splits(load_config("documents", corpus)).num_rows == 6
    ner = all_splits(load_config("ner", corpus))
    assert ner.num_rows == sum(len(d.sentences) for d in docs)
    assert sorted(set(ner["document_id"])) == [d.id for d in docs]
    mentions = all_splits(load_config("mentions", corpus))
    assert mentions.num_rows == sum(len(d.mentions) for d in docs)
    by_doc = {d.id: document_fold(d.id) for d in docs}
    assert all(by_doc[row["document_id"]] == row["fold"] for row in ner)


def test_a_rebuild_removes_the_files_of_the_previous_build(tmp_path: Path) -> None:
    corpus = synthetic_corpus(tmp_path / "corpus", 6)
    build_corpus(corpus)
    before = set(data_files(corpus))
    path = corpus / "sources" / "documents" / "syn_002.json"
    data = read_annotation(path)
    data["mentions"][0]["level"] = "NOM"  # the documents and mentions configs change
    write_annotation(path, data)
    result = build_corpus(corpus)
    after = set(data_files(corpus))
    assert sorted(result.removed) == sorted(before - after)
    assert {p.parent.name for p in before - after} == {"documents", "mentions"}
    assert len(after) == len(before)  # one file per config, no stale file left
    assert all(p.is_file() for p in after) and not any(p.exists() for p in before - after)
    assert verify_corpus(corpus) == []
    assert build_corpus(corpus, check=True).changed == []


def test_removing_a_document_removes_its_rows(tmp_path: Path, hf_cache: Path) -> None:
    corpus = synthetic_corpus(tmp_path / "corpus", 6)
    build_corpus(corpus)
    for suffix in (".json", ".txt"):
        (corpus / "sources" / "documents" / f"syn_005{suffix}").unlink()
    build_corpus(corpus)
    assert all_splits(load_config("documents", corpus))["id"] == [f"syn_{k:03d}" for k in range(5)]
