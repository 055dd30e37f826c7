"""Extraction on new text: valid draft annotation files, over files and datasets."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest

from _paths import CORPUS
from sahel_corpus.baselines.pipeline import Extractor
from sahel_corpus.cli import main
from sahel_corpus.sources import dumps_annotation, read_documents
from sahel_corpus.validate import validate_file

ARTICLE = (
    "Jihadists Attack Army Post in Central Mali\n\n"
    "Armed men attacked a Malian army post near Mopti on Sunday, the army said. "
    "Six soldiers were killed in 2024.\n\n"
    "The junta, which has ruled Mali since 2020, has not commented.\n\n"
    "Advertisement"
)


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor.train(read_documents(CORPUS))


def test_extract_command_writes_a_valid_draft(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "new article.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    assert main(["extract", str(src), "-o", str(tmp_path / "out"), "--corpus", str(CORPUS)]) == 0
    assert "draft, machine-made, valid" in capsys.readouterr().out
    target = tmp_path / "out" / "new-article.json"
    assert validate_file(target) == []
    assert (tmp_path / "out" / "new-article.txt").read_bytes() == src.read_bytes()
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["document"]["status"] == "draft"
    assert [z["type"] for z in data["zones"]] == ["HEADLINE", "BODY", "BODY", "BOILERPLATE"]
    assert data["mentions"], "the tagger finds mentions in a new text"
    for layer in ("entities", "mentions", "relations", "stances"):
        assert all(item["machine"] is True for item in data[layer]), layer
    assert any(m["text"] == "Mali" and m["level"] == "NAM" for m in data["mentions"])


def test_extract_refuses_text_the_corpus_would_reject(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "crlf.txt"
    src.write_bytes(ARTICLE.replace("\n", "\r\n").encode("utf-8"))
    assert main(["extract", str(src), "-o", str(tmp_path / "out"), "--corpus", str(CORPUS)]) == 1
    assert "error [text-line-ends]: " in capsys.readouterr().err
    assert not (tmp_path / "out" / "crlf.json").exists()


def test_extraction_over_a_dataset_in_batches_and_streaming(extractor: Extractor) -> None:
    from datasets import Dataset

    texts = [ARTICLE, ARTICLE.replace("Mopti", "Gao"), read_documents(CORPUS)[0].text]
    ds = Dataset.from_dict({"id": ["a", "b", "c"], "text": texts})
    mapped = ds.map(extractor.extract_batch, batched=True, batch_size=2)
    expected = [extractor.extract(t, i) for t, i in zip(texts, "abc", strict=True)]
    assert [json.loads(a) for a in mapped["annotation"]] == expected
    # the column holds each annotation file's own text, as extract writes it
    assert mapped["annotation"] == [dumps_annotation(d) for d in expected]
    streamed = ds.to_iterable_dataset().map(extractor.extract_batch, batched=True, batch_size=2)
    assert [json.loads(r["annotation"]) for r in streamed] == expected
    assert list(extractor.extract_stream(ds, progress=True, total=3)) == expected


@pytest.mark.parametrize("batch_sentences", [4, 7, 256])
def test_texts_extracted_together_get_the_annotation_each_gets_alone(
    extractor: Extractor, monkeypatch: pytest.MonkeyPatch, batch_sentences: int
) -> None:
    """Sentences of many texts go through the models together, a long text cut into pieces
    of BATCH_SENTENCES sentences as when it is alone (what a batch has found so far, such as
    which entities are named, decides the next batch's candidates)."""
    from sahel_corpus.baselines import pipeline

    monkeypatch.setattr(pipeline, "BATCH_SENTENCES", batch_sentences)
    gold = read_documents(CORPUS)[0].text
    texts = [ARTICLE, gold, ARTICLE.replace("Mopti", "Gao"), gold.replace("Wagner", "Redut")]
    items = [(t, f"d{k}") for k, t in enumerate(texts)]
    alone = [extractor.extract_document(t, i) for t, i in items]
    assert extractor.extract_documents(items) == alone
    assert extractor.extract_documents(items[1:2] + items[:1]) == [alone[1], alone[0]]


def test_chunks_cut_each_text_every_batch_sentences_as_if_it_were_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from types import SimpleNamespace

    from sahel_corpus.baselines import pipeline

    monkeypatch.setattr(pipeline, "BATCH_SENTENCES", 4)
    jobs = [SimpleNamespace(sentences=tuple(range(n))) for n in (3, 9, 0, 2, 5)]
    chunks = [
        [(jobs.index(job), piece) for job, piece in chunk]
        for chunk in pipeline._chunks(jobs)  # type: ignore[arg-type]
    ]
    assert chunks == [
        [(0, (0, 1, 2)), (1, (0, 1, 2, 3))],
        [(1, (4, 5, 6, 7))],
        [(1, (8,)), (3, (0, 1)), (4, (0, 1, 2, 3))],
        [(4, (4,))],
    ]
    assert list(pipeline._chunks([])) == []


def test_extraction_reproduces_much_of_the_gold_on_seen_text(extractor: Extractor) -> None:
    gold = read_documents(CORPUS)[0]
    doc = extractor.extract_document(gold.text, gold.id)
    assert doc.zones == gold.zones and doc.sentences == gold.sentences
    found = {(m.start, m.end) for m in doc.mentions}
    outermost = {(m.start, m.end) for m in gold.mentions}
    assert len(found & outermost) / len(found) > 0.8  # trained on this very text


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("quiet", [False, True])
def test_progress_bar_only_on_a_terminal_and_not_with_quiet(
    tmp_path: Path, extractor: Extractor, monkeypatch: pytest.MonkeyPatch, quiet: bool
) -> None:
    monkeypatch.setattr(
        Extractor, "train", classmethod(lambda cls, docs, seed=0, ner_train=(): extractor)
    )
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    argv = ["extract", str(src), "-o", str(tmp_path / "out"), "--corpus", str(CORPUS)]
    assert main(argv + (["--quiet"] if quiet else [])) == 0
    shown = terminal.getvalue()
    assert ("word/s" in shown and "1/1 documents" in shown) != quiet


def test_no_progress_bar_when_stderr_is_not_a_terminal(
    tmp_path: Path,
    extractor: Extractor,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(
        Extractor, "train", classmethod(lambda cls, docs, seed=0, ner_train=(): extractor)
    )
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    assert main(["extract", str(src), "-o", str(tmp_path / "out"), "--corpus", str(CORPUS)]) == 0
    assert capsys.readouterr().err == ""


def test_extract_refuses_before_training_or_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def no_training(*args: object, **kwargs: object) -> None:
        raise AssertionError("trained although the inputs were refused")

    monkeypatch.setattr(Extractor, "train", classmethod(no_training))
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.txt").write_text(ARTICLE, encoding="utf-8")
    argv = ["extract", str(tmp_path / "a" / "x.txt"), str(tmp_path / "b" / "x.txt")]
    assert main([*argv, "-o", str(tmp_path / "out"), "--corpus", str(CORPUS)]) == 1
    assert "error [output-collision]: " in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("quiet", [False, True])
def test_build_and_baselines_show_a_progress_bar_only_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, quiet: bool
) -> None:
    import shutil

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS / "sources", corpus / "sources")
    shutil.copy(CORPUS / "README.md", corpus / "README.md")
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    flag = ["--quiet"] if quiet else []
    assert main(["build", "--corpus", str(corpus), *flag]) == 0
    shown = terminal.getvalue()
    assert ("build: 100%" in shown and "9/9" in shown) != quiet
    terminal.seek(0)
    terminal.truncate()
    argv = ["baselines", "stance", "--dataset", str(CORPUS), "-o", str(tmp_path / "out")]
    assert main(argv + flag) == 0
    shown = terminal.getvalue()
    assert ("baselines: 100%" in shown and "1/1" in shown) != quiet


