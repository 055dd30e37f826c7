"""The contribution path end to end: new, preannotate, review, validate, build, load, diff."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from _paths import CORPUS
from sahel_corpus.cli import main

ARTICLE = (
    "Army Says Six Soldiers Killed Near Gao\n\n"
    "The Malian army said on Monday that six soldiers were killed near Gao. "
    "The CMA accused Wagner of attacks in 2023.\n\n"
    "Advertisement"
)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    dest = tmp_path / "corpus"
    shutil.copytree(CORPUS / "sources", dest / "sources")
    shutil.copy(CORPUS / "README.md", dest / "README.md")
    return dest


def _review(path: Path) -> None:
    """What an annotator does after checking every machine-made item."""
    data = json.loads(path.read_text(encoding="utf-8"))
    for layer in ("entities", "mentions", "relations", "stances"):
        for item in data[layer]:
            item.pop("machine", None)
    data["document"]["status"] = "reviewed"
    data["document"]["annotators"].append("reviewer")
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def test_new_article_becomes_a_loadable_document(
    corpus: Path, tmp_path: Path, hf_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = tmp_path / "article.txt"
    text.write_bytes(ARTICLE.encode("utf-8"))
    doc = corpus / "sources" / "documents" / "001_gao.json"
    assert (
        main(
            [
                "new",
                str(text),
                "--id",
                "001_gao",
                "--title",
                "Army Says Six Soldiers Killed",
                "--publisher",
                "Example Wire",
                "--licence",
                "CC-BY-4.0",
                "--corpus",
                str(corpus),
            ]
        )
        == 0
    )
    assert (corpus / "sources" / "documents" / "001_gao.txt").read_bytes() == text.read_bytes()
    assert main(["validate", str(doc)]) == 0
    assert main(["preannotate", str(doc), "--corpus", str(corpus)]) == 0
    draft = tmp_path / "001_gao.draft.json"
    shutil.copy(doc, draft)
    shutil.copy(corpus / "sources" / "documents" / "001_gao.txt", tmp_path / "001_gao.txt")
    data = json.loads(draft.read_text(encoding="utf-8"))
    data["document"]["text_file"] = "001_gao.txt"
    draft.write_text(json.dumps(data, indent=2), encoding="utf-8")
    assert data["mentions"] and all(m["machine"] for m in data["mentions"])
    assert main(["validate", str(doc)]) == 0
    assert main(["validate", "--release", str(doc)]) == 1
    assert "[machine-unreviewed]" in capsys.readouterr().out
    _review(doc)
    assert main(["validate", "--release", "--corpus", str(corpus)]) == 0
    assert main(["build", "--corpus", str(corpus)]) == 0
    capsys.readouterr()
    assert main(["diff", str(draft), str(doc)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("~ entities: e1 ") and "change(s): entities ~" in out

    import datasets

    ds = datasets.load_dataset(str(corpus), "documents", split="train+validation+test")
    assert sorted(set(ds["id"])) == ["000_b8e6d3e9cdabb873", "001_gao"]
    ner = datasets.load_dataset(str(corpus), "ner", split="train+validation+test")
    assert "001_gao/s1" in ner["id"]


def _new(text: Path, doc_id: str, corpus: Path) -> int:
    """`sahel-corpus new` with placeholder metadata."""
    return main(
        [
            "new",
            str(text),
            "--id",
            doc_id,
            "--title",
            "t",
            "--publisher",
            "p",
            "--licence",
            "l",
            "--corpus",
            str(corpus),
        ]
    )


def test_new_refuses_text_it_would_have_to_convert(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = tmp_path / "crlf.txt"
    text.write_bytes(ARTICLE.replace("\n", "\r\n").encode("utf-8"))
    assert _new(text, "x", corpus) == 1
    assert "error [text-line-ends]: " in capsys.readouterr().err
    assert not (corpus / "sources" / "documents" / "x.txt").exists()


def test_new_refuses_an_existing_id(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = tmp_path / "a.txt"
    text.write_text(ARTICLE, encoding="utf-8")
    assert _new(text, "000_b8e6d3e9cdabb873", corpus) == 1
    assert "error [document-exists]: " in capsys.readouterr().err


def test_preannotate_refuses_a_document_that_is_not_a_draft(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gold = corpus / "sources" / "documents" / "000_b8e6d3e9cdabb873.json"
    before = gold.read_bytes()
    assert main(["preannotate", str(gold), "--corpus", str(corpus)]) == 1
    assert "error [not-a-draft]: " in capsys.readouterr().err
    assert gold.read_bytes() == before


def test_preannotate_never_overwrites_a_filled_draft(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gold = corpus / "sources" / "documents" / "000_b8e6d3e9cdabb873.json"
    data = json.loads(gold.read_text(encoding="utf-8"))
    data["document"]["status"] = "draft"
    gold.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    before = gold.read_bytes()
    assert main(["preannotate", str(gold), "--corpus", str(corpus)]) == 1
    assert "error [nothing-to-fill]: " in capsys.readouterr().err
    assert gold.read_bytes() == before


def test_preannotate_fills_only_the_empty_layers(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A draft with reviewed mentions gets relations and stances over those mentions."""
    gold = corpus / "sources" / "documents" / "000_b8e6d3e9cdabb873.json"
    data = json.loads(gold.read_text(encoding="utf-8"))
    data["document"]["status"] = "draft"
    data["relations"], data["stances"] = [], []
    gold.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    other = json.loads((CORPUS / "sources" / "passes" / "000_b8e6d3e9cdabb873.a.json").read_text())
    other["document"]["id"] = "001_other"
    other["document"]["text_file"] = "000_b8e6d3e9cdabb873.txt"
    (gold.parent / "001_other.json").write_text(json.dumps(other, indent=2), encoding="utf-8")
    assert main(["preannotate", str(gold), "--corpus", str(corpus)]) == 0
    after = json.loads(gold.read_text(encoding="utf-8"))
    assert after["mentions"] == data["mentions"] and after["entities"] == data["entities"]
    assert after["relations"] and all(r["machine"] for r in after["relations"])


