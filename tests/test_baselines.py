"""Baselines: scorers against reference implementations, learnable data, the command."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from seqeval.metrics import f1_score as seqeval_f1
from seqeval.scheme import IOB2
from sklearn.base import clone
from sklearn.metrics import f1_score, precision_recall_fscore_support

from _paths import CORPUS, REPO
from sahel_corpus.baselines.data import (
    NONE,
    RelationCandidate,
    StanceCandidate,
    TaggedSentence,
    read_conll_text,
)
from sahel_corpus.baselines.evaluate import render_results, run_ner
from sahel_corpus.baselines.linear import MajorityClassifier
from sahel_corpus.baselines.ner import CRFTagger, MajorityTagger, MemorizationTagger
from sahel_corpus.baselines.relations import RelationClassifier
from sahel_corpus.baselines.stance import StanceClassifier
from sahel_corpus.cli import main
from sahel_corpus.errors import DataError
from sahel_corpus.iob import iob2_to_spans
from sahel_corpus.scoring import (
    entity_relation_scores,
    ner_scores,
    span_prf,
    stance_scores,
    tacred_scores,
)
from sahel_corpus.sections import get_section

TYPES = ["PER", "ORG", "LOC"]


def _random_tags(rng: random.Random, n: int) -> list[str]:
    tags, prev = [], "O"
    for _ in range(n):
        r = rng.random()
        if r < 0.5:
            tag = "O"
        elif r < 0.75 or prev == "O":
            tag = f"B-{rng.choice(TYPES)}"
        else:
            tag = f"I-{prev[2:]}" if rng.random() < 0.8 else f"B-{rng.choice(TYPES)}"
        tags.append(tag)
        prev = tag
    return tags


def _perturb(rng: random.Random, tags: list[str]) -> list[str]:
    out = list(tags)
    for i in range(len(out)):
        if rng.random() < 0.2:
            out[i] = rng.choice(["O", f"B-{rng.choice(TYPES)}"])
        if out[i].startswith("I-") and (i == 0 or out[i - 1][2:] != out[i][2:]):
            out[i] = "B-" + out[i][2:]
    return out


@pytest.mark.parametrize("seed", range(20))
def test_span_f1_agrees_with_seqeval_strict(seed: int) -> None:
    rng = random.Random(seed)
    gold = [_random_tags(rng, rng.randint(1, 15)) for _ in range(10)]
    pred = [_perturb(rng, g) for g in gold]
    tokens = [[(i, i + 1) for i in range(len(g))] for g in gold]

    def spans(seqs: list[list[str]]) -> set[tuple[int, int, int, str]]:
        return {
            (k, *s)
            for k, (t, g) in enumerate(zip(tokens, seqs, strict=True))
            for s in iob2_to_spans(t, g)
        }

    ours = span_prf(spans(gold), spans(pred))["f1"]
    assert ours == round(seqeval_f1(gold, pred, mode="strict", scheme=IOB2), 4)
    scores = ner_scores(gold, pred, TYPES)
    assert scores["micro_f1"] == ours
    assert scores["nervaluate"]["strict"] == ours  # two libraries, one answer


@pytest.mark.parametrize("seed", range(20))
def test_tacred_scores_agree_with_sklearn(seed: int) -> None:
    rng = random.Random(seed)
    labels = [NONE, NONE, NONE, "ATTACKS", "PART_OF", "CONTROLS"]
    y_true = [rng.choice(labels) for _ in range(60)]
    y_pred = [t if rng.random() < 0.5 else rng.choice(labels) for t in y_true]
    positive = sorted({*y_true, *y_pred} - {NONE})
    p, r, f, _ = precision_recall_fscore_support(
        y_true, y_pred, labels=positive, average="micro", zero_division=0
    )
    ours = tacred_scores(y_true, y_pred)
    assert (ours["micro_precision"], ours["micro_recall"], ours["micro_f1"]) == (
        round(p, 4),
        round(r, 4),
        round(f, 4),
    )
    per = f1_score(y_true, y_pred, labels=positive, average=None, zero_division=0)
    assert [ours["per_type"][k]["f1"] for k in positive] == [round(x, 4) for x in per]


@pytest.mark.parametrize("seed", range(20))
def test_stance_scores_agree_with_sklearn(seed: int) -> None:
    rng = random.Random(seed)
    labels = ["FAVOR", "AGAINST", "NEUTRAL", NONE, NONE]
    y_true = [rng.choice(labels) for _ in range(40)]
    y_pred = [t if rng.random() < 0.6 else rng.choice(labels) for t in y_true]
    ours = stance_scores(y_true, y_pred)
    macro = f1_score(
        y_true, y_pred, labels=["FAVOR", "AGAINST", "NEUTRAL"], average="macro", zero_division=0
    )
    fa = f1_score(y_true, y_pred, labels=["FAVOR", "AGAINST"], average=None, zero_division=0)
    assert ours["macro_f1"] == round(macro, 4)
    assert ours["semeval_f1"] == round(sum(fa) / 2, 4)


def test_entity_relation_scores_ignore_direction_of_symmetric_types() -> None:
    gold = {("d", "e1", "ALLIED_WITH", "e2"), ("d", "e1", "ATTACKS", "e3")}
    pred = {("d", "e2", "ALLIED_WITH", "e1"), ("d", "e3", "ATTACKS", "e1")}
    scores = entity_relation_scores(gold, pred, symmetric=["ALLIED_WITH"])
    assert scores == {"precision": 0.5, "recall": 0.5, "f1": 0.5}


# -- learnable generated data ------------------------------------------------------------------

NAMES = ["Wagner", "Barkhane", "Takuba", "Ansar", "Katiba", "Azawad", "Ecowas", "Minusma"]
PLACES = ["Gao", "Kidal", "Menaka", "Tessalit", "Anefis", "Ber", "Timbuktu", "Aguelhok"]
VERBS = ["attacked", "left", "entered", "reached", "shelled", "raided"]


def _ner_data(n: int, seed: int) -> list[TaggedSentence]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        org, place, verb = rng.choice(NAMES), rng.choice(PLACES), rng.choice(VERBS)
        tokens = ("The", "group", org, verb, "the", "town", "of", place, ".")
        tags = ("O", "O", "B-ORG", "O", "O", "O", "O", "B-GPE", "O")
        out.append(TaggedSentence(str(i), tokens, tags, fold=i % 5))
    return out


def test_ner_baselines_beat_the_trivial_row() -> None:
    results = run_ner(_ner_data(60, 1))
    trivial = results["majority"]["summary"]["micro_f1"]["mean"]
    for model in ("memorization", "crf"):
        assert results[model]["summary"]["micro_f1"]["mean"] > trivial + 0.5, model


def _rel(i: int, rng: random.Random) -> tuple[RelationCandidate, str]:
    verb = rng.choice(["attacked", "met", "praised", "shelled"])
    label = "ATTACKS" if verb in ("attacked", "shelled") else NONE
    return RelationCandidate(
        "d",
        f"s{i}",
        i % 5,
        (0, 3),
        (10, 13),
        "ORG",
        "ORG",
        "a",
        "b",
        ("then", verb),
        2,
        f"e{i}",
        f"f{i}",
        label,
    ), label


def test_relation_classifier_beats_the_trivial_row() -> None:
    rng = random.Random(2)
    data = [_rel(i, rng) for i in range(80)]
    train, test = data[:60], data[60:]
    gold = [y for _, y in test]
    scores = {}
    for name, est in (("majority", MajorityClassifier()), ("logreg", RelationClassifier())):
        fitted = est.fit([c for c, _ in train], [y for _, y in train])
        assert fitted is est
        scores[name] = tacred_scores(gold, est.predict([c for c, _ in test]))["micro_f1"]
    assert scores["logreg"] > scores["majority"] + 0.5


def _stance(i: int, rng: random.Random) -> StanceCandidate:
    verb, label = rng.choice(
        [
            ("supports", "FAVOR"),
            ("welcomes", "FAVOR"),
            ("condemns", "AGAINST"),
            ("rejects", "AGAINST"),
            ("visited", NONE),
        ]
    )
    text = f" holderstart X holderend {verb} the targetstart Y targetend today"
    return StanceCandidate("d", f"s{i}", i % 5, "e1", "ORG", "e2", text, label)


def test_stance_classifier_beats_the_trivial_row() -> None:
    rng = random.Random(3)
    data = [_stance(i, rng) for i in range(100)]
    train, test = data[:75], data[75:]
    gold = [c.label for c in test]
    scores = {}
    for name, est in (("majority", MajorityClassifier()), ("tfidf", StanceClassifier())):
        est.fit(train, [c.label for c in train])
        scores[name] = stance_scores(gold, est.predict(test))["semeval_f1"]
    assert scores["tfidf"] > scores["majority"] + 0.5


# -- estimator conventions and persistence -----------------------------------------------------


def test_estimators_follow_sklearn_conventions() -> None:
    data = _ner_data(20, 4)
    X, y = [s.tokens for s in data], [s.tags for s in data]
    for est in (MajorityTagger(), MemorizationTagger(), CRFTagger(max_iterations=20)):
        assert clone(est).get_params() == est.get_params()
        assert est.fit(X, y) is est
        fitted = [k for k in vars(est) if k.endswith("_") and not k.startswith("_")]
        assert fitted, type(est).__name__


def test_models_save_and_load_without_pickle(tmp_path: Path) -> None:
    data = _ner_data(30, 5)
    X, y = [s.tokens for s in data], [s.tags for s in data]
    crf = CRFTagger(max_iterations=30).fit(X, y)
    crf.save(tmp_path / "crf")
    assert sorted(p.name for p in (tmp_path / "crf").iterdir()) == ["model.crfsuite", "tagger.json"]
    assert CRFTagger.load(tmp_path / "crf").predict(X) == crf.predict(X)

    rng = random.Random(6)
    stances = [_stance(i, rng) for i in range(40)]
    clf = StanceClassifier().fit(stances, [c.label for c in stances])
    clf.save(tmp_path / "stance.json")
    assert StanceClassifier.load(tmp_path / "stance.json").predict(stances) == clf.predict(stances)

    rels = [_rel(i, rng)[0] for i in range(40)]
    rc = RelationClassifier().fit(rels, [c.label for c in rels])
    rc.model_.save(tmp_path / "re.json")
    from sahel_corpus.baselines.linear import LinearClassifier

    loaded = LinearClassifier.load(tmp_path / "re.json")
    from sahel_corpus.baselines.relations import relation_features

    assert loaded.predict([relation_features(c) for c in rels]) == rc.predict(rels)


# -- the command -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def baseline_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One run of `sahel-corpus baselines all` on the corpus: its output folder and table."""
    out = tmp_path_factory.mktemp("baselines")
    cache = tmp_path_factory.mktemp("hf-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HOME", str(cache))
        mp.setenv("HF_DATASETS_OFFLINE", "1")
        mp.setenv("HF_HUB_OFFLINE", "1")
        assert main(["baselines", "all", "--dataset", str(CORPUS), "--output", str(out)]) == 0
    return out, (out / "results.md").read_text(encoding="utf-8").rstrip("\n")


