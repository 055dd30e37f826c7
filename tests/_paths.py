"""Paths the tests share (imported by name, so it must stay unique across test folders)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
FIXTURES = Path(__file__).parent / "fixtures"
DOC_ID = "000_b8e6d3e9cdabb873"


def all_splits(dataset_dict: Any) -> Any:
    """Every row of a loaded config, its splits concatenated (train, validation, test)."""
    import datasets

    return datasets.concatenate_datasets(list(dataset_dict.values()))