def test_diff_lists_added_removed_and_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = CORPUS / "sources" / "passes" / "000_b8e6d3e9cdabb873.a.json"
    b = CORPUS / "sources" / "passes" / "000_b8e6d3e9cdabb873.b.json"
    assert main(["diff", str(a), str(b)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("+ ") for line in lines)
    assert any(line.startswith("- ") for line in lines)
    assert any(line.startswith("~ ") for line in lines)
    assert lines[-1].startswith(f"{len(lines) - 1} change(s): ")


def test_show_command_writes_a_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = CORPUS / "sources" / "documents" / "000_b8e6d3e9cdabb873.json"
    page = tmp_path / "page.html"
    assert main(["show", str(gold), "-o", str(page), "--select", "e2"]) == 0
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert main(["show", str(gold), "-o", str(page), "--select", "nope"]) == 1
    assert "error [select]: " in capsys.readouterr().err


@pytest.mark.parametrize(("fmt", "suffix"), [("brat", ".ann"), ("labelstudio", ".json")])
def test_export_then_import_round_trip_is_lossless(
    fmt: str, suffix: str, corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gold = corpus / "sources" / "documents" / "000_b8e6d3e9cdabb873.json"
    before = gold.read_bytes()
    out = tmp_path / "out"
    assert main(["export", str(gold), "--format", fmt, "-o", str(out)]) == 0
    assert f"{fmt} carries zones, sentences, entities, mentions" in capsys.readouterr().out
    exported = out / f"000_b8e6d3e9cdabb873{suffix}"
    assert main(["import", str(exported), "--format", fmt, "--into", str(gold)]) == 0
    assert "valid" in capsys.readouterr().out
    assert gold.read_bytes() == before  # nothing lost, nothing changed


def test_import_refuses_a_different_text(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gold = corpus / "sources" / "documents" / "000_b8e6d3e9cdabb873.json"
    (tmp_path / "x.txt").write_text("Mali", encoding="utf-8")
    ann = "T1\tZone-BODY 0 4\tMali\nT2\tGPE 0 4\tMali\n"
    (tmp_path / "x.ann").write_text(ann, encoding="utf-8")
    assert main(["import", str(tmp_path / "x.ann"), "--format", "brat", "--into", str(gold)]) == 1
    assert "error [different-text]: " in capsys.readouterr().err


def test_conll_and_docbin_exports_from_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gold = CORPUS / "sources" / "documents" / "000_b8e6d3e9cdabb873.json"
    assert main(["export", str(gold), "--format", "conll", "-o", str(tmp_path)]) == 0
    assert main(["export", str(gold), "--format", "docbin", "-o", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "conll carries sentences, mentions; not carried: document metadata; zones;" in out
    assert (tmp_path / "000_b8e6d3e9cdabb873.conll").is_file()
    assert (tmp_path / "000_b8e6d3e9cdabb873.spacy").is_file()


def test_unreadable_input_is_an_error_message_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["show", str(tmp_path / "absent.json"), "-o", str(tmp_path / "p.html")]) == 1
    assert capsys.readouterr().err.startswith("error [invalid-annotation]: ")


def test_preannotate_fills_an_empty_event_layer_over_the_drafts_mentions(
    corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gold = corpus / "sources" / "documents" / "000_b8e6d3e9cdabb873.json"
    data = json.loads(gold.read_text(encoding="utf-8"))
    data["document"]["status"] = "draft"
    data["events"] = []
    gold.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    passes = CORPUS / "sources" / "passes"
    other = json.loads((passes / "000_b8e6d3e9cdabb873.events-a.json").read_text())
    other["document"]["id"] = "001_other"
    other["document"]["text_file"] = "000_b8e6d3e9cdabb873.txt"
    (gold.parent / "001_other.json").write_text(json.dumps(other, indent=2), encoding="utf-8")
    assert main(["preannotate", str(gold), "--corpus", str(corpus)]) == 0
    assert " events; the filled layers are machine-made" in capsys.readouterr().out
    after = json.loads(gold.read_text(encoding="utf-8"))
    for layer in ("entities", "mentions", "relations", "stances"):
        assert after[layer] == data[layer]
    assert after["events"] and all(e["machine"] for e in after["events"])
    mentioned = {m["entity"] for m in after["mentions"]}
    assert all(a["entity"] in mentioned for e in after["events"] for a in e["arguments"])
    assert main(["validate", str(gold)]) == 0
