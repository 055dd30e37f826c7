"""Packaging: one namespace, `sahel_corpus`, in editable installs and in built wheels."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import sahel_corpus
import sahel_corpus.baselines
import sahel_corpus.loaders
from _paths import REPO


def test_subpackages_import_under_one_namespace() -> None:
    assert sahel_corpus.loaders.__name__ == "sahel_corpus.loaders"
    assert sahel_corpus.baselines.__name__ == "sahel_corpus.baselines"


def test_editable_install_maps_the_top_level_folders() -> None:
    loaders_file = Path(sahel_corpus.loaders.__file__ or "").resolve()
    if REPO not in loaders_file.parents:
        pytest.skip("package installed from a wheel, not editable")
    assert loaders_file == REPO / "loaders" / "__init__.py"


@pytest.mark.slow
def test_wheel_installs_only_the_namespace(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "-w",
            str(tmp_path),
            str(REPO),
        ],
        check=True,
    )
    [wheel] = tmp_path.glob("sahel_corpus-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        zf.extractall(tmp_path / "site")
    top = {n.split("/")[0] for n in names}
    assert top == {"sahel_corpus", next(t for t in top if t.endswith(".dist-info"))}
    for expected in (
        "sahel_corpus/iob.py",
        "sahel_corpus/loaders/__init__.py",
        "sahel_corpus/baselines/__init__.py",
        "sahel_corpus/schemas/annotation-1.1.schema.json",
        "sahel_corpus/templates/card.md",
        "sahel_corpus/py.typed",
    ):
        assert expected in names
    probe = (
        "import sahel_corpus.iob as m, sahel_corpus.jsonschema_def as j;"
        "print(m.__file__); j.load_shipped_schema()"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(tmp_path / "site")},
        cwd=tmp_path,
    )
    assert out.stdout.strip().startswith(str(tmp_path / "site"))


def test_shipped_json_schema_is_generated_from_the_inventory() -> None:
    from sahel_corpus.jsonschema_def import SCHEMA_FILENAME, render_schema

    shipped = REPO / "src" / "sahel_corpus" / "schemas" / SCHEMA_FILENAME
    assert shipped.read_text(encoding="utf-8") == render_schema()
