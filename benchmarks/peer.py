"""NER side by side with two peers, on public data the repository does not ship.

    python benchmarks/peer.py dataset NAME --train T --dev D --test E --source "..."
    python benchmarks/peer.py corpus             # the corpus's own five folds
    python benchmarks/peer.py pipeline --text E  # the whole pipeline's speed on raw text
    python benchmarks/peer.py render             # benchmarks/README.md from peer.json

Four taggers train on the same training split and are scored on the same
test split with seqeval (strict IOB2, micro F1):

* ``crf``: the project's baseline, its settings chosen by 3-fold
  cross-validation on the training split only (:class:`TunedCRFTagger`);
* ``textbook-crf``: sklearn-crfsuite with its tutorial's features and
  settings (``textbook_crf.py``);
* ``spacy``: spaCy's NER trained from scratch with ``spacy train`` and the
  configuration ``spacy init config --pipeline ner`` writes (a blank English
  pipeline, no vectors, nothing downloaded), to convergence: it stops when
  the development split's F1 has not improved for ``--patience`` steps (1,600,
  spaCy's default) or after ``--max-steps`` (20,000, spaCy's default);
* ``memorization``: the longest match of the training names, for reference.

The test split also gives the speed: each tagger is loaded in a fresh
process (cold caches: no word of the test split has been seen) and times
tagging every test sentence from its tokens, ``--repeats`` times (at least
five for a published figure); the median and the range are reported. The F1
difference between ``crf`` and each peer comes with a 95% paired bootstrap
interval over test sentences (1,000 resamples). Results go to ``peer.json``
under the dataset's name and the README tables are rendered from it.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import report  # noqa: E402

SYSTEMS = ("crf", "textbook-crf", "spacy", "memorization")
PEERS = ("textbook-crf", "spacy")
SINGLE_THREAD = {k: "1" for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}


# --------------------------------------------------------------------------- scoring


def sentence_counts(
    gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]
) -> list[tuple[int, int, int]]:
    """Per sentence: (correct, predicted, gold) entities, as seqeval's strict mode counts them."""
    from sahel_corpus.iob import iob2_token_spans

    out = []
    for g, p in zip(gold, pred, strict=True):
        gs, ps = set(iob2_token_spans(g, strict=False)), set(iob2_token_spans(p, strict=False))
        out.append((len(gs & ps), len(ps), len(gs)))
    return out


def f1_of(counts: Sequence[tuple[int, int, int]]) -> float:
    """Micro F1 from summed per-sentence counts.

    >>> f1_of([(1, 2, 1), (0, 0, 1)])
    0.5
    """
    tp = sum(c[0] for c in counts)
    pred = sum(c[1] for c in counts)
    gold = sum(c[2] for c in counts)
    return 0.0 if tp == 0 else 2 * tp / (pred + gold)


def bootstrap_difference(
    a: Sequence[tuple[int, int, int]],
    b: Sequence[tuple[int, int, int]],
    resamples: int = 1000,
    seed: int = 0,
) -> tuple[float, float]:
    """95% paired bootstrap interval of F1(a) - F1(b), resampling sentences."""
    rng = random.Random(seed)
    n = len(a)
    diffs = []
    for _ in range(resamples):
        idx = [rng.randrange(n) for _ in range(n)]
        diffs.append(f1_of([a[i] for i in idx]) - f1_of([b[i] for i in idx]))
    diffs.sort()
    return round(diffs[int(0.025 * resamples)], 4), round(diffs[int(0.975 * resamples) - 1], 4)


# --------------------------------------------------------------------------- spaCy


_ROW = re.compile(
    r"^\s*(\d+)\s+(\d+)\s+[\d.]+\s+[\d.]+\s+([\d.]+)\s+[\d.]+\s+[\d.]+\s+([\d.]+)\s*$"
)


def _docbin(sentences: Sequence[Any], path: Path) -> None:
    import spacy
    from spacy.tokens import Doc, DocBin

    vocab = spacy.blank("en").vocab
    binary = DocBin()
    for s in sentences:
        binary.add(Doc(vocab, words=list(s.tokens), ents=list(s.tags)))
    binary.to_disk(path)


