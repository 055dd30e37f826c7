"""The batch decoder against the CRF library it reads its models from (the reference).

Models are trained by python-crfsuite on generated sequences; every sentence
is tagged both ways: the labels must be the library's exactly, the marginals
equal to rounding.
"""

from __future__ import annotations

import pickle
import random
import tempfile
from pathlib import Path

import numpy as np
import pycrfsuite
import pytest

from sahel_corpus.baselines import ner
from sahel_corpus.baselines.crf_batch import (
    marginals,
    read_weights,
    state_scores,
    viterbi,
)
from sahel_corpus.baselines.ner import CRFTagger
from sahel_corpus.errors import BaselineError

LABELS = ["O", "B-ORG", "I-ORG", "B-GPE", "I-GPE", "B-PER"]
WORDS = [f"w{k}" for k in range(40)]


def _sentence(rng: random.Random, n: int) -> tuple[list[list[str]], list[str]]:
    """Items of a few attributes each (some repeated, some never seen) and tags."""
    items, tags = [], []
    for i in range(n):
        word = rng.choice(WORDS)
        item = [f"w={word}", f"suf={word[-1]}", "bias"]
        if i:
            item.append(f"w-1={items[-1][0][2:]}")
        if rng.random() < 0.2:
            item.append(item[0])  # an attribute twice counts twice
        if rng.random() < 0.2:
            item.append(f"unseen={rng.random()}")
        items.append(item)
        tags.append(LABELS[int(word[1:]) % len(LABELS)] if rng.random() < 0.8 else "O")
    return items, tags


def _model(c1: float, seed: int = 0) -> tuple[bytes, pycrfsuite.Tagger]:
    rng = random.Random(seed)
    trainer = pycrfsuite.Trainer(verbose=False)
    for _ in range(120):
        trainer.append(*_sentence(rng, rng.randint(1, 15)))
    trainer.set_params({"c1": c1, "c2": 0.01, "max_iterations": 60})
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.crfsuite"
        trainer.train(str(path))
        model = path.read_bytes()
    tagger = pycrfsuite.Tagger()
    tagger.open_inmemory(model)
    return model, tagger


def _weights(model: bytes, tagger: pycrfsuite.Tagger):  # type: ignore[no-untyped-def]
    info = tagger.info()
    return read_weights(
        model,
        {k: int(v) for k, v in info.labels.items()},
        {k: int(v) for k, v in info.attributes.items()},
    )


def _ids(weights, sentences):  # type: ignore[no-untyped-def]
    width = max(len(item) for items in sentences for item in items)
    rows = [
        [weights.attributes.get(a, weights.unknown) for a in item]
        + [weights.unknown] * (width - len(item))
        for items in sentences
        for item in items
    ]
    return np.array(rows, dtype=np.intp)


@pytest.mark.parametrize(("c1", "seed"), [(0.0, 1), (0.1, 2), (1.0, 3), (1e6, 4)])
def test_labels_are_the_librarys_and_marginals_agree(c1: float, seed: int) -> None:
    model, tagger = _model(c1, seed)
    weights = _weights(model, tagger)
    rng = random.Random(seed + 100)
    sentences = [_sentence(rng, rng.randint(1, 30))[0] for _ in range(200)]
    lengths = [len(s) for s in sentences]
    scores = state_scores(weights, _ids(weights, sentences))
    path = viterbi(scores, lengths, weights.transitions).tolist()
    probs = marginals(scores, lengths, weights.transitions)
    at = 0
    for items in sentences:
        expected = tagger.tag(items)
        got = [weights.labels[k] for k in path[at : at + len(items)]]
        assert got == expected
        for t, _ in enumerate(items):
            for j, label in enumerate(weights.labels):
                assert probs[at + t, j] == pytest.approx(tagger.marginal(label, t), abs=1e-9)
        at += len(items)


def test_a_model_with_no_weights_ties_everywhere_and_breaks_ties_as_the_library() -> None:
    model, tagger = _model(1e6, seed=5)
    weights = _weights(model, tagger)
    assert not weights.state.any() and not weights.transitions.any()
    items = _sentence(random.Random(6), 12)[0]
    scores = state_scores(weights, _ids(weights, [items]))
    got = [weights.labels[k] for k in viterbi(scores, [len(items)], weights.transitions)]
    assert got == tagger.tag(items)


def test_weights_are_read_exactly() -> None:
    model, tagger = _model(0.1, seed=7)
    weights = _weights(model, tagger)
    info = tagger.info()
    for (attribute, label), value in info.state_features.items():
        stored = weights.state[weights.attributes[attribute], weights.labels.index(label)]
        assert stored == pytest.approx(value, abs=5e-7)  # the dump prints six decimals
    for (a, b), value in info.transitions.items():
        stored = weights.transitions[weights.labels.index(a), weights.labels.index(b)]
        assert stored == pytest.approx(value, abs=5e-7)
    assert not weights.state[weights.unknown].any()


