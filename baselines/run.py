"""One baseline run, from a typed configuration to results on disk.

:class:`BaselineConfig` says what to run (the task, the data, the folds, the
seed) and :func:`run_baselines` runs it: on the corpus's own folds, on a pair
of IOB2 files, on one IOB2 file dealt into folds, or on a Hugging Face
token-classification dataset. :func:`write_results` writes the metrics and
the results table next to the per-fold predictions.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sahel_corpus.errors import DataError, UsageError
from sahel_corpus.fileio import write_atomic

from .data import (
    TRAIN_ONLY,
    TaggedSentence,
    assign_random_folds,
    load_corpus_documents,
    load_hf_token_dataset,
    read_conll,
    tagged_sentences,
)
from .evaluate import render_results, run_events, run_ner, run_relations, run_stance

__all__ = ["TASKS", "BaselineConfig", "run_baselines", "write_results"]

#: The tasks ``baselines`` runs; ``all`` runs each.
TASKS: tuple[str, ...] = ("ner", "re", "stance", "events")


@dataclass(frozen=True, slots=True)
class BaselineConfig:
    """What a baseline run uses.

    ``dataset`` is a built dataset folder in this corpus's configs; ``train``
    and ``test`` a pair of IOB2 files; ``conll`` one IOB2 file dealt into
    ``folds`` folds; ``hf_dataset`` a token-classification dataset. Only one
    source is used, in that order of precedence from the last.
    """

    task: str = "all"
    dataset: Path = Path("corpus")
    folds: int | None = None
    seed: int = 0
    output: Path | None = Path("baselines-output")
    train: Path | None = None
    test: Path | None = None
    conll: Path | None = None
    hf_dataset: str | None = None
    hf_config: str | None = None
    repair_iob2: bool = False

    @property
    def tasks(self) -> list[str]:
        return list(TASKS) if self.task == "all" else [self.task]

    @property
    def external(self) -> bool:
        return bool(self.train or self.test or self.conll or self.hf_dataset)

    def check(self) -> None:
        """Raise :class:`~sahel_corpus.errors.UsageError` for options that do not fit."""
        if self.task not in (*TASKS, "all"):
            raise UsageError(
                f"got task {self.task!r}, expected one of {', '.join(TASKS)} or all", code="task"
            )
        if self.external and self.tasks != ["ner"]:
            raise UsageError(
                f"got task {self.task!r} with --train/--test/--conll/--hf-dataset, expected task "
                "'ner' (external data carry entity tags only)",
                code="external-task",
            )
        if bool(self.train) != bool(self.test):
            given = f"--train {self.train}" if self.train else f"--test {self.test}"
            raise UsageError(
                f"got {given} alone, expected both --train and --test (an IOB2 file pair)",
                code="train-test-pair",
            )
        if self.folds is not None and self.folds < 2:
            raise UsageError(
                f"--folds: got {self.folds}, expected 2 or more (one fold to test, the others "
                "to train on)",
                code="folds",
            )


def run_baselines(
    config: BaselineConfig, progress: Callable[[str], object] | None = None
) -> dict[str, Any]:
    """Run the baselines ``config`` asks for; return results per task.

    ``progress``, if given, is called with each task's name when it is done.
    """
    config.check()
    tick = progress or (lambda task: None)
    out = config.output
    external = _external_sentences(config)
    if external is not None:
        ner = run_ner(external, out, None, config.seed)
        tick("ner")
        return {"ner": ner}
    docs, folds = load_corpus_documents(config.dataset)
    sentences = tagged_sentences(docs, folds)
    results: dict[str, Any] = {}
    if "ner" in config.tasks:
        results["ner"] = run_ner(sentences, out, config.folds, config.seed)
        tick("ner")
    if "re" in config.tasks:
        results["re"] = run_relations(docs, folds, sentences, out, config.folds, config.seed)
        tick("re")
    if "stance" in config.tasks:
        results["stance"] = run_stance(docs, folds, out, config.folds, config.seed)
        tick("stance")
    if "events" in config.tasks:
        results |= run_events(docs, folds, sentences, out, config.folds, config.seed)
        tick("events")
    return results


def _external_sentences(config: BaselineConfig) -> list[TaggedSentence] | None:
    """The tagged sentences of the external data ``config`` names (None for the corpus)."""
    if config.train and config.test:
        return read_conll(config.train, TRAIN_ONLY, config.repair_iob2) + read_conll(
            config.test, 0, config.repair_iob2
        )
    if config.conll:
        sentences = read_conll(config.conll, 0, config.repair_iob2)
        k = config.folds or 5
        if k > len(sentences):
            raise DataError(
                f"{config.conll}: got {len(sentences)} sentence(s) for {k} folds, expected at "
                "least one sentence per fold (pass a smaller --folds)",
                code="folds",
            )
        dealt = assign_random_folds(len(sentences), k, config.seed)
        return [replace(s, fold=f) for s, f in zip(sentences, dealt, strict=True)]
    if config.hf_dataset:
        return load_hf_token_dataset(
            config.hf_dataset, config.hf_config, config.folds or 5, config.seed
        )
    return None


def write_results(results: dict[str, Any], output: Path) -> str:
    """Write ``metrics.json`` and ``results.md`` into ``output``; return the table."""
    table = render_results(results)
    write_atomic(output / "metrics.json", json.dumps(results, indent=2) + "\n", mkdir=True)
    write_atomic(output / "results.md", table + "\n")
    return table
