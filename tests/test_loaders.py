"""Typed documents: from the sources, from the whole-document config, and back to JSON."""

from __future__ import annotations

from pathlib import Path

import pytest

from _paths import CORPUS, FIXTURES, all_splits
from sahel_corpus.errors import DataError
from sahel_corpus.loaders import (
    config_names,
    documents_from_dataset,
    load_config,
    read_document,
    read_documents,
)
from sahel_corpus.model import document_from_dict, document_to_dict
from sahel_corpus.sources import document_paths, dumps_annotation, read_annotation


def test_documents_config_gives_the_source_documents(hf_cache: Path) -> None:
    ds = all_splits(load_config("documents", CORPUS))
    from_dataset = documents_from_dataset(ds, ds.features)
    assert from_dataset == read_documents(CORPUS)


@pytest.mark.parametrize("path", [*document_paths(CORPUS), FIXTURES / "valid" / "mini.json"])
def test_json_round_trip_is_lossless(path: Path) -> None:
    data = read_annotation(path)
    doc = read_document(path)
    assert document_to_dict(document_from_dict(data, doc.text)) == data
    assert dumps_annotation(document_to_dict(doc)) == path.read_text(encoding="utf-8")


def test_document_objects_are_frozen() -> None:
    doc = read_documents(CORPUS)[0]
    with pytest.raises(AttributeError):
        doc.mentions[0].start = 1  # type: ignore[misc]


def test_coreference_chain_and_names() -> None:
    doc = read_documents(CORPUS)[0]
    minusma = next(m.entity for m in doc.mentions if m.text == "MINUSMA")
    chain = doc.mentions_of(minusma)
    assert [m.start for m in chain] == sorted(m.start for m in chain)
    assert doc.canonical_name(minusma) == "MINUSMA"
    assert doc.entity(minusma).actor_category == "INTERNATIONAL"


def test_unknown_config_is_refused() -> None:
    with pytest.raises(DataError) as err:
        load_config("nerr", CORPUS)
    assert err.value.code == "config"


def test_missing_corpus_folder_is_explained(tmp_path: Path) -> None:
    with pytest.raises(DataError) as err:
        load_config("ner", tmp_path)
    assert err.value.code == "corpus-missing"


def test_config_names() -> None:
    assert config_names() == (
        "documents",
        "ner",
        "mentions",
        "relations",
        "stance",
        "events",
        "event_triggers",
    )


def test_proposed_zones_and_sentences_match_the_gold() -> None:
    from sahel_corpus.segment import propose_sentences, propose_zones

    doc = read_documents(CORPUS)[0]
    zones = propose_zones(doc.text)
    assert tuple(zones) == doc.zones
    assert tuple(propose_sentences(doc.text, zones)) == doc.sentences