def train_spacy(
    train: Sequence[Any],
    dev: Sequence[Any],
    folder: Path,
    seed: int,
    max_steps: int,
    patience: int,
) -> dict[str, Any]:
    """``spacy train`` with spaCy's default NER configuration; the model goes to ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    _docbin(train, folder / "train.spacy")
    _docbin(dev, folder / "dev.spacy")
    spacy_cli = [sys.executable, "-m", "spacy"]
    env = {**os.environ, **SINGLE_THREAD, "ANSI_COLORS_DISABLED": "1", "NO_COLOR": "1"}
    subprocess.run(
        [
            *spacy_cli,
            *("init", "config", str(folder / "ner.cfg"), "--lang", "en"),
            *("--pipeline", "ner", "--optimize", "efficiency"),
        ],
        check=True,
        capture_output=True,
        env=env,
    )
    start = time.perf_counter()
    done = subprocess.run(
        [
            *spacy_cli,
            *("train", str(folder / "ner.cfg"), "--output", str(folder / "model")),
            *("--paths.train", str(folder / "train.spacy")),
            *("--paths.dev", str(folder / "dev.spacy")),
            *("--training.max_steps", str(max_steps), "--training.patience", str(patience)),
            *("--training.eval_frequency", str(min(200, max(1, max_steps // 4)))),
            *("--system.seed", str(seed)),
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    if done.returncode != 0:
        raise RuntimeError(f"spacy train failed:\n{done.stdout}\n{done.stderr}")
    rows = [m.groups() for m in map(_ROW.match, done.stdout.splitlines()) if m]
    epochs, steps = (int(rows[-1][0]) + 1, int(rows[-1][1])) if rows else (0, 0)
    best_row = max(rows, key=lambda r: float(r[3]), default=("0", "0", "0", "0"))
    best, best_step = float(best_row[3]), int(best_row[1])
    # spaCy stops when the development score has not improved for `patience` steps
    early = steps - best_step >= patience
    return {
        "steps": steps,
        "epochs": epochs,
        "best_dev_f1": round(best, 4),
        "best_step": best_step,
        "max_steps": max_steps,
        "patience": patience,
        "stopped": "early" if early else "at the step budget",
        "train_seconds": round(time.perf_counter() - start, 1),
    }


def spacy_tags(nlp: Any, token_lists: Sequence[Sequence[str]]) -> list[list[str]]:
    """The IOB2 tags spaCy's pipeline gives sentences of given tokens."""
    from spacy.tokens import Doc

    docs = (Doc(nlp.vocab, words=list(t)) for t in token_lists)
    return [
        [f"{t.ent_iob_}-{t.ent_type_}" if t.ent_iob_ in ("B", "I") else "O" for t in doc]
        for doc in nlp.pipe(docs, batch_size=256)
    ]


# --------------------------------------------------------------------------- timing


def _load_tagger(kind: str, folder: Path) -> Any:
    """A tagger saved by :func:`compare`, with a ``predict(token_lists)``."""
    if kind == "crf":
        from sahel_corpus.baselines.ner import CRFTagger

        return CRFTagger.load(folder / "crf")
    if kind == "textbook-crf":
        import pickle

        return pickle.loads((folder / "textbook-crf.pickle").read_bytes())
    import spacy

    nlp = spacy.load(folder / "spacy" / "model" / "model-best")

    class _Spacy:
        def predict(self, token_lists: Sequence[Sequence[str]]) -> list[list[str]]:
            return spacy_tags(nlp, token_lists)

    return _Spacy()


def _time_compiled_decoding() -> list[float]:
    """Time the crf's compiled decoding steps from now on (in this process); the list holds
    their seconds so far. The rest of its time is Python: gazetteer tags, feature rows."""
    from sahel_corpus.baselines import ner

    spent = [0.0]

    def timed(function: Any) -> Any:
        def run(*args: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args)
            finally:
                spent[0] += time.perf_counter() - start

        return run

    for name in ("state_scores", "viterbi", "marginals"):
        setattr(ner, name, timed(getattr(ner, name)))
    return spent


def _time_tagger(kind: str, folder: Path) -> dict[str, float]:
    """One timed run in this (fresh) process: load (not timed), then tag the test tokens."""
    token_lists = json.loads((folder / "test-tokens.json").read_text(encoding="utf-8"))
    tagger = _load_tagger(kind, folder)
    result: dict[str, float] = {}
    compiled = _time_compiled_decoding() if kind == "crf" else None
    start = time.perf_counter()
    tagger.predict(token_lists)
    result["seconds"] = time.perf_counter() - start
    if compiled is not None:  # the share of the time in compiled decoding, same run
        result["compiled_seconds"] = compiled[0]
    return result


