"""Baselines that generalise: a cross-fitted gazetteer, settings chosen by cross-validation,
taggers trained on other IOB2 data, DATE and CARDINAL patterns, relations only between
entities the text names."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest

from _paths import CORPUS, DOC_ID
from sahel_corpus.baselines import ner as ner_module
from sahel_corpus.baselines.data import map_labels, parse_label_map, read_conll
from sahel_corpus.baselines.ner import (
    CRF_GRID,
    CRFTagger,
    TunedCRFTagger,
    out_of_fold_gazetteer_tags,
    pattern_spans,
)
from sahel_corpus.baselines.pipeline import Extractor
from sahel_corpus.cli import main
from sahel_corpus.errors import DataError
from sahel_corpus.sources import read_document, read_documents
from sahel_corpus.validate import validate_file

FIRST = ["Ama", "Baba", "Chaka", "Dado", "Esso", "Fanta", "Gassi", "Hawa", "Issa", "Kadi"]
LAST = ["Keita", "Traore", "Diallo", "Coulibaly", "Sangare", "Maiga", "Toure", "Cisse"]
PLACES = ["Tenenkou", "Bamako", "Mopti", "Segou", "Kayes", "Sikasso", "Djenne", "Bandiagara"]
GROUPS = ["JNIM", "MINUSMA", "ECOWAS", "FAMa", "CMA", "HCUA"]
TEMPLATES = [
    "{per} met officials of {org} in {loc} .",
    "On Monday , fighters of {org} entered {loc} , {per} said .",
    "{per} left {loc} after {org} arrived in 2021 .",
    "In {loc} , {org} and {per} spoke to reporters on Friday .",
    "In 2019 , {per} said {org} had left {loc} .",
]


def iob2_lines(k: int, rng: random.Random) -> list[str]:
    """One generated sentence as IOB2 lines (PERSON, GROUP, PLACE labels, like another dataset)."""
    names = {
        "per": ([rng.choice(FIRST), rng.choice(LAST)], "PERSON"),
        "org": ([rng.choice(GROUPS)], "GROUP"),
        "loc": ([rng.choice(PLACES)], "PLACE"),
    }
    lines = []
    for word in TEMPLATES[k % len(TEMPLATES)].split():
        if word.startswith("{"):
            tokens, label = names[word[1:-1]]
            lines += [f"{t}\t{'B' if i == 0 else 'I'}-{label}" for i, t in enumerate(tokens)]
        else:
            lines.append(f"{word}\tO")
    return lines


def write_iob2(path: Path, n: int, seed: int = 0) -> Path:
    rng = random.Random(seed)
    path.write_text(
        "\n\n".join("\n".join(iob2_lines(k, rng)) for k in range(n)) + "\n", encoding="utf-8"
    )
    return path


MAP = "PERSON=PER,GROUP=ORG,PLACE=GPE"

# --------------------------------------------------------------------------- cross-fitting


def test_training_sentences_see_only_the_other_folds_names() -> None:
    X = [["Gao", "fell"], ["Kidal", "fell"], ["Gao", "held"], ["Menaka", "held"]]
    y = [["B-GPE", "O"]] * 4
    tags = out_of_fold_gazetteer_tags(X, y, folds=2)
    # folds: 0 -> sentences 0 and 2, 1 -> sentences 1 and 3
    assert tags == [["O", "O"], ["O", "O"], ["O", "O"], ["O", "O"]]
    tags = out_of_fold_gazetteer_tags(X, y, folds=4)
    assert tags == [["B-GPE", "O"], ["O", "O"], ["B-GPE", "O"], ["O", "O"]]
    assert out_of_fold_gazetteer_tags(X, y, folds=0) == [["O", "O"]] * 4


def test_the_crf_trains_on_out_of_fold_gazetteer_features(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[str]] = []
    real = ner_module.token_features

    def spy(
        tokens: list[str], gazetteer_tags: list[str], window: int = 1, rich: bool = False
    ) -> list[list[str]]:
        seen.append(list(gazetteer_tags))
        return real(tokens, gazetteer_tags, window, rich)

    monkeypatch.setattr(ner_module, "token_features", spy)
    X = [["Gao", "fell"], ["Kidal", "fell"], ["Menaka", "held"], ["Ber", "held"]]
    y = [["B-GPE", "O"]] * 4
    tagger = CRFTagger(gazetteer_folds=2).fit(X, y)
    assert seen == [["O", "O"]] * 4  # every name is unique: no training sentence sees its own
    seen.clear()
    tagger.features(["Gao", "and", "Ber"])
    assert seen == [["B-GPE", "O", "B-GPE"]]  # new text: the gazetteer of all training names


def test_settings_are_chosen_by_cross_validation_on_training_data() -> None:
    path_sentences = [iob2_lines(k, random.Random(k)) for k in range(24)]
    X = [[line.split("\t")[0] for line in s] for s in path_sentences]
    y = [[line.split("\t")[1] for line in s] for s in path_sentences]
    tuned = TunedCRFTagger(grid={"c1": [0.05, 5.0], "window": [1]}, seed=0).fit(X, y)
    assert tuned.best_params_ == {"c1": 0.05, "window": 1}  # heavy L1 loses on held-out folds
    assert 0 < tuned.cv_f1_ <= 1
    assert isinstance(tuned.tagger_, CRFTagger) and tuned.tagger_.c1 == 0.05
    assert tuned.predict(X[:2]) == tuned.tagger_.predict(X[:2])
    sampled = TunedCRFTagger(grid={"c1": [0.05, 5.0]}, tune_on=12).fit(X, y)
    assert sampled.best_params_ == {"c1": 0.05}
    assert len(sampled.tagger_.gazetteer_.gazetteer_) == len(tuned.tagger_.gazetteer_.gazetteer_)
    small = TunedCRFTagger().fit(X[:3], y[:3])  # too few to cross-validate: the defaults
    assert (small.best_params_, small.cv_f1_) == ({}, None)
    assert set(CRF_GRID) == {"c1", "window", "gazetteer_folds", "rich"}


# --------------------------------------------------------------------------- patterns


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("on Tuesday they left", [(1, 2, "DATE")]),
        ("in 2023 , 40 died", [(1, 2, "DATE"), (3, 4, "CARDINAL")]),
        ("on June 12 , 2023 at dawn", [(1, 5, "DATE")]),
        ("on 12 June 2023 at dawn", [(1, 4, "DATE")]),
        ("since June they fled", [(1, 2, "DATE")]),
        ("nearly two hundred people", [(0, 3, "CARDINAL")]),
        ("may they return", []),  # a month name only when capitalised
        ("Tuesdays are calm", []),
    ],
)
def test_date_and_cardinal_patterns(text: str, spans: list[tuple[int, int, str]]) -> None:
    assert pattern_spans(text.split()) == spans


# --------------------------------------------------------------------------- other data


def test_labels_of_other_data_map_to_entity_types(tmp_path: Path) -> None:
    sentences = read_conll(write_iob2(tmp_path / "other.conll", 5), -1)
    mapped = map_labels(sentences, parse_label_map(MAP), "other.conll")
    assert {t[2:] for s in mapped for t in s.tags if t != "O"} <= {"PER", "ORG", "GPE"}
    dropped = map_labels(sentences, parse_label_map("PERSON=O,GROUP=ORG,PLACE=GPE"), "x")
    assert not any(t.endswith("PER") for s in dropped for t in s.tags)
    with pytest.raises(DataError) as err:
        map_labels(sentences, {"PERSON": "PER"}, "other.conll")
    assert err.value.code == "label-map" and "GROUP, PLACE" in str(err.value)
    for bad in ("PERSON", "PERSON=HUMAN", "=PER"):
        with pytest.raises(DataError) as err:
            parse_label_map(bad)
        assert err.value.code == "label-map"


TENENKOU = (
    "Attack near Tenenkou\n\n"
    "On Tuesday , fighters of JNIM attacked Tenenkou , Hawa Coulibaly said .\n\n"
    "In 2023 , 40 people fled to Mopti .\n"
)


def test_a_tagger_trained_on_other_data_finds_names_the_corpus_never_saw(tmp_path: Path) -> None:
    other = map_labels(
        read_conll(write_iob2(tmp_path / "other.conll", 200), -1), parse_label_map(MAP), "x"
    )
    corpus_only = Extractor.train(read_documents(CORPUS))
    both = Extractor.train(read_documents(CORPUS), ner_train=other)
    found = {(m.text, e.type) for m in both.extract_document(TENENKOU, "t").mentions
             for e in [both.extract_document(TENENKOU, "t").entity(m.entity)]}  # fmt: skip
    assert {("Tenenkou", "GPE"), ("JNIM", "ORG"), ("Hawa Coulibaly", "PER")} <= found
    assert {("Tuesday", "DATE"), ("2023", "DATE"), ("40", "CARDINAL")} <= found
    assert ("Tenenkou", "GPE") not in {
        (m.text, "GPE") for m in corpus_only.extract_document(TENENKOU, "t").mentions
    }


def test_no_relation_or_stance_between_entities_the_text_does_not_name() -> None:
    extractor = Extractor.train(read_documents(CORPUS))
    text = (
        "The Mission Leaves\n\n"
        "The mission withdrew from the base as the army and the rebels fought near the camp .\n"
    )
    doc = extractor.extract_document(text, "unnamed")
    named = {m.entity for m in doc.mentions if m.level == "NAM"}
    assert all(r.head in named and r.tail in named for r in doc.relations)
    assert all(s.holder in named for s in doc.stances)
    gold = read_document(CORPUS / "sources" / "documents" / f"{DOC_ID}.json")
    redone = extractor.annotate_relations(gold)
    gold_named = {m.entity for m in gold.mentions if m.level == "NAM"}
    assert redone.relations and all(
        r.head in gold_named and r.tail in gold_named for r in redone.relations
    )


def test_extract_and_preannotate_train_on_other_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = write_iob2(tmp_path / "other.conll", 200)
    article = tmp_path / "tenenkou.txt"
    article.write_text(TENENKOU, encoding="utf-8")
    argv = ["extract", str(article), "-o", str(tmp_path / "out"), "--corpus", str(CORPUS)]
    assert main([*argv, "--ner-train", str(other)]) == 1
    assert "error [label-map]: " in capsys.readouterr().err  # PERSON is not an entity type
    assert main([*argv, "--ner-train", str(other), "--ner-map", MAP]) == 0
    data = json.loads((tmp_path / "out" / "tenenkou.json").read_text(encoding="utf-8"))
    assert "Tenenkou" in {m["text"] for m in data["mentions"]}

    # a corpus whose only document is the one to pre-annotate: other data train the tagger
    corpus = tmp_path / "corpus"
    documents = corpus / "sources" / "documents"
    documents.mkdir(parents=True)
    new = ["new", str(article), "--id", "tenenkou", "--title", "Attack near Tenenkou"]
    new += ["--publisher", "Test", "--licence", "CC-BY-4.0", "--corpus", str(corpus)]
    assert main(new) == 0
    draft = documents / "tenenkou.json"
    assert main(["preannotate", str(draft), "--corpus", str(corpus)]) == 1
    assert "error [no-training-data]: " in capsys.readouterr().err
    pre = ["preannotate", str(draft), "--corpus", str(corpus), "--ner-train", str(other)]
    assert main([*pre, "--ner-map", MAP]) == 0
    doc = read_document(draft)
    assert {"Tenenkou", "JNIM", "Tuesday"} <= {m.text for m in doc.mentions}
    assert doc.relations == () and doc.stances == ()  # only the corpus teaches those
    assert validate_file(draft) == []
    shutil.rmtree(tmp_path / "out")
