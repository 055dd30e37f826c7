"""The README: its two commands, its CI link and its example output."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from _paths import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def _blocks() -> list[tuple[str, str]]:
    return re.findall(r"```(\w+)\n(.*?)```", README, flags=re.S)


def test_readme_opens_with_two_setup_commands() -> None:
    lang, body = _blocks()[0]
    assert lang == "bash"
    main_job, tests = body.strip().splitlines()
    assert main_job.endswith("sahel-corpus all")
    assert tests.endswith("python -m pytest")
    assert README.startswith("# sahel-corpus\n\n```bash\n")


def test_ci_runs_the_readme_test_command() -> None:
    test_command = _blocks()[0][1].strip().splitlines()[1]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci.splitlines()


def test_readme_example_prints_what_it_shows(hf_cache: Path) -> None:
    after = README.split("<!-- readme-example -->", 1)[1]
    (_, code), (_, expected) = re.findall(r"```(\w+)\n(.*?)```", after, flags=re.S)[:2]
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert out.stdout == expected


def test_readme_links_exist() -> None:
    for target in re.findall(r"\]\(([^)#]+)\)", README):
        assert (REPO / target).exists(), target


def test_readme_conll_example_loads_the_export(tmp_path: Path, hf_cache: Path) -> None:
    """The CoNLL export, loaded with the datasets library's own conll builder as shown."""
    from sahel_corpus.cli import main

    after = README.split("<!-- conll-example -->", 1)[1]
    (_, code), (_, expected) = re.findall(r"```(\w+)\n(.*?)```", after, flags=re.S)[:2]
    document = REPO / "corpus" / "sources" / "documents" / "000_b8e6d3e9cdabb873.json"
    assert main(["export", str(document), "--format", "conll", "-o", str(tmp_path)]) == 0
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert out.stdout == expected
