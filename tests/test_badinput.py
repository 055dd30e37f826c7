"""Every case of the bad-input catalogue (``badinput.py``) ends cleanly, in process.

A bad input must end in a clean error that names the file, a valid one must
be accepted, and no protected file may change unless writing it was the
command's job and the command succeeded. An uncaught exception fails the
test with its traceback.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from badinput import CASES, Case, Result, build_workspace, classify, digest
from sahel_corpus.cli import main


def run_cli(argv: list[str], cwd: Path) -> Result:
    out, err = io.StringIO(), io.StringIO()
    previous = Path.cwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code: int | None = main(argv)
            except SystemExit as exit_:  # argparse's usage errors
                code = int(exit_.code or 0)
    finally:
        os.chdir(previous)
    return Result(code, out.getvalue(), err.getvalue())


def run_api(snippet: str, cwd: Path) -> Result:
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err):
            exec(compile(snippet, "<case>", "exec"), {})
    except (OSError, ValueError) as exc:  # what a caller catches: the project's errors are these
        return Result(1, "", f"{type(exc).__name__}: {exc}")
    return Result(0, "", err.getvalue())


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield build_workspace(tmp_path_factory.mktemp("badinput") / "template", run_cli)


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


EXPECTED = {True: "accepted, valid", False: "clean error"}


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.group}: {c.name}")
def test_case_ends_cleanly(case: Case, template: Path, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(template, ws)
    run = case.make(ws)
    before = digest(run.protected)
    result = run_cli(run.argv, ws) if run.argv is not None else run_api(run.api or "", ws)
    outcome = classify(run, result, before)
    assert outcome == EXPECTED[run.valid], (outcome, result.stdout[-2000:], result.stderr[-2000:])
    if outcome == "clean error":
        assert result.stderr.strip() or result.stdout.strip(), "an error says what went wrong"
    sys.stdout.flush()
