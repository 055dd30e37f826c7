from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from _paths import CORPUS


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A copy of the corpus sources and card (no data files) in a temporary folder.

    The card comes along because it carries the baselines table, which the
    build keeps and `sahel-corpus baselines --update-docs` writes.
    """
    dest = tmp_path / "corpus"
    shutil.copytree(CORPUS / "sources", dest / "sources")
    shutil.copy(CORPUS / "README.md", dest / "README.md")
    return dest


@pytest.fixture
def hf_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, private datasets cache, offline."""
    cache = tmp_path / "hf-cache"
    monkeypatch.setenv("HF_HOME", str(cache))
    monkeypatch.setenv("HF_DATASETS_CACHE", str(cache / "datasets"))
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    return cache / "datasets"
