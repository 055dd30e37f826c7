from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sahel_corpus.baselines.pipeline import Extractor
from sahel_corpus.model import Document
from sahel_corpus.sources import read_documents

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="session")
def gold() -> Document:
    return read_documents(CORPUS)[0]


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor.train(read_documents(CORPUS))


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "corpus"
    shutil.copytree(CORPUS / "sources", dest / "sources")
    shutil.copy(CORPUS / "README.md", dest / "README.md")
    shutil.copy(CORPUS / "LICENSE.md", dest / "LICENSE.md")
    shutil.copytree(CORPUS / "data", dest / "data")
    return dest