def test_build_shows_no_progress_bar_when_piped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS / "sources", corpus / "sources")
    shutil.copy(CORPUS / "README.md", corpus / "README.md")
    assert main(["build", "--corpus", str(corpus)]) == 0
    assert capsys.readouterr().err == ""


def test_extracted_files_are_flushed_before_renaming_and_their_folder_once_a_batch(
    extractor: Extractor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sahel_corpus import fileio
    from sahel_corpus.baselines import extract

    sources = []
    for k in range(5):
        src = tmp_path / "in" / f"a{k}.txt"
        src.parent.mkdir(exist_ok=True)
        src.write_text(ARTICLE.replace("Mopti", f"Mopti{k}"), encoding="utf-8")
        sources.append(src)
    out = tmp_path / "out"
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append("folder" if os.path.isdir(f"/proc/self/fd/{fd}") else "file")
        real_fsync(fd)

    def replace(a: str, b: str | Path) -> None:
        events.append("rename")
        real_replace(a, b)

    monkeypatch.setattr(fileio.os, "fsync", fsync)
    monkeypatch.setattr(fileio.os, "replace", replace)
    monkeypatch.setattr(extract, "EXTRACT_TOGETHER", 2)
    done = list(extract.extract_planned(extractor, extract.plan_extraction(sources, out)))
    assert [item.source for item, _ in done] == sources
    # each of the 10 files: flushed, then renamed; the folder synced once per batch of 2 inputs
    per_batch = ["file", "rename"] * 4 + ["folder"]
    assert events == per_batch * 2 + ["file", "rename"] * 2 + ["folder"]
    assert all(validate_file(out / f"a{k}.json") == [] for k in range(5))


def test_files_written_before_a_refused_annotation_are_synced_kept_and_reported(
    extractor: Extractor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sahel_corpus.baselines import extract
    from sahel_corpus.errors import AnnotationError
    from sahel_corpus.validate import Finding

    sources = []
    for k in range(3):
        src = tmp_path / f"b{k}.txt"
        src.write_text(ARTICLE, encoding="utf-8")
        sources.append(src)
    calls = {"n": 0}
    synced: list[Path] = []
    real_validate = extract.validate_data

    def validate(data: object, name: str, **kw: object) -> list[Finding]:
        calls["n"] += 1
        if calls["n"] == 2:
            return [Finding(name, "/", "test", "got a refusal, expected none")]
        return real_validate(data, name, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(extract, "validate_data", validate)
    monkeypatch.setattr(extract, "sync_folders", lambda folders: synced.extend(folders))
    out = tmp_path / "out"
    got = []
    with pytest.raises(AnnotationError):
        for item, _ in extract.extract_planned(extractor, extract.plan_extraction(sources, out)):
            got.append(item.source)
    assert got == sources[:1]  # what was written is reported before the refusal
    assert sorted(p.name for p in out.iterdir()) == ["b0.json", "b0.txt"]
    assert synced == [out, out]
