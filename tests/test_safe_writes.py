"""Writes that cannot damage a file: fault injection into the write helper, the build and Ctrl-C."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import sahel_corpus.build as build_module
import sahel_corpus.fileio as fileio
from _paths import CORPUS, DOC_ID
from sahel_corpus.cli import main
from sahel_corpus.fileio import atomic_output, write_atomic
from sahel_corpus.integrity import verify_corpus
from sahel_corpus.loaders import load_config

FAULTS = [
    OSError(errno.ENOSPC, "No space left on device"),
    PermissionError(errno.EACCES, "Permission denied"),
    KeyboardInterrupt(),
]


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: type(f).__name__)
@pytest.mark.parametrize("where", ["write", "flush", "replace"])
def test_a_failed_write_leaves_the_target_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: BaseException, where: str
) -> None:
    target = tmp_path / "gold.json"
    target.write_text('{"hours": "of annotation"}\n', encoding="utf-8")
    if where == "replace":
        monkeypatch.setattr(fileio.os, "replace", _raiser(fault))
    elif where == "flush":
        monkeypatch.setattr(fileio.os, "fsync", _raiser(fault))

    with pytest.raises(type(fault)), atomic_output(target) as handle:
        handle.write('{"half": ')
        if where == "write":
            raise fault
    assert target.read_text(encoding="utf-8") == '{"hours": "of annotation"}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["gold.json"]  # no temporary file left


def _raiser(fault: BaseException) -> object:
    def fail(*args: object, **kwargs: object) -> None:
        raise fault

    return fail


def test_write_atomic_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert target.stat().st_mode & 0o777 == 0o640
    fresh = write_atomic(tmp_path / "b.bin", b"\x00\x01")
    umask = os.umask(0)
    os.umask(umask)
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~umask


@pytest.fixture
def built(tmp_path: Path) -> Path:
    dest = tmp_path / "corpus"
    for part in ("sources", "data"):
        shutil.copytree(CORPUS / part, dest / part)
    shutil.copy(CORPUS / "README.md", dest / "README.md")
    return dest


def _change_a_source(corpus: Path) -> None:
    """A change that rewrites two data files and the card."""
    path = corpus / "sources" / "documents" / f"{DOC_ID}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["document"]["title"] += " (revised)"  # the documents config and the card
    nom = next(m for m in data["mentions"] if m["level"] == "NOM")
    nom["level"] = "PRO"  # the mentions config
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


@pytest.mark.parametrize("fail_at", [1, 2, 3])
def test_a_build_that_fails_part_way_leaves_the_previous_build(
    built: Path, monkeypatch: pytest.MonkeyPatch, hf_cache: Path, fail_at: int
) -> None:
    before = {k: v for k, v in _files(built).items() if not k.startswith("sources")}
    _change_a_source(built)
    calls = []

    def failing(path: Path, data: bytes | str, *, mkdir: bool = False) -> Path:
        calls.append(path)
        if len(calls) == fail_at:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return write_atomic(path, data, mkdir=mkdir)

    monkeypatch.setattr(build_module, "write_atomic", failing)
    with pytest.raises(OSError):
        build_module.build_corpus(built)
    after = {k: v for k, v in _files(built).items() if not k.startswith("sources")}
    assert after == before  # the new data files were removed again; card and old files intact
    assert verify_corpus(built) == []
    assert load_config("ner", built)["train"].num_rows > 0
    monkeypatch.undo()
    assert build_module.build_corpus(built).written  # the same build then succeeds


def test_ctrl_c_says_what_was_written_and_leaves_the_rest(
    built: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _files(built)
    _change_a_source(built)
    calls = []

    def interrupted(path: Path, data: bytes | str, *, mkdir: bool = False) -> Path:
        calls.append(path)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return write_atomic(path, data, mkdir=mkdir)

    monkeypatch.setattr(build_module, "write_atomic", interrupted)
    assert main(["build", "--corpus", str(built)]) == 130
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("interrupted: 2 file(s) were written completely")
    assert "Traceback" not in capsys.readouterr().err
    after = _files(built)
    changed = {k for k in after if after[k] != before.get(k)}
    assert changed == {f"sources/documents/{DOC_ID}.json"}  # the new data files were removed


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    a = CORPUS / "sources" / "passes" / f"{DOC_ID}.a.json"
    b = CORPUS / "sources" / "passes" / f"{DOC_ID}.b.json"
    exe = Path(sys.executable).with_name("sahel-corpus")
    proc = subprocess.Popen(
        [str(exe), "agree", str(a), str(b)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # what `| head -1` does
    err = proc.stderr.read().decode()
    assert proc.wait() == 0
    assert err == ""


# -- outputs that would replace annotation --------------------------------------------------


def test_show_never_writes_over_its_input_or_a_file_that_is_not_a_page(
    corpus_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = corpus_copy / "sources" / "documents" / f"{DOC_ID}.json"
    mine = tmp_path / "notes.html"
    mine.write_text("my notes", encoding="utf-8")
    before = {p: p.read_bytes() for p in (doc, mine)}
    assert main(["show", str(doc), "-o", str(doc)]) == 1
    assert "error [output-is-input]" in capsys.readouterr().err
    assert main(["show", str(doc), "-o", str(mine)]) == 1
    assert "error [output-exists]" in capsys.readouterr().err
    assert main(["show", str(doc), "-o", str(doc.with_suffix(".html"))]) == 1
    assert "error [output-in-sources]" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in before} == before
    page = tmp_path / "page.html"
    assert main(["show", str(doc), "-o", str(page)]) == 0
    assert main(["show", str(doc), "-o", str(page), "--select", "ev1"]) == 0  # its own page


def test_export_replaces_no_file_without_overwrite_and_never_writes_into_a_corpus(
    corpus_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    documents = corpus_copy / "sources" / "documents"
    doc = documents / f"{DOC_ID}.json"
    before = _files(documents)
    argv = ["export", str(doc), "--format", "labelstudio", "-o"]
    assert main([*argv, str(documents)]) == 1
    assert "error [output-in-sources]" in capsys.readouterr().err
    assert _files(documents) == before
    out = tmp_path / "work"
    out.mkdir()
    (out / f"{DOC_ID}.ann").write_text("T1\tORG 0 2\tUN\n", encoding="utf-8")
    brat = ["export", str(doc), "--format", "brat", "-o", str(out)]
    assert main(brat) == 1
    assert "error [output-exists]" in capsys.readouterr().err
    assert (out / f"{DOC_ID}.ann").read_text(encoding="utf-8") == "T1\tORG 0 2\tUN\n"
    assert not list(out.glob(".export-*"))  # the temporary folder is gone
    assert main([*brat, "--overwrite"]) == 0
    assert (out / f"{DOC_ID}.ann").read_text(encoding="utf-8").startswith("T1\tZone-")


def test_extract_writes_into_no_corpus_whichever_corpus_it_trains_on(
    corpus_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = tmp_path / "a.txt"
    text.write_text("Wagner left Ber.\n", encoding="utf-8")
    for target in (corpus_copy / "sources" / "documents", corpus_copy, corpus_copy / "data"):
        assert main(["extract", str(text), "-o", str(target), "--corpus", str(CORPUS)]) == 1
        assert "error [output-in-sources]" in capsys.readouterr().err
    assert not (corpus_copy / "sources" / "documents" / "a.json").exists()
