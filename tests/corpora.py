"""Synthetic corpora for tests: several valid documents made from the validator's mini fixture.

Each document is the mini document with its names substituted (so the texts
differ) and its own id, written as ``<id>.txt`` and ``<id>.json`` in a
corpus's ``sources/documents`` folder. The corpus has the card of the real
one (for its baselines section), and nothing is built.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path
from types import ModuleType
from typing import Any

from _paths import CORPUS, FIXTURES

#: Names of the mini document and the names that replace them, document by document.
NAMES = {
    "Wagner": ["Wagner", "Redut", "Sadat", "Vega", "Convoy", "Patriot", "Rusich", "Espanola"],
    "Ber": ["Ber", "Gao", "Kidal", "Menaka", "Tessalit", "Anefis", "Aguelhok", "Lere"],
    "CMA": ["CMA", "CSP", "HCUA", "MNLA", "GATIA", "MSA", "FLA", "MAA"],
}


def _fixtures() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def synthetic_document(k: int) -> tuple[str, dict[str, Any], str]:
    """Document ``k``: its id, its annotation file's dictionary and its text."""
    fixtures = _fixtures()

    def edit(text: str) -> str:
        for name, pool in NAMES.items():
            text = text.replace(name, pool[k % len(pool)])
        return text

    doc_id = f"syn_{k:03d}"
    data = fixtures.valid(edit)
    text = edit(fixtures.TEXT)
    data["document"].update(id=doc_id, text_file=f"{doc_id}.txt")
    return doc_id, data, text


def synthetic_corpus(dest: Path, n: int) -> Path:
    """A corpus folder with ``n`` synthetic documents (sources and card only); return it."""
    documents = dest / "sources" / "documents"
    documents.mkdir(parents=True)
    (dest / "sources" / "passes").mkdir()
    shutil.copy(CORPUS / "README.md", dest / "README.md")
    for k in range(n):
        doc_id, data, text = synthetic_document(k)
        (documents / f"{doc_id}.txt").write_text(text, encoding="utf-8", newline="\n")
        (documents / f"{doc_id}.json").write_text(
            json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    return dest
