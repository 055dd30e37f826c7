"""Extraction over a collection: parquet, JSON Lines and saved datasets; local and Ray engines.

The Ray tests start a local two-worker cluster and stop it. Without Ray they
are skipped and say why, unless ``SAHEL_RAY=required`` (as in CI, which
installs the ``ray`` extra), which makes a missing Ray a failure.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from _paths import CORPUS
from sahel_corpus.baselines.collection import (
    extract_collection_local,
    extract_collection_ray,
    iter_collection,
    read_output,
)
from sahel_corpus.baselines.pipeline import Extractor
from sahel_corpus.cli import main
from sahel_corpus.errors import DataError, UsageError, WriteError
from sahel_corpus.model import document_to_dict
from sahel_corpus.sources import read_documents
from sahel_corpus.validate import validate_data
from sahel_corpus.views import documents_from_dataset, features

sys.path.insert(0, str(CORPUS.parent / "benchmarks"))
from synthetic import articles

ROWS = [{"id": r["id"], "text": r["text"]} for r in articles(10)]


def _ray_available() -> bool:
    try:
        import ray  # noqa: F401
    except ImportError:
        if os.environ.get("SAHEL_RAY") == "required":
            pytest.fail("SAHEL_RAY=required, but Ray is missing: pip install 'sahel-corpus[ray]'")
        return False
    return True


needs_ray = pytest.mark.skipif(
    not _ray_available(), reason="Ray is not installed (pip install 'sahel-corpus[ray]'; CI does)"
)


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor.train(read_documents(CORPUS))


@pytest.fixture
def jsonl(tmp_path: Path) -> Path:
    path = tmp_path / "texts.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in ROWS), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def local_rows(extractor: Extractor, tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    folder = tmp_path_factory.mktemp("c")
    (folder / "t.jsonl").write_text("".join(json.dumps(r) + "\n" for r in ROWS), "utf-8")
    extract_collection_local(extractor, folder / "t.jsonl", folder / "out", block_size=4)
    return read_output(folder / "out")


def test_local_engine_writes_valid_documents_rows_in_shards(
    extractor: Extractor, jsonl: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    summary = extract_collection_local(extractor, jsonl, out, block_size=4)
    shards = sorted(out.glob("*.parquet"))
    assert len(shards) == 3 and summary["shards"] == 3 and summary["documents"] == len(ROWS)
    assert summary["events"] > 0 and summary["words"] == sum(len(r["text"].split()) for r in ROWS)
    assert json.loads((out / "summary.json").read_text()) == summary
    import datasets

    for shard in shards:  # the documents config's own columns and types
        assert pq.read_schema(shard).remove_metadata() == features("documents").arrow_schema
    ds = datasets.Dataset.from_parquet([str(s) for s in shards], features=features("documents"))
    docs = documents_from_dataset(ds, ds.features)
    assert [d.id for d in docs] == sorted(r["id"] for r in ROWS)
    by_id = {r["id"]: r["text"] for r in ROWS}
    for doc in docs:
        assert doc.text == by_id[doc.id] and doc.events
        assert validate_data(document_to_dict(doc), f"{doc.id}.json", text=doc.text) == []


def test_parquet_and_saved_dataset_give_the_same_rows(
    extractor: Extractor, tmp_path: Path, local_rows: list[dict]
) -> None:
    import datasets

    pq.write_table(pa.Table.from_pylist(ROWS), tmp_path / "texts.parquet")
    datasets.Dataset.from_list(ROWS).save_to_disk(str(tmp_path / "saved"))
    for source in (tmp_path / "texts.parquet", tmp_path / "saved"):
        out = tmp_path / f"out-{source.name}"
        extract_collection_local(extractor, source, out, block_size=3)
        assert read_output(out) == local_rows


def test_rows_without_an_id_are_named_by_their_text(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps({"text": "Wagner left Ber."}) + "\n", encoding="utf-8")
    [(doc_id, text)] = list(iter_collection(path))
    assert len(doc_id) == 16 and text == "Wagner left Ber."


@pytest.mark.parametrize(
    ("content", "code"),
    [
        ('{"title": "no text"}\n', "collection-text"),
        ("not json\n", "jsonl"),
        ('{"text": "a\\r\\nb"}\n', "text-line-ends"),
    ],
)
def test_bad_rows_are_refused_naming_the_line(tmp_path: Path, content: str, code: str) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataError) as err:
        list(iter_collection(path))
    assert err.value.code == code and str(err.value).startswith(f"{path}: line 1")


def test_the_command_refuses_what_would_harm_or_cannot_be_read(
    tmp_path: Path, jsonl: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    base = ["extract", "--collection", str(jsonl), "--corpus", str(CORPUS)]
    assert main([*base, "-o", str(out)]) == 1
    assert "error [output-exists]" in capsys.readouterr().err
    assert (out / "keep.txt").read_text(encoding="utf-8") == "mine"
    inside = CORPUS / "sources" / "x"
    assert main([*base, "-o", str(inside)]) == 1
    assert "error [output-in-sources]" in capsys.readouterr().err and not inside.exists()
    assert main(["extract", "--collection", str(tmp_path / "nope.txt"), "-o", str(out)]) == 1
    assert "error [collection]" in capsys.readouterr().err
    assert main(["extract", "--engine", "ray", "-o", str(out)]) == 2  # a usage error
    assert "error [collection-input]" in capsys.readouterr().err


def test_the_command_extracts_a_collection(
    tmp_path: Path, jsonl: Path, extractor: Extractor, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], local_rows: list[dict],
) -> None:  # fmt: skip
    monkeypatch.setattr(Extractor, "train", classmethod(lambda cls, *a, **k: extractor))
    out = tmp_path / "out"
    argv = ["extract", "--collection", str(jsonl), "-o", str(out), "--block-size", "4"]
    assert main(argv) == 0
    assert f"{len(ROWS)} documents in 3 parquet shard(s)" in capsys.readouterr().out
    assert read_output(out) == local_rows


def test_write_errors_are_write_errors(extractor: Extractor, jsonl: Path, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(WriteError):
        extract_collection_local(extractor, jsonl, tmp_path / "file")


@needs_ray
def test_ray_engine_gives_the_local_engines_rows(
    extractor: Extractor, jsonl: Path, tmp_path: Path, local_rows: list[dict]
) -> None:
    """A local two-worker cluster, started and stopped by the engine."""
    import ray

    out = tmp_path / "ray-out"
    summary = extract_collection_ray(extractor, jsonl, out, block_size=3, workers=2)
    assert not ray.is_initialized()  # the engine stopped the cluster it started
    assert summary["engine"] == "ray" and summary["workers"] == 2
    assert summary["documents"] == len(ROWS)
    assert read_output(out) == local_rows


def test_ray_engine_without_ray_is_a_clear_usage_error(
    extractor: Extractor, jsonl: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` raises ImportError
    with pytest.raises(UsageError) as err:
        extract_collection_ray(extractor, jsonl, tmp_path / "out")
    assert err.value.code == "ray-missing"


@pytest.mark.parametrize(
    ("rows", "code"),
    [
        ([{"id": "a", "text": "One."}, {"id": "a", "text": "Two."}], "collection-duplicate"),
        ([{"text": "Same."}, {"text": "Same."}], "collection-duplicate"),
        ([{"id": "../../etc/x y", "text": "One."}], "collection-id"),
        ([{"id": "a", "text": "One."}, {"id": "b", "text": "Two.\r\n"}], "text-line-ends"),
    ],
    ids=["duplicate-id", "duplicate-text", "bad-id", "late-bad-row"],
)
def test_a_bad_collection_writes_nothing(
    extractor: Extractor, tmp_path: Path, rows: list[dict], code: str
) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(DataError) as err:
        extract_collection_local(extractor, path, out, block_size=1)
    assert err.value.code == code
    assert not out.exists() and not list(tmp_path.glob(".out.partial-*"))


def test_an_unreadable_parquet_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "c.parquet"
    path.write_bytes(b"PAR1garbage")
    with pytest.raises(DataError) as err:
        list(iter_collection(path))
    assert err.value.code == "collection" and str(err.value).startswith(f"{path}: got a file")


@needs_ray
def test_ray_engine_reports_a_bad_row_as_the_local_engine_does(
    extractor: Extractor, tmp_path: Path
) -> None:
    path = tmp_path / "t.jsonl"
    rows = [{"id": "a", "text": "One."}, {"id": "b", "text": "Two.\r\n"}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(DataError) as err:
        extract_collection_ray(extractor, path, out, block_size=1, workers=2)
    assert err.value.code == "text-line-ends"
    assert not out.exists()


def test_an_empty_collection_is_refused_and_writes_nothing(
    extractor: Extractor, tmp_path: Path
) -> None:
    path = tmp_path / "t.jsonl"
    path.write_text("", encoding="utf-8")
    with pytest.raises(DataError) as err:
        extract_collection_local(extractor, path, tmp_path / "out")
    assert err.value.code == "collection-empty" and not (tmp_path / "out").exists()