def fresh_runs(
    argv: Sequence[str], repeats: int, script: str | Path = __file__
) -> list[dict[str, Any]]:
    """Run ``script argv`` (this file by default) in ``repeats`` fresh processes on one
    thread; each prints one JSON line."""
    env = {**os.environ, **SINGLE_THREAD}
    out = []
    for _ in range(repeats):
        done = subprocess.run(
            [sys.executable, str(script), *argv],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
        out.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return out


def rate(words: int, runs: Sequence[dict[str, Any]], key: str = "seconds") -> dict[str, Any]:
    """Words per second over fresh runs: median, slowest and fastest.

    >>> rate(100, [{"seconds": 1.0}, {"seconds": 2.0}, {"seconds": 0.5}])
    {'median': 100, 'min': 50, 'max': 200, 'runs': 3}
    """
    rates = sorted(words / r[key] for r in runs)
    return {
        "median": round(statistics.median(rates)),
        "min": round(rates[0]),
        "max": round(rates[-1]),
        "runs": len(rates),
    }


# --------------------------------------------------------------------------- one comparison


def compare(
    train: Sequence[Any],
    dev: Sequence[Any],
    test: Sequence[Any],
    work: Path,
    seed: int = 0,
    max_steps: int = 20000,
    patience: int = 1600,
    repeats: int = 5,
    spacy_train: Sequence[Any] | None = None,
) -> dict[str, Any]:
    """Train the four taggers, score them on ``test``, time them; return the results.

    spaCy trains on ``spacy_train`` (default ``train``) and stops early on
    ``dev``; the others train on ``train``. ``repeats`` 0 times nothing. The
    per-sentence counts of each tagger are under ``"_counts"``.
    """
    import pickle

    from textbook_crf import TextbookCRF

    from sahel_corpus.baselines.ner import MemorizationTagger, TunedCRFTagger

    X, y = [s.tokens for s in train], [s.tags for s in train]
    gold = [list(s.tags) for s in test]
    tokens = [list(s.tokens) for s in test]
    start = time.perf_counter()
    crf = TunedCRFTagger(seed=seed).fit(X, y)
    crf_seconds = time.perf_counter() - start
    crf.tagger_.save(work / "crf")
    textbook = TextbookCRF().fit(X, y)
    (work / "textbook-crf.pickle").write_bytes(pickle.dumps(textbook))
    spacy_run = train_spacy(
        train if spacy_train is None else spacy_train,
        dev,
        work / "spacy",
        seed,
        max_steps,
        patience,
    )
    import spacy

    nlp = spacy.load(work / "spacy" / "model" / "model-best")
    predictions = {
        "crf": crf.predict(tokens),
        "textbook-crf": textbook.predict(tokens),
        "spacy": spacy_tags(nlp, tokens),
        "memorization": MemorizationTagger().fit(X, y).predict(tokens),
    }
    counts = {name: sentence_counts(gold, pred) for name, pred in predictions.items()}
    f1 = {name: round(f1_of(c), 4) for name, c in counts.items()}
    (work / "test-tokens.json").write_text(json.dumps(tokens), encoding="utf-8")
    words = sum(map(len, tokens))
    speed: dict[str, Any] = {"words": words}
    for kind in ("crf", "textbook-crf", "spacy") if repeats else ():
        runs = fresh_runs(["time-tagger", kind, str(work)], repeats)
        speed[kind] = rate(words, runs)
        if kind == "crf":
            speed["crf_compiled_share"] = round(
                statistics.median(r["compiled_seconds"] / r["seconds"] for r in runs), 3
            )
    return {
        "sentences": {"train": len(train), "dev": len(dev), "test": len(test)},
        "test_words": words,
        "test_entities": sum(c[2] for c in counts["crf"]),
        "types": sorted({t[2:] for s in (*train, *test) for t in s.tags if t != "O"}),
        "f1": f1,
        "crf_minus_peer_95ci": {
            peer: bootstrap_difference(counts["crf"], counts[peer], seed=seed) for peer in PEERS
        },
        "crf": {
            "params": crf.best_params_,
            "cv_f1": crf.cv_f1_,
            "fit_seconds": round(crf_seconds, 1),
        },
        "spacy": spacy_run,
        "speed": speed,
        "verdict": verdict(f1),
        "_counts": counts,
    }


def verdict(f1: dict[str, float]) -> str:
    """Which peers the crf baseline scores above.

    >>> verdict({"crf": 0.8, "textbook-crf": 0.7, "spacy": 0.85})
    'crf above textbook-crf, below spacy'
    """
    parts = []
    for p in PEERS:
        word = "above" if f1["crf"] > f1[p] else "below" if f1["crf"] < f1[p] else "level with"
        parts.append(f"crf {word} {p}")
    text = ", ".join(parts)
    return text.replace(", crf ", ", ")


# --------------------------------------------------------------------------- the pipeline


_NO_SPACE_BEFORE = re.compile(r" ([.,;:!?%)\]}]|'s\b|n't\b|'')")
_NO_SPACE_AFTER = re.compile(r"([(\[{$]|``) ")


def detokenize(tokens: Sequence[str]) -> str:
    """Running text from tokens: spaces between them, none before closing punctuation.

    >>> detokenize(["Mali", "'s", "army", "(", "FAMa", ")", "left", "."])
    "Mali's army (FAMa) left."
    """
    text = " ".join(tokens)
    return _NO_SPACE_AFTER.sub(r"\1", _NO_SPACE_BEFORE.sub(r"\1", text))


def articles_from_conll(path: Path, sentences_per_article: int = 20) -> list[str]:
    """Raw articles from an IOB2 file: one paragraph per sentence, twenty to an article."""
    from sahel_corpus.baselines.data import read_conll

    sentences = [detokenize(s.tokens) for s in read_conll(path, 0, repair=True)]
    return [
        "\n\n".join(sentences[i : i + sentences_per_article]) + "\n"
        for i in range(0, len(sentences), sentences_per_article)
    ]


#: The pipeline's steps and the functions whose cumulative time is each step's.
STAGES: dict[str, tuple[str, ...]] = {
    "zones, sentences, tokens": ("propose_zones", "propose_sentences", "token_offsets"),
    "mentions (NER)": ("mention_spans", "_mentions"),
    "relations": ("_relations",),
    "stances": ("_stances",),
    "events (triggers, realis, arguments)": ("_events",),
    "annotation file": ("document_to_dict",),
}


def _time_pipeline(texts_file: Path, profile: bool) -> dict[str, Any]:
    """One run in this (fresh) process: train on the corpus (not timed), then extract every
    text as ``sahel-corpus extract`` does (models frozen, texts extracted together in
    blocks, an annotation file's dictionary for each)."""
    from sahel_corpus.baselines.extract import EXTRACT_TOGETHER
    from sahel_corpus.baselines.pipeline import Extractor, freeze_for_extraction
    from sahel_corpus.model import document_to_dict
    from sahel_corpus.sources import read_documents
    from sahel_corpus.tokenize import word_count

    texts = json.loads(texts_file.read_text(encoding="utf-8"))
    extractor = Extractor.train(read_documents(HERE.parent / "corpus"))
    freeze_for_extraction()
    words = sum(word_count(t) for t in texts)
    items = [(text, f"d{i}") for i, text in enumerate(texts)]

    def extract_all() -> None:
        for at in range(0, len(items), EXTRACT_TOGETHER):
            for doc in extractor.extract_documents(items[at : at + EXTRACT_TOGETHER]):
                document_to_dict(doc)

    if not profile:
        start = time.perf_counter()
        extract_all()
        return {"words": words, "seconds": time.perf_counter() - start}
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    extract_all()
    profiler.disable()
    spent = dict.fromkeys(STAGES, 0.0)
    for (_, _, function), (_, _, _, cumulative, _) in pstats.Stats(profiler).stats.items():  # type: ignore[attr-defined]
        for stage, names in STAGES.items():
            if function in names:
                spent[stage] += cumulative
    return {"words": words, "stages": {k: round(v, 4) for k, v in spent.items()}}


def _pipeline(args: argparse.Namespace) -> dict[str, Any]:
    texts = articles_from_conll(args.text)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "texts.json"
        path.write_text(json.dumps(texts), encoding="utf-8")
        runs = fresh_runs(["time-pipeline", str(path)], args.repeats)
        [profiled] = fresh_runs(["time-pipeline", str(path), "--profile"], 1)
    words = runs[0]["words"]
    result = {
        "command": f"python benchmarks/peer.py pipeline --text {args.text.name}",
        "machine": _machine(),
        "text": args.name,
        "articles": len(texts),
        "words": words,
        "words_per_second": rate(words, runs),
        "stages": profiled["stages"],
    }
    return _save(args.out, "pipeline", None, result)


# --------------------------------------------------------------------------- commands


def _machine() -> str:
    from importlib.metadata import version

    return (
        f"{os.cpu_count()} cores, Python {platform.python_version()}, spaCy {version('spacy')}, "
        f"sklearn-crfsuite {version('sklearn-crfsuite')}, one thread"
    )


def _save(out: Path, key: str, name: str | None, result: dict[str, Any]) -> dict[str, Any]:
    path = out / "peer.json"
    data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    if name is None:
        data[key] = result
    else:
        data.setdefault(key, {})[name] = result
    report.save_json(path, data)
    if (out / "README.md").is_file():
        report.update(out)
    if out == HERE:
        report.update_root(out)
    return data


def _dataset(args: argparse.Namespace) -> dict[str, Any]:
    from sahel_corpus.baselines.data import TRAIN_ONLY, read_conll

    train = read_conll(args.train, TRAIN_ONLY, args.repair_iob2)
    dev = read_conll(args.dev, TRAIN_ONLY, args.repair_iob2)
    test = read_conll(args.test, 0, args.repair_iob2)
    with tempfile.TemporaryDirectory() as tmp:
        result = compare(
            train, dev, test, Path(tmp), args.seed, args.max_steps, args.patience, args.repeats
        )
    result.pop("_counts")
    files = " ".join(f"--{k} {Path(getattr(args, k)).name}" for k in ("train", "dev", "test"))
    repair = " --repair-iob2" if args.repair_iob2 else ""
    result = {
        "command": f"python benchmarks/peer.py dataset {args.name} {files}{repair}",
        "source": args.source,
        "machine": _machine(),
        **result,
    }
    return _save(args.out, "datasets", args.name, result)


def _corpus(args: argparse.Namespace) -> dict[str, Any]:
    """Five-fold cross-validation over the corpus's sentences, predictions pooled."""
    from sahel_corpus.baselines.data import tagged_sentences
    from sahel_corpus.sources import read_documents

    sentences = tagged_sentences(read_documents(HERE.parent / "corpus"))
    pooled: dict[str, list[tuple[int, int, int]]] = {}
    per_fold = []
    for k in sorted({s.fold for s in sentences}):
        train = [s for s in sentences if s.fold != k]
        test = [s for s in sentences if s.fold == k]
        rng = random.Random(args.seed + k)
        dev_ids = set(rng.sample(range(len(train)), max(1, len(train) // 10)))
        spacy_train = [s for i, s in enumerate(train) if i not in dev_ids]
        spacy_dev = [s for i, s in enumerate(train) if i in dev_ids]
        with tempfile.TemporaryDirectory() as tmp:
            result = compare(
                train,
                spacy_dev,
                test,
                Path(tmp),
                args.seed,
                args.max_steps,
                args.patience,
                repeats=0,
                spacy_train=spacy_train,
            )
        per_fold.append(result)
        for name, counts in result.pop("_counts").items():
            pooled.setdefault(name, []).extend(counts)
    f1 = {name: round(f1_of(c), 4) for name, c in pooled.items()}
    out = {
        "command": "python benchmarks/peer.py corpus",
        "machine": _machine(),
        "sentences": len(sentences),
        "folds": len(per_fold),
        "test_entities": sum(c[2] for c in pooled["crf"]),
        "f1": f1,
        "spacy_steps": [r["spacy"]["steps"] for r in per_fold],
        "verdict": verdict(f1),
    }
    return _save(args.out, "corpus", None, out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("dataset", "corpus"):
        p = sub.add_parser(name)
        p.add_argument("--seed", type=int, default=0)
        p.add_argument("--max-steps", type=int, default=20000)
        p.add_argument("--patience", type=int, default=1600)
        p.add_argument("--out", type=Path, default=HERE)
        if name == "dataset":
            p.add_argument("name")
            for split in ("train", "dev", "test"):
                p.add_argument(f"--{split}", type=Path, required=True)
            p.add_argument("--source", required=True, help="where the data come from (cited)")
            p.add_argument("--repeats", type=int, default=5)
            p.add_argument("--repair-iob2", action="store_true")
    p = sub.add_parser("pipeline")
    p.add_argument("--text", type=Path, required=True, help="an IOB2 file whose words are the text")
    p.add_argument("--name", required=True, help="what the text is (cited)")
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--out", type=Path, default=HERE)
    p = sub.add_parser("render")
    p.add_argument("--out", type=Path, default=HERE)
    p = sub.add_parser("time-tagger")  # internal: one timed run in a fresh process
    p.add_argument("kind", choices=("crf", "textbook-crf", "spacy"))
    p.add_argument("folder", type=Path)
    p = sub.add_parser("time-pipeline")  # internal
    p.add_argument("texts", type=Path)
    p.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)

    if args.command == "time-tagger":
        print(json.dumps(_time_tagger(args.kind, args.folder)))
        return 0
    if args.command == "time-pipeline":
        print(json.dumps(_time_pipeline(args.texts, args.profile)))
        return 0
    if args.command == "render":
        report.update(args.out)
        if args.out.resolve() == HERE:
            report.update_root(args.out)
        return 0
    if args.command == "dataset":
        _dataset(args)
        section = "peer-datasets"
    elif args.command == "corpus":
        _corpus(args)
        section = "peer-corpus"
    else:
        _pipeline(args)
        section = "pipeline"
    print(report.render_sections(args.out)[section])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
