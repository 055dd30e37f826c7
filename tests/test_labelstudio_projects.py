"""Label Studio project exports: many tasks into many documents, many annotators into passes."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from corpora import synthetic_corpus
from sahel_corpus.agreement import agreement
from sahel_corpus.cli import main
from sahel_corpus.formats.labelstudio import export_document
from sahel_corpus.sources import read_document
from sahel_corpus.validate import validate_file


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return synthetic_corpus(tmp_path / "corpus", 3)


def _documents(corpus: Path) -> Path:
    return corpus / "sources" / "documents"


def _project_export(corpus: Path) -> list[dict[str, Any]]:
    """What Label Studio's JSON export of a project holding the three documents looks like."""
    tasks = []
    for k, path in enumerate(sorted(_documents(corpus).glob("*.json"))):
        task = export_document(read_document(path))
        task["id"] = 100 + k
        task["annotations"][0]["completed_by"] = {"id": 1, "email": "ama@example.org"}
        tasks.append(task)
    return tasks


def _write(tasks: Any, path: Path) -> Path:
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return path


def _import(source: Path, into: Path, *extra: str) -> int:
    return main(["import", str(source), "--format", "labelstudio", "--into", str(into), *extra])


def test_a_project_export_imports_into_each_document_by_id(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    documents = _documents(corpus)
    before = {p.name: p.read_bytes() for p in documents.iterdir()}
    tasks = _project_export(corpus)
    assert _import(_write(tasks, tmp_path / "project.json"), documents) == 0
    out = capsys.readouterr().out
    assert out.count("(no change)") == 3
    assert {p.name: p.read_bytes() for p in documents.iterdir()} == before

    # an annotator removes one relation from the second document only
    removed = next(r for r in tasks[1]["annotations"][0]["result"] if r["type"] == "relation")
    tasks[1]["annotations"][0]["result"].remove(removed)
    assert _import(_write(tasks, tmp_path / "project.json"), documents) == 0
    # the arrow held three labels: two relations and a stance; every loss is said
    assert "valid; 3 change(s): relations -2; stances -1\n" in capsys.readouterr().out
    changed = [p.name for p in documents.iterdir() if p.read_bytes() != before[p.name]]
    assert changed == ["syn_001.json"]
    doc = read_document(documents / "syn_001.json")
    assert len(doc.relations) + sum(1 for s in doc.stances if not s.holder_is_author) == sum(
        len(r["labels"]) for r in tasks[1]["annotations"][0]["result"] if r["type"] == "relation"
    )
    assert validate_file(documents / "syn_001.json") == []


def test_a_project_export_needs_the_documents_folder(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    documents = _documents(corpus)
    tasks = _project_export(corpus)
    source = _write(tasks, tmp_path / "project.json")
    assert _import(source, documents / "syn_000.json") == 1
    assert "error [document-id]: " in capsys.readouterr().err
    tasks[2]["data"]["id"] = "syn_999"
    before = {p.name: p.read_bytes() for p in documents.iterdir()}
    assert _import(_write(tasks, source), documents) == 1
    err = capsys.readouterr().err
    assert err.startswith("error [") and "syn_999" in err
    assert {p.name: p.read_bytes() for p in documents.iterdir()} == before  # all or nothing


def _two_annotators(corpus: Path) -> list[dict[str, Any]]:
    """Document syn_000 annotated by two people; the second left out the last mention."""
    task = _project_export(corpus)[0]
    second = copy.deepcopy(task["annotations"][0])
    second["completed_by"] = {"id": 2, "email": "baba@example.org"}
    results = second["result"]
    last = [r for r in results if r["type"] == "labels" and r["from_name"] == "entity"][-1]
    assert not any(last["id"] in (r.get("from_id"), r.get("to_id")) for r in results)
    second["result"] = [r for r in results if r.get("id") != last["id"]]
    task["annotations"].append(second)
    skipped = {"completed_by": {"id": 3, "email": "chaka@example.org"}, "was_cancelled": True}
    task["annotations"].append({**skipped, "result": []})
    return [task]


def test_several_annotations_of_a_task_become_passes_that_agree_compares(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    documents, passes = _documents(corpus), corpus / "sources" / "passes"
    gold_before = (documents / "syn_000.json").read_bytes()
    source = _write(_two_annotators(corpus), tmp_path / "project.json")
    assert _import(source, documents) == 0
    out = capsys.readouterr().out
    assert out.count("as pass ") == 2
    assert (documents / "syn_000.json").read_bytes() == gold_before  # passes never touch gold
    assert sorted(p.name for p in passes.iterdir()) == ["syn_000.ama.json", "syn_000.baba.json"]
    a, b = passes / "syn_000.ama.json", passes / "syn_000.baba.json"
    assert validate_file(a) == [] and validate_file(b) == []
    assert read_document(a).meta.annotators == ("ama",)
    assert read_document(a).meta.text_file == "../documents/syn_000.txt"
    gold = read_document(documents / "syn_000.json")
    assert (read_document(a).mentions, read_document(a).relations) == (
        gold.mentions,
        gold.relations,
    )
    result = agreement(read_document(a), read_document(b))
    assert result["mentions"]["all"]["a"] == result["mentions"]["all"]["b"] + 1
    assert 0.9 < result["mentions"]["all"]["exact_f1"] < 1.0
    assert main(["agree", str(a), str(b)]) == 0
    assert "mentions" in capsys.readouterr().out

    # the same export again changes nothing; a changed one never overwrites a pass
    assert _import(source, documents) == 0
    assert capsys.readouterr().out.count("(no change)") == 2
    tasks = json.loads(source.read_text(encoding="utf-8"))
    tasks[0]["annotations"][1]["result"] = tasks[0]["annotations"][0]["result"]
    b_before = b.read_bytes()
    assert _import(_write(tasks, source), documents) == 1
    assert "error [output-exists]: " in capsys.readouterr().err
    assert b.read_bytes() == b_before


def test_passes_outside_a_corpus_need_a_folder(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    loose = tmp_path / "loose"
    loose.mkdir()
    for name in ("syn_000.json", "syn_000.txt"):
        (loose / name).write_bytes((_documents(corpus) / name).read_bytes())
    source = _write(_two_annotators(corpus), tmp_path / "project.json")
    assert _import(source, loose) == 2
    assert "error [passes]: " in capsys.readouterr().err
    assert _import(source, loose, "--passes", str(tmp_path / "p")) == 0
    assert sorted(p.name for p in (tmp_path / "p").iterdir()) == [
        "syn_000.ama.json",
        "syn_000.baba.json",
    ]
    assert (
        read_document(tmp_path / "p" / "syn_000.ama.json").text
        == read_document(loose / "syn_000.json").text
    )
