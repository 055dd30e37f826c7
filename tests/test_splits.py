"""Standard splits: what a token-classification script reads, folds with rows in every layer,
offsets that slice the row's own text."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from _paths import CORPUS, DOC_ID
from corpora import synthetic_corpus
from sahel_corpus.loaders import load_config
from sahel_corpus.sources import read_document, read_documents
from sahel_corpus.views import (
    CONFIGS,
    N_FOLDS,
    SPLIT_FOLDS,
    assign_folds,
    rows,
    sentence_folds,
    split_rows,
)

DOCS = read_documents(CORPUS)

#: The data handling of the transformers token-classification example (run_ner.py):
#: the splits it reads, the column names it looks for, the ClassLabel it turns into a
#: label list. Run in a fresh process without project code, as a user's script would.
RUN_NER_DATA = """
import sys
from datasets import ClassLabel, load_dataset
raw = load_dataset(sys.argv[1])  # the default config
train, evaluation, predict = raw["train"], raw["validation"], raw["test"]
column_names = train.column_names
features = train.features
text_column_name = "tokens" if "tokens" in column_names else column_names[0]
label_column_name = "ner_tags" if "ner_tags" in column_names else column_names[1]
assert text_column_name == "tokens" and label_column_name == "ner_tags"
assert isinstance(features[label_column_name].feature, ClassLabel)
label_list = features[label_column_name].feature.names
label_to_id = {i: i for i in range(len(label_list))}
for split in (train, evaluation, predict):
    for row in split:
        assert len(row["tokens"]) == len(row["ner_tags"]) > 0
        assert all(t in label_to_id for t in row["ner_tags"])
assert "sahel_corpus" not in sys.modules
print(len(train), len(evaluation), len(predict), len(label_list))
"""


def test_the_token_classification_example_reads_the_default_config(hf_cache: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", RUN_NER_DATA, str(CORPUS)],
        capture_output=True,
        text=True,
        check=True,
    )
    by_split = split_rows("ner", DOCS)
    expected = [len(by_split[s]) for s in ("train", "validation", "test")]
    assert done.stdout.split() == [*map(str, expected), "19"]
    assert all(n > 0 for n in expected)


@pytest.mark.parametrize("config", CONFIGS)
def test_splits_are_cut_by_fold(config: str) -> None:
    for split, got in split_rows(config, DOCS).items():
        assert got, (config, split)
        if config != "documents":
            assert {r["fold"] for r in got} <= set(SPLIT_FOLDS[split])


@pytest.mark.parametrize("config", ["ner", "mentions", "relations", "stance"])
def test_every_fold_of_every_layer_has_rows(config: str) -> None:
    assert {r["fold"] for r in rows(config, DOCS)} == set(range(N_FOLDS))


def test_the_fold_rule_reaches_every_fold_a_layer_can_reach() -> None:
    """A layer with fewer anchor sentences than folds still gets one fold per sentence."""
    doc = DOCS[0]
    few = replace(doc, relations=doc.relations[:3], stances=doc.stances[:1])
    folds = sentence_folds(few)
    relation_folds = {
        folds[min(r.evidence, key=lambda e: few.sentence_by_id[e].start)] for r in few.relations
    }
    firsts = {min(r.evidence, key=lambda e: few.sentence_by_id[e].start) for r in few.relations}
    assert len(relation_folds) == len(firsts)
    sizes = [list(folds.values()).count(k) for k in range(N_FOLDS)]
    assert max(sizes) - min(sizes) <= 1  # about as many sentences in each fold


def test_folds_depend_on_the_document_alone(tmp_path: Path) -> None:
    corpus = synthetic_corpus(tmp_path / "corpus", 3)
    docs = read_documents(corpus)
    alone = assign_folds(docs[:1])
    together = assign_folds(docs)
    assert all(together[key] == fold for key, fold in alone.items())


def test_token_offsets_slice_the_rows_own_text() -> None:
    doc = read_document(CORPUS / "sources" / "documents" / f"{DOC_ID}.json")
    for row in rows("ner", DOCS):
        text = row["text"]
        assert doc.text[row["text_start"] : row["text_start"] + len(text)] == text
        for token, start, end in zip(
            row["tokens"], row["token_starts"], row["token_ends"], strict=True
        ):
            assert text[start:end] == token


def test_each_split_of_documents_holds_a_part_and_together_the_whole(hf_cache: Path) -> None:
    from _paths import all_splits
    from sahel_corpus.loaders import documents_from_dataset

    loaded = load_config("documents", CORPUS)
    assert set(loaded) == {"train", "validation", "test"}
    parts = {name: documents_from_dataset(ds, ds.features)[0] for name, ds in loaded.items()}
    mention_ids = [m.id for part in parts.values() for m in part.mentions]
    assert sorted(mention_ids) == sorted(m.id for m in DOCS[0].mentions)  # each in one split
    relation_ids = [r.id for part in parts.values() for r in part.relations]
    assert sorted(relation_ids) == sorted(r.id for r in DOCS[0].relations)
    everything = all_splits(loaded)
    assert documents_from_dataset(everything, everything.features) == DOCS
