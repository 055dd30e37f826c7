"""The real annotation tools in the loop: a Label Studio server, spaCy's own trainer.

Marked ``real_tools``. Label Studio runs from its own virtual environment
(``.venv-tools``, which ``.ci/run`` creates with ``.ci/tools-constraints.txt``;
or ``$SAHEL_TOOLS_VENV``): a server on 127.0.0.1 with SQLite in a temporary
folder, stopped at the end. Without the tools the tests are skipped and say
why, unless ``SAHEL_REAL_TOOLS=required`` (as in CI), which makes a missing
tool a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from labelstudio_page import as_the_page_saves
from real_tools.labelstudio_server import Server, label_studio, tools_venv

from _paths import CORPUS, DOC_ID, FIXTURES
from sahel_corpus.agreement import agreement
from sahel_corpus.cli import main
from sahel_corpus.sources import read_document

pytestmark = pytest.mark.real_tools

REQUIRED = os.environ.get("SAHEL_REAL_TOOLS") == "required"
CLIENT = Path(__file__).parent / "real_tools" / "ls_client.py"
GOLD = CORPUS / "sources" / "documents" / f"{DOC_ID}.json"
MINI = FIXTURES / "valid" / "mini.json"
RECORDED = Path(__file__).parent / "fixtures" / "labelstudio"


def _missing(what: str, how: str) -> None:
    if REQUIRED:
        pytest.fail(f"SAHEL_REAL_TOOLS=required, but {what} is missing: {how}")
    pytest.skip(f"{what} is not installed ({how}; see the README's real-tools section)")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    venv = tools_venv()
    if venv is None:
        _missing("Label Studio", "create .venv-tools as .ci/run does, or set SAHEL_TOOLS_VENV")
        raise AssertionError  # unreachable: _missing fails or skips
    with label_studio(venv, tmp_path_factory.mktemp("label-studio")) as running:
        yield running, venv


def _client(server: tuple[Server, Path], *args: str | Path) -> str:
    running, venv = server
    done = subprocess.run(
        [str(venv / "bin" / "python"), str(CLIENT), running.base, running.token, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _work_copy(source: Path, dest: Path) -> Path:
    """The document and its text in ``dest/sources/documents`` (passes go beside it)."""
    documents = dest / "sources" / "documents"
    documents.mkdir(parents=True)
    doc = read_document(source)
    shutil.copy(source, documents / f"{doc.id}.json")
    shutil.copy(source.parent / doc.meta.text_file, documents / doc.meta.text_file)
    data = json.loads((documents / f"{doc.id}.json").read_text(encoding="utf-8"))
    data["document"]["text_file"] = doc.meta.text_file
    (documents / f"{doc.id}.json").write_text(
        json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return documents / f"{doc.id}.json"


def _project(server: tuple[Server, Path], document: Path, out: Path, title: str) -> tuple[int, int]:
    """Export ``document`` for Label Studio and create a project with it; (project, task) ids."""
    assert main(["export", str(document), "--format", "labelstudio", "-o", str(out)]) == 0
    project = int(_client(server, "create-project", out / "label-config.xml", title))
    [task] = json.loads(_client(server, "import", project, out / f"{document.stem}.json"))
    return project, task


def _export(server: tuple[Server, Path], project: int, path: Path) -> list[dict[str, Any]]:
    _client(server, "export", project, path)
    tasks: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return tasks


def _import_unchanged(source: Path, into: Path, capsys: pytest.CaptureFixture[str]) -> None:
    kept = into.with_name(f"{into.stem}.before.json")  # a pass-style name the reader accepts
    shutil.copy(into, kept)
    capsys.readouterr()
    assert main(["import", str(source), "--format", "labelstudio", "--into", str(into)]) == 0
    assert "(no change)" in capsys.readouterr().out
    assert into.read_bytes() == kept.read_bytes()
    assert main(["diff", str(kept), str(into)]) == 0
    assert capsys.readouterr().out == "0 change(s)\n"
    kept.unlink()


def test_a_server_export_imports_back_unchanged(
    server: tuple[Server, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gold = _work_copy(GOLD, tmp_path)
    project, _ = _project(server, gold, tmp_path / "export", "gold as exported")
    [task] = _export(server, project, tmp_path / "server-export.json")
    assert len(task["annotations"][0]["result"]) > 400
    _import_unchanged(tmp_path / "server-export.json", gold, capsys)


def test_an_update_on_the_labeling_page_loses_nothing(
    server: tuple[Server, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The gold document saved as the page saves it: relation meta gone, one region's meta
    edited in the meta editor. The import still gives back every annotation."""
    gold = _work_copy(GOLD, tmp_path)
    project, task_id = _project(server, gold, tmp_path / "export", "gold saved on the page")
    [exported] = json.loads((tmp_path / "export" / f"{DOC_ID}.json").read_text(encoding="utf-8"))
    first_mention = read_document(gold).mentions[0].id
    body = as_the_page_saves(exported, first_mention)["annotations"][0]
    (tmp_path / "body.json").write_text(json.dumps(body), encoding="utf-8")
    _client(server, "save", task_id, tmp_path / "body.json")
    [task] = _export(server, project, tmp_path / "server-export.json")
    results = task["annotations"][0]["result"]
    assert not any("meta" in r for r in results if r["type"] == "relation")
    assert any(len(r.get("meta", {}).get("text", [])) == 1 and "," in r["meta"]["text"][0]
               for r in results if r.get("id") == first_mention)  # fmt: skip
    _import_unchanged(tmp_path / "server-export.json", gold, capsys)