def test_readme_and_card_tables_match_a_fresh_run(baseline_run: tuple[Path, str]) -> None:
    _, table = baseline_run
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    card = (CORPUS / "README.md").read_text(encoding="utf-8")
    assert get_section(readme, "baselines") == table
    assert get_section(card, "baselines") == table


def test_command_writes_predictions_and_metrics(baseline_run: tuple[Path, str]) -> None:
    out, table = baseline_run
    assert "Named entities (5 folds)" in table and "Stance (5 folds)" in table
    metrics = json.loads((out / "metrics.json").read_text())
    assert set(metrics) == {"ner", "re", "stance", "event-triggers", "event-arguments", "realis"}
    assert "Event triggers (5 folds)" in table and "Realis (gold events) (5 folds)" in table
    rows = (out / "ner" / "crf" / "fold-0.jsonl").read_text().splitlines()
    assert {"id", "tokens", "gold", "pred"} <= set(json.loads(rows[0]))
    assert (out / "re" / "logreg-e2e" / "fold-4.metrics.json").is_file()
    assert (out / "stance" / "tfidf-logreg" / "fold-2.jsonl").is_file()


def test_the_official_scorer_reproduces_the_table_from_the_saved_predictions(
    baseline_run: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """`sahel-corpus evaluate` on each saved fold file gives the published figures."""
    from sahel_corpus.baselines.evaluate import TABLE_METRICS, summarise

    out, table = baseline_run
    metrics = json.loads((out / "metrics.json").read_text())
    rescored: dict[str, dict[str, Any]] = {}
    for task in ("ner", "re", "stance"):
        rescored[task] = {}
        for model in metrics[task]:
            folder = out / task / model
            per_fold = []
            for k in range(5):
                capsys.readouterr()
                argv = ["evaluate", str(CORPUS), str(folder / f"fold-{k}.jsonl")]
                kind = {"ner": "ner", "re": "relation", "stance": "stance"}[task] + "-candidates"
                assert main([*argv, "--fold", str(k), "--rows", kind, "--format", "json"]) == 0
                result = json.loads(capsys.readouterr().out)
                layer = {"ner": "ner", "re": "relations", "stance": "stance"}[task]
                scores = result[layer]
                if task == "re":
                    scores = {"micro_f1": scores["tacred_micro_f1"], "entity_f1": scores["f1"]}
                per_fold.append({key: scores[key] for key, _ in TABLE_METRICS[task]})
            rescored[task][model] = {"summary": summarise(per_fold), "folds": per_fold}
    assert table.startswith(render_results(rescored))
    # the event models whose rows the scorer reads: trigger taggers and gold-trigger arguments
    event_files = {
        ("event-triggers", m): ("triggers-" + m, "event_triggers")
        for m in metrics["event-triggers"]
    }
    event_files |= {
        ("event-arguments", m): ("arguments-" + m, "events")
        for m in metrics["event-arguments"]
        if m.endswith("-gold")
    }
    assert len(event_files) == 5
    for (task, model), (folder, kind) in event_files.items():
        per_fold = []
        for k in range(5):
            capsys.readouterr()
            argv = ["evaluate", str(CORPUS), str(out / "events" / folder / f"fold-{k}.jsonl")]
            assert main([*argv, "--fold", str(k), "--rows", kind, "--format", "json"]) == 0
            events = json.loads(capsys.readouterr().out)["events"]
            per_fold.append({key: events[key]["f1"] for key, _ in TABLE_METRICS[task]})
        assert per_fold == metrics[task][model]["folds"], (task, model)
    assert render_results(metrics) == table


CONLL = "The O\nWagner B-ORG\ngroup I-ORG\nleft O\nGao B-GPE\n. O\n\n"


def test_command_runs_on_an_iob2_file_pair(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    train = tmp_path / "train.conll"
    test = tmp_path / "test.conll"
    train.write_text("-DOCSTART- O\n\n" + CONLL * 5, encoding="utf-8")
    test.write_text(CONLL.replace("Gao", "Kidal") * 2, encoding="utf-8")
    status = main(
        [
            "baselines",
            "ner",
            "--train",
            str(train),
            "--test",
            str(test),
            "--output",
            str(tmp_path / "out"),
        ]
    )
    assert status == 0
    out = capsys.readouterr().out
    assert "Named entities (1 folds)" in out
    # both "Wagner group" found, both "Kidal" unseen: precision 1, recall 0.5
    assert "| memorization | 0.667 ± 0.000" in out


def test_tags_that_are_not_iob2_are_refused_with_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.conll"
    bad.write_text("x O\n\nThe O\nWagner I-ORG\n", encoding="utf-8")
    assert main(["baselines", "ner", "--train", str(bad), "--test", str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}: sentence starting at line 3: got 'I-ORG' at position 1 after 'O'" in err


def test_one_column_line_is_refused() -> None:
    with pytest.raises(DataError) as err:
        read_conll_text("The O\nWagner\n", "x.conll", 0)
    assert err.value.code == "conll-columns" and str(err.value).startswith("x.conll: line 2: ")


def test_unknown_dataset_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["baselines", "all", "--dataset", str(tmp_path)]) == 1
    assert "error [corpus-missing]: " in capsys.readouterr().err


def test_unknown_task_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["baselines", "parse"])
    assert exit_info.value.code == 2


def test_missing_fold_and_empty_training_fold_are_refused() -> None:
    untested = [TaggedSentence("1", ("a",), ("O",), fold=-1)]
    with pytest.raises(DataError) as no_fold:
        run_ner(untested)
    assert no_fold.value.code == "no-test-fold"
    one_fold = [TaggedSentence(str(i), ("a",), ("O",), fold=0) for i in range(3)]
    with pytest.raises(DataError) as empty:
        run_ner(one_fold)
    assert empty.value.code == "empty-training" and str(empty.value).startswith("fold 0: ")


def test_folds_option_must_match_the_data(
    tmp_path: Path, hf_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["baselines", "ner", "--folds", "3", "--output", str(tmp_path)]) == 1
    assert "error [folds]: " in capsys.readouterr().err


def test_external_data_only_for_ner(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "a.conll"
    f.write_text(CONLL, encoding="utf-8")
    assert main(["baselines", "re", "--train", str(f), "--test", str(f)]) == 2
    assert "error [external-task]: " in capsys.readouterr().err


def test_command_runs_on_a_hf_token_classification_dataset(
    tmp_path: Path, hf_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from datasets import ClassLabel, Dataset, Features, List, Value

    names = ["O", "B-ORG", "I-ORG", "B-GPE", "I-GPE"]
    feats = Features({"tokens": List(Value("string")), "ner_tags": List(ClassLabel(names=names))})
    data = _ner_data(40, 7)
    rows = {
        "tokens": [list(s.tokens) for s in data],
        "ner_tags": [[names.index(t) for t in s.tags] for s in data],
    }
    (tmp_path / "data").mkdir()
    ds = Dataset.from_dict(rows, features=feats)
    ds.select(range(30)).to_parquet(str(tmp_path / "data" / "train-00000.parquet"))
    ds.select(range(30, 40)).to_parquet(str(tmp_path / "data" / "test-00000.parquet"))
    assert (
        main(["baselines", "ner", "--hf-dataset", str(tmp_path), "--output", str(tmp_path / "out")])
        == 0
    )
    out = capsys.readouterr().out
    assert "Named entities (1 folds)" in out
    assert "| crf | 1.000 ± 0.000" in out


def test_single_conll_file_is_cross_validated_and_repaired_on_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "one.conll"
    broken = CONLL.replace("Gao B-GPE", "Gao I-GPE")
    f.write_text(broken * 10, encoding="utf-8")
    assert (
        main(
            [
                "baselines",
                "ner",
                "--conll",
                str(f),
                "--folds",
                "2",
                "--output",
                str(tmp_path / "out"),
            ]
        )
        == 1
    )
    assert "error [iob2-continuation]: " in capsys.readouterr().err
    status = main(
        [
            "baselines",
            "ner",
            "--conll",
            str(f),
            "--folds",
            "2",
            "--repair-iob2",
            "--output",
            str(tmp_path / "out"),
        ]
    )
    assert status == 0
    assert "Named entities (2 folds)" in capsys.readouterr().out


def test_dataset_without_the_documents_config_is_refused(
    tmp_path: Path, hf_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    shutil.copytree(CORPUS / "data" / "ner", tmp_path / "data" / "ner")
    (tmp_path / "README.md").write_text(
        "---\nconfigs:\n- config_name: ner\n  data_files:\n  - split: test\n"
        "    path: data/ner/*.parquet\n---\n",
        encoding="utf-8",
    )
    assert (
        main(["baselines", "all", "--dataset", str(tmp_path), "--output", str(tmp_path / "out")])
        == 1
    )
    err = capsys.readouterr().err
    assert "got no usable `documents` config" in err


def test_candidates_label_symmetric_relations_in_both_orders() -> None:
    from sahel_corpus.baselines.data import relation_candidates
    from sahel_corpus.model import Document, DocumentMeta, Entity, Mention, Relation, Sentence

    text = "Wagner and Russia attacked Mali."
    meta = DocumentMeta(
        "d", "d.txt", "0" * 64, "t", "p", None, None, "en", "l", "l", "1", (), "gold"
    )
    doc = Document(
        meta,
        text,
        sentences=(Sentence("s1", "z1", 0, len(text), text),),
        entities=(Entity("e1", "ORG"), Entity("e2", "GPE"), Entity("e3", "GPE")),
        mentions=(
            Mention("m1", "e1", 0, 6, "Wagner", "NAM"),
            Mention("m2", "e2", 11, 17, "Russia", "NAM"),
            Mention("m3", "e3", 27, 31, "Mali", "NAM"),
        ),
        relations=(
            Relation("r1", "ALLIED_WITH", "e1", "e2", ("s1",)),
            Relation("r2", "ATTACKS", "e1", "e3", ("s1",)),
        ),
    )
    labels = {(c.head_entity, c.tail_entity): c.label for c in relation_candidates(doc, None)}
    assert labels[("e1", "e2")] == labels[("e2", "e1")] == "ALLIED_WITH"
    assert labels[("e1", "e3")] == "ATTACKS"
    assert labels[("e3", "e1")] == NONE  # an attack has a direction