@pytest.mark.parametrize("model", [b"", b"not a model at all", b"lCRF" + bytes(60)])
def test_a_file_that_is_not_a_crfsuite_model_is_refused(model: bytes) -> None:
    with pytest.raises(BaselineError) as err:
        read_weights(model, {"O": 0}, {})
    assert err.value.code == "crf-model"


def test_an_empty_sentence_is_refused() -> None:
    with pytest.raises(BaselineError) as err:
        viterbi(np.zeros((2, 3)), [2, 0], np.zeros((3, 3)))
    assert err.value.code == "empty-sentence"


def test_no_sentences_give_no_labels() -> None:
    assert viterbi(np.zeros((0, 3)), [], np.zeros((3, 3))).shape == (0,)
    assert marginals(np.zeros((0, 3)), [], np.zeros((3, 3))).shape == (0, 3)


# -- the tagger ------------------------------------------------------------------------------


def _tagged(seed: int, n: int) -> tuple[list[list[str]], list[list[str]]]:
    rng = random.Random(seed)
    names = ["Gao", "Kidal", "Wagner", "MINUSMA", "Bamako", "Ber", "CMA"]
    types = {"Gao": "GPE", "Kidal": "GPE", "Bamako": "GPE", "Ber": "GPE"}
    X, y = [], []
    for _ in range(n):
        tokens, tags = [], []
        for _ in range(rng.randint(1, 14)):
            if rng.random() < 0.3:
                name = rng.choice(names)
                tokens.append(name)
                tags.append(f"B-{types.get(name, 'ORG')}")
            else:
                tokens.append(rng.choice(["the", "army", "left", "base", "in", ",", "11,600"]))
                tags.append("O")
        X.append(tokens)
        y.append(tags)
    return X, y


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"window": 2, "rich": True},
        {"gazetteer_folds": 0},
        {"window": 2, "gazetteer_folds": 3, "c1": 0.5},
    ],
)
def test_the_tagger_decodes_as_the_library_tags(params: dict[str, object]) -> None:
    X, y = _tagged(1, 150)
    tagger = CRFTagger(max_iterations=40, **params).fit(X, y)  # type: ignore[arg-type]
    new, _ = _tagged(2, 300)
    new += [[], ["Timbuktu", "and", "Gao"], ["never", "seen", "words", "here"]]
    expected = [list(tagger.tagger_.tag(tagger.features(t))) if t else [] for t in new]
    assert tagger.predict(new) == expected
    for tokens, spans in zip(new, tagger.predict_spans(new), strict=True):
        if not tokens:
            assert spans == []
            continue
        tagger.tagger_.set(tagger.features(tokens))
        tags = tagger.tagger_.tag()
        for a, b, label, confidence in spans:
            assert tags[a] == f"B-{label}"
            lowest = min(tagger.tagger_.marginal(tags[t], t) for t in range(a, b))
            assert confidence == pytest.approx(lowest, abs=1e-9)


def test_the_feature_rows_kept_are_bounded_and_change_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    X, y = _tagged(3, 120)
    tagger = CRFTagger(max_iterations=30).fit(X, y)
    new, _ = _tagged(4, 200)
    expected = tagger.predict(new)
    monkeypatch.setattr(ner, "FEATURE_ROWS_CACHED", 5)
    monkeypatch.setattr(ner, "DECODE_SENTENCES", 7)
    fresh = pickle.loads(pickle.dumps(tagger))
    assert fresh.predict(new) == expected
    batch = fresh.__dict__["_batch"]
    assert len(batch.index) <= 5 + 7 * max(len(t) for t in new)
    assert batch.pending == [] and len(batch.table) >= batch.filled == len(batch.index)


def test_sentences_without_tokens_get_no_tags_even_when_all_are_empty(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    X, y = _tagged(8, 60)
    tagger = CRFTagger(max_iterations=20).fit(X, y)
    assert tagger.predict([[]]) == [[]]
    assert tagger.predict_spans([[], []]) == [[], []]
    assert tagger.predict([]) == [] and tagger.predict_spans([]) == []
    monkeypatch.setattr(ner, "DECODE_SENTENCES", 2)  # a chunk of empty sentences among others
    mixed = [[], [], X[0], [], []]
    assert tagger.predict(mixed) == [[], [], tagger.predict([X[0]])[0], [], []]


def test_a_pickled_tagger_ships_no_decoder_state_and_decodes_the_same() -> None:
    X, y = _tagged(5, 100)
    tagger = CRFTagger(max_iterations=30).fit(X, y)
    new, _ = _tagged(6, 50)
    expected = tagger.predict(new)
    state = tagger.__getstate__()
    assert "_batch" not in state and "tagger_" not in state
    assert pickle.loads(pickle.dumps(tagger)).predict(new) == expected


def test_refitting_reads_the_new_model() -> None:
    X, y = _tagged(7, 100)
    tagger = CRFTagger(max_iterations=30).fit(X, y)
    tagger.predict(X[:3])
    swapped = [[t.replace("GPE", "ORG") if t != "O" else t for t in tags] for tags in y]
    tagger.fit(X, swapped)
    assert tagger.predict(X) == [list(tagger.tagger_.tag(tagger.features(t))) for t in X]