def test_the_recorded_page_save_imports_back_unchanged(
    server: tuple[Server, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The body the labeling page sent in Chromium (recorded with record_page_save.py)."""
    mini = _work_copy(MINI, tmp_path)
    project, task_id = _project(server, mini, tmp_path / "export", "recorded page save")
    [exported] = json.loads((tmp_path / "export" / "mini.json").read_text(encoding="utf-8"))
    recorded_on = json.loads((RECORDED / "exported-task.json").read_text(encoding="utf-8"))[0]
    assert exported == recorded_on, "the export changed: record the page save again"
    _client(server, "save", task_id, RECORDED / "page-save.json")
    _export(server, project, tmp_path / "server-export.json")
    _import_unchanged(tmp_path / "server-export.json", mini, capsys)


def test_two_annotations_of_a_task_import_as_passes(
    server: tuple[Server, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mini = _work_copy(MINI, tmp_path)
    project, task_id = _project(server, mini, tmp_path / "export", "two annotators")
    [exported] = json.loads((tmp_path / "export" / "mini.json").read_text(encoding="utf-8"))
    results = exported["annotations"][0]["result"]
    dropped = [r for r in results if r["type"] == "labels" and r["from_name"] == "entity"][-1]
    second = {"result": [r for r in results if r.get("id") != dropped["id"]]}
    (tmp_path / "second.json").write_text(json.dumps(second), encoding="utf-8")
    _client(server, "annotate", task_id, tmp_path / "second.json")
    [task] = _export(server, project, tmp_path / "server-export.json")
    assert len(task["annotations"]) == 2
    before = mini.read_bytes()
    argv = ["import", str(tmp_path / "server-export.json"), "--format", "labelstudio"]
    assert main([*argv, "--into", str(mini.parent)]) == 0
    assert mini.read_bytes() == before
    passes = sorted((tmp_path / "sources" / "passes").iterdir())
    # the server's export names the annotator by user id; one user's second annotation gets -2
    assert [p.name for p in passes] == ["mini.user1-2.json", "mini.user1.json"]
    first, other = read_document(passes[1]), read_document(passes[0])
    assert (first.mentions, first.relations) == (
        read_document(mini).mentions,
        read_document(mini).relations,
    )
    assert agreement(first, other)["mentions"]["all"]["b"] == len(first.mentions) - 1


# --------------------------------------------------------------------------- spaCy


@pytest.fixture(scope="module")
def docbin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    try:
        import spacy  # noqa: F401
    except ImportError:
        _missing("spaCy", "pip install 'sahel-corpus[bench]'")
    out = tmp_path_factory.mktemp("docbin")
    assert main(["export", str(GOLD), "--format", "docbin", "-o", str(out)]) == 0
    config = out / "ner.cfg"
    _spacy("init", "config", "--lang", "en", "--pipeline", "ner", str(config))
    return out


def _spacy(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "spacy", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "ANSI_COLORS_DISABLED": "1", "NO_COLOR": "1"},
    )


def test_spacy_debug_data_finds_no_misaligned_token(docbin: Path) -> None:
    data = str(docbin / f"{DOC_ID}.spacy")
    done = _spacy(
        "debug", "data", str(docbin / "ner.cfg"), "--paths.train", data, "--paths.dev", data
    )
    report = done.stdout + done.stderr
    assert "Corpus is loadable" in report, report
    assert "misaligned" not in report, report
    assert "No entities crossing sentence boundaries" in report, report
    # its one error is about size: a single document is too few to train a pipeline
    errors = [line for line in report.splitlines() if line.startswith("✘")]
    assert errors == ["✘ Low number of examples to train a new pipeline (1)", "✘ 1 error"], report


def test_spacy_trains_one_epoch_on_the_export(docbin: Path, tmp_path: Path) -> None:
    data = str(docbin / f"{DOC_ID}.spacy")
    done = _spacy(
        "train",
        str(docbin / "ner.cfg"),
        "--paths.train",
        data,
        "--paths.dev",
        data,
        "--training.max_epochs",
        "1",
        "--output",
        str(tmp_path / "model"),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "model" / "model-last" / "ner").is_dir()
