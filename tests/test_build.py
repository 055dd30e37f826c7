"""The build: deterministic, up to date, never served stale from the datasets cache."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from _paths import CORPUS, DOC_ID
from sahel_corpus.build import build_corpus
from sahel_corpus.cli import main
from sahel_corpus.errors import AnnotationError
from sahel_corpus.sources import read_annotation, write_annotation
from sahel_corpus.views import CONFIGS


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "sources" not in p.parts
    }


def test_committed_build_is_up_to_date() -> None:
    result = build_corpus(CORPUS, check=True)
    assert result.changed == [], "run `sahel-corpus build` and commit the result"


def test_build_check_cli_reports_out_of_date(
    corpus_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    card = (corpus_copy / "README.md").read_bytes()
    assert main(["build", "--check", "--corpus", str(corpus_copy)]) == 1
    assert "error [out-of-date]: " in capsys.readouterr().err
    assert not (corpus_copy / "data").exists()  # --check writes nothing
    assert (corpus_copy / "README.md").read_bytes() == card


def test_build_is_byte_identical(corpus_copy: Path) -> None:
    build_corpus(corpus_copy)
    first = _files(corpus_copy)
    second_result = build_corpus(corpus_copy)
    assert second_result.changed == []
    assert _files(corpus_copy) == first
    assert first == _files(CORPUS)  # same sources as the committed corpus
    assert sorted({k.split("/")[1] for k in first if k.startswith("data/")}) == sorted(CONFIGS)


def test_invalid_sources_stop_the_build(corpus_copy: Path) -> None:
    path = corpus_copy / "sources" / "documents" / f"{DOC_ID}.json"
    data = read_annotation(path)
    data["mentions"][0]["text"] = "XX"
    write_annotation(path, data)
    with pytest.raises(AnnotationError) as err:
        build_corpus(corpus_copy)
    assert [f.check for f in err.value.findings] == ["span-text"]
    assert not (corpus_copy / "data").exists()


LOAD_SCRIPT = """
import json, sys
import datasets
name, path, streaming = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
ds = datasets.load_dataset(path, name, split="train+validation+test", streaming=streaming)
rows = list(ds)
feats = ds.features
labels = {k: v.names for k, v in feats.items() if isinstance(v, datasets.ClassLabel)}
for k, v in feats.items():
    inner = getattr(v, "feature", None)
    if isinstance(inner, datasets.ClassLabel):
        labels[k] = inner.names
assert "sahel_corpus" not in sys.modules
print(json.dumps({"rows": len(rows), "labels": labels, "first": rows[0]}, default=str))
"""


def _load(path: Path, name: str, streaming: bool = False) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", LOAD_SCRIPT, name, str(path), "1" if streaming else "0"],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("name", CONFIGS)
def test_load_dataset_offline_without_project_code(name: str, hf_cache: Path) -> None:
    result = _load(CORPUS, name)
    assert result["rows"] > 0
    assert result["labels"], "ClassLabel features must survive loading"


def test_streaming_gives_the_same_rows(hf_cache: Path) -> None:
    eager = _load(CORPUS, "ner")
    streamed = _load(CORPUS, "ner", streaming=True)
    assert streamed["rows"] == eager["rows"]
    assert streamed["labels"] == eager["labels"]


def test_rebuilt_corpus_is_never_loaded_stale(corpus_copy: Path, hf_cache: Path) -> None:
    build_corpus(corpus_copy)
    before = _load(corpus_copy, "mentions")
    entity_id = before["first"]["entity_id"]
    path = corpus_copy / "sources" / "documents" / f"{DOC_ID}.json"
    data = read_annotation(path)
    for entity in data["entities"]:
        if entity["id"] == entity_id:
            entity["kb_id"] = entity["kb_id"].upper()  # same length: same dataset_size
    write_annotation(path, data)
    mtime = (corpus_copy / "README.md").stat().st_mtime_ns
    build_corpus(corpus_copy)
    # Same modification times as before, as after copying with preserved times or
    # on a file system with coarse timestamps: the cache must still see the change.
    for built in [corpus_copy / "README.md", *(corpus_copy / "data").rglob("*.parquet")]:
        os.utime(built, ns=(mtime, mtime))
    after = _load(corpus_copy, "mentions")
    assert after["first"]["kb_id"] == before["first"]["kb_id"].upper() != before["first"]["kb_id"]
    assert after["rows"] == before["rows"]


def test_data_file_names_carry_their_content_hash() -> None:
    """The cache key of `datasets` covers file names, so content must be in the name."""
    import hashlib

    import yaml

    head = (CORPUS / "README.md").read_text(encoding="utf-8").split("---\n", 2)[1]
    for config in yaml.safe_load(head)["configs"]:
        assert [e["split"] for e in config["data_files"]] == ["train", "validation", "test"]
        for entry in config["data_files"]:
            data = (CORPUS / entry["path"]).read_bytes()
            digest = hashlib.sha256(data).hexdigest()[:16]
            assert (
                entry["path"] == f"data/{config['config_name']}/{entry['split']}-{digest}.parquet"
            )
