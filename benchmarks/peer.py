"""Side by side with a peer: spaCy's NER trained from scratch on the same folds.

    python benchmarks/peer.py            # writes peer.json and the table in README.md

Both taggers train on the same cross-validation folds of the corpus's
sentences and are scored on the held-out fold with seqeval (strict IOB2,
micro F1 pooled over the five folds). Speed is measured on the sentences of
synthetic articles (``synthetic.py``), one thread, after a warm-up: our NER
step is feature extraction plus CRF tagging from tokens; spaCy's is building
``Doc`` objects from the same tokens plus its NER component (a blank English
pipeline, so no model is downloaded). The run also measures the whole
extraction pipeline on raw text and the share of our NER time spent inside
the CRF library (``Tagger.tag``).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import report  # noqa: E402


def train_spacy(sentences: Sequence[Any], seed: int, epochs: int) -> Any:
    """A blank English pipeline with an NER component trained on ``sentences``."""
    import spacy
    from spacy.tokens import Doc
    from spacy.training import Example, iob_to_biluo
    from spacy.util import minibatch

    spacy.util.fix_random_seed(seed)
    nlp = spacy.blank("en")
    ner = nlp.add_pipe("ner")
    for s in sentences:
        for tag in s.tags:
            if tag != "O":
                ner.add_label(tag[2:])
    examples = [
        Example.from_dict(
            Doc(nlp.vocab, words=list(s.tokens)), {"entities": iob_to_biluo(list(s.tags))}
        )
        for s in sentences
    ]
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(examples)
        for batch in minibatch(examples, size=8):
            nlp.update(batch, drop=0.2, sgd=optimizer)
    return nlp


def spacy_tags(nlp: Any, token_lists: Sequence[Sequence[str]]) -> list[list[str]]:
    from spacy.tokens import Doc

    ner = nlp.get_pipe("ner")
    docs = (Doc(nlp.vocab, words=list(t)) for t in token_lists)
    out = []
    for doc in ner.pipe(docs, batch_size=256):
        out.append(
            [f"{t.ent_iob_}-{t.ent_type_}" if t.ent_iob_ in ("B", "I") else "O" for t in doc]
        )
    return out


#: The pipeline's steps and the functions whose cumulative time is each step's.
STAGES: dict[str, tuple[str, ...]] = {
    "zones, sentences, tokens": ("propose_zones", "propose_sentences", "token_offsets"),
    "mentions (NER)": ("_mentions",),
    "relations": ("_relations",),
    "stances": ("_stances",),
    "annotation file": ("document_to_dict",),
}


def _pipeline_stages(extractor: Any, texts: Sequence[str]) -> dict[str, float]:
    """Seconds spent in each step of ``Extractor.extract`` over ``texts`` (by cProfile).

    The public API runs as it is; the profile attributes its time to the
    functions of :data:`STAGES` (cumulative, so a step includes what it calls).
    """
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for i, text in enumerate(texts):
        extractor.extract(text, f"d{i}")
    profiler.disable()
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    spent = dict.fromkeys(STAGES, 0.0)
    for (_, _, function), (_, _, _, cumulative, _) in stats.items():
        for stage, names in STAGES.items():
            if function in names:
                spent[stage] += cumulative
    return {k: round(v, 4) for k, v in spent.items()}


def _time(fn: Any, repeat: int) -> float:
    fn()  # warm-up
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def run(seed: int = 0, epochs: int = 30, speed_articles: int = 40, repeat: int = 3) -> dict:
    from seqeval.metrics import f1_score
    from seqeval.scheme import IOB2

    from sahel_corpus.baselines.data import tagged_sentences
    from sahel_corpus.baselines.ner import CRFTagger
    from sahel_corpus.baselines.pipeline import Extractor
    from sahel_corpus.segment import propose_sentences, propose_zones
    from sahel_corpus.sources import read_documents
    from sahel_corpus.tokenize import token_offsets
    from synthetic import articles

    docs = read_documents(HERE.parent / "corpus")
    sentences = tagged_sentences(docs)
    gold, ours, theirs = [], [], []
    for k in sorted({s.fold for s in sentences}):
        train = [s for s in sentences if s.fold != k]
        test = [s for s in sentences if s.fold == k]
        crf = CRFTagger().fit([s.tokens for s in train], [s.tags for s in train])
        nlp = train_spacy(train, seed, epochs)
        gold += [list(s.tags) for s in test]
        ours += crf.predict([s.tokens for s in test])
        theirs += spacy_tags(nlp, [s.tokens for s in test])
    f1_ours = f1_score(gold, ours, mode="strict", scheme=IOB2)
    f1_spacy = f1_score(gold, theirs, mode="strict", scheme=IOB2)

    crf = CRFTagger().fit([s.tokens for s in sentences], [s.tags for s in sentences])
    nlp = train_spacy(sentences, seed, epochs)
    texts = [r["text"] for r in articles(speed_articles, seed)]
    token_lists = []
    for text in texts:
        for s in propose_sentences(text, propose_zones(text)):
            token_lists.append([text[a:b] for a, b in token_offsets(text, s.start, s.end)])
    words = sum(map(len, token_lists))
    features = [crf.features(t) for t in token_lists]
    tag = crf.tagger_.tag
    t_features = _time(lambda: [crf.features(t) for t in token_lists], repeat)
    t_tagging = _time(lambda: [tag(f) for f in features], repeat)
    t_ours = _time(lambda: [tag(crf.features(t)) for t in token_lists], repeat)
    t_spacy = _time(lambda: spacy_tags(nlp, token_lists), repeat)

    extractor = Extractor.train(docs, seed=seed)
    pipeline_words = sum(len(token_offsets(t)) for t in texts)
    t_pipeline = _time(lambda: [extractor.extract(t, "x") for t in texts], 1)
    stages = _pipeline_stages(extractor, texts)
    import spacy

    return {
        "meta": {
            "command": "python benchmarks/peer.py",
            "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}, "
            f"spaCy {spacy.__version__}, one thread",
            "speed_words": words,
            "cv_sentences": len(sentences),
            "spacy_epochs": epochs,
        },
        "ner": {
            "ours_f1": round(f1_ours, 4),
            "spacy_f1": round(f1_spacy, 4),
            "ours_words_per_second": round(words / t_ours),
            "spacy_words_per_second": round(words / t_spacy),
            "speed_ratio": round(t_spacy / t_ours, 2),
            "crf_share": round(t_tagging / (t_features + t_tagging), 3),
            "features_seconds": round(t_features, 4),
            "tagging_seconds": round(t_tagging, 4),
        },
        "pipeline": {
            "words": pipeline_words,
            "seconds": round(t_pipeline, 3),
            "words_per_second": round(pipeline_words / t_pipeline),
            "stages": stages,
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args(argv)
    result = run(args.seed, args.epochs, args.articles)
    args.out.mkdir(parents=True, exist_ok=True)
    report.save_json(args.out / "peer.json", result)
    if (args.out / "README.md").is_file():
        report.update(args.out)
    print(report.render_peer(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
