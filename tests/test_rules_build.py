"""The build's rules on small synthetic corpora: which rows go to which split, empty splits left
out, file names by fingerprint, stale files removed, the transaction on failure, the front
matter's and the card's figures, agreement between passes, and the errors with their codes."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from datasets import Array2D, ClassLabel, Features, LargeList, List, Value

import sahel_corpus
import sahel_corpus.build as build
from _fresh import in_fresh_process
from _paths import CORPUS
from corpora import _fixtures, synthetic_corpus
from sahel_corpus.agreement import agreement, render_agreement
from sahel_corpus.build import (
    BUILD_STEPS,
    LABELS_FILE,
    agreement_results,
    build_corpus,
    encode_table,
    parquet_bytes,
    render_fields,
    render_instances,
    render_labels,
)
from sahel_corpus.errors import AnnotationError
from sahel_corpus.fileio import write_atomic
from sahel_corpus.integrity import data_files, fingerprint
from sahel_corpus.scoring import event_scores
from sahel_corpus.sections import get_section
from sahel_corpus.sources import read_annotation, read_document, read_documents, write_annotation
from sahel_corpus.views import CONFIGS, SPLITS, class_labels, features, split_rows

# -- helpers ------------------------------------------------------------------------------------


def _corpus(tmp_path: Path, keep: list[int]) -> Path:
    """A synthetic corpus of the documents ``syn_<k>`` for k in ``keep`` (sources and card)."""
    corpus: Path = synthetic_corpus(tmp_path / "corpus", max(keep) + 1)
    for k in set(range(max(keep) + 1)) - set(keep):
        for suffix in (".json", ".txt"):
            (corpus / "sources" / "documents" / f"syn_{k:03d}{suffix}").unlink()
    return corpus


def _edit(corpus: Path, doc_id: str, change: Callable[[dict[str, Any]], None]) -> None:
    path = corpus / "sources" / "documents" / f"{doc_id}.json"
    data = read_annotation(path)
    change(data)
    write_annotation(path, data)


def _meta(**values: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["document"].update(values)

    return change


def _built(corpus: Path) -> dict[str, bytes]:
    """Every file a build wrote (not the sources), by path relative to the corpus."""
    return {
        p.relative_to(corpus).as_posix(): p.read_bytes()
        for p in sorted(corpus.rglob("*"))
        if p.is_file() and "sources" not in p.relative_to(corpus).parts
    }


def _card(corpus: Path) -> str:
    return (corpus / "README.md").read_text(encoding="utf-8")


def _front(card: str) -> dict[str, Any]:
    _, head, _ = card.split("---\n", 2)
    front: dict[str, Any] = yaml.safe_load(head)
    return front


def _data_files(card: str) -> dict[str, dict[str, str]]:
    """config -> split -> path, as the front matter lists them (in its order)."""
    return {
        c["config_name"]: {e["split"]: e["path"] for e in c["data_files"]}
        for c in _front(card)["configs"]
    }


def _table_row(text: str, first_cell: str) -> list[str]:
    """The cells of the markdown table row that starts with ``first_cell``."""
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[0] == first_cell:
            return cells
    raise AssertionError(f"no row {first_cell}")


def _instances(card: str) -> dict[str, Any]:
    """config -> the row shown under "Data instances", parsed."""
    section = card.split("## Data instances", 1)[1].split("## Data fields", 1)[0]
    pattern = r"`(\w+)` \(first row of `train`\):\n\n```json\n(.*?)\n```"
    return {m[1]: json.loads(m[2]) for m in re.finditer(pattern, section, re.DOTALL)}


def _unrecorded(card: str) -> list[str]:
    match = re.search(r'"not recorded": the publication date or address of (.*?) was\n', card)
    return json.loads(f"[{match[1]}]") if match else []


def _write_pass(corpus: Path, doc_id: str, name: str, data: dict[str, Any]) -> None:
    """Write ``data`` as the pass ``<id>.<name>.json`` of a document."""
    data = json.loads(json.dumps(data))
    data["document"]["text_file"] = f"../documents/{doc_id}.txt"
    write_annotation(corpus / "sources" / "passes" / f"{doc_id}.{name}.json", data)


def _with_events(data: dict[str, Any]) -> dict[str, Any]:
    """``syn_000``'s annotation (the fixture's text) as a schema 1.1 file with three events."""
    out: dict[str, Any] = _fixtures().with_events(data)
    return out


# -- errors -------------------------------------------------------------------------------------


def _got_expected(err: pytest.ExceptionInfo[AnnotationError], about: Path) -> None:
    """The project's message form: the path it is about, then "got X, expected Y"."""
    assert re.fullmatch(rf"{re.escape(str(about))}: got .+, expected .+", str(err.value)), str(
        err.value
    )


def test_a_missing_corpus_folder_is_corpus_missing(tmp_path: Path) -> None:
    with pytest.raises(AnnotationError) as err:
        build_corpus(tmp_path / "nowhere")
    assert err.value.code == "corpus-missing"
    _got_expected(err, tmp_path / "nowhere")
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    with pytest.raises(AnnotationError) as err:
        build_corpus(tmp_path / "a-file")
    assert err.value.code == "corpus-missing"


def test_a_corpus_without_documents_is_corpus_empty(tmp_path: Path) -> None:
    corpus = synthetic_corpus(tmp_path / "corpus", 0)
    with pytest.raises(AnnotationError) as err:
        build_corpus(corpus)
    assert err.value.code == "corpus-empty"
    _got_expected(err, corpus)
    assert not (corpus / "data").exists()


def test_invalid_sources_stop_the_build_with_their_findings(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, [0, 1])
    card = (corpus / "README.md").read_bytes()

    def break_span(data: dict[str, Any]) -> None:
        data["mentions"][0]["text"] = "XX"

    _edit(corpus, "syn_001", break_span)
    with pytest.raises(AnnotationError) as err:
        build_corpus(corpus)
    assert err.value.code == "invalid-annotation"
    assert [f.check for f in err.value.findings] == ["span-text"]
    assert err.value.findings[0].format() in str(err.value)
    assert not (corpus / "data").exists()
    assert (corpus / "README.md").read_bytes() == card


def test_an_invalid_pass_stops_the_build_too(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, [0])
    data = read_annotation(corpus / "sources" / "documents" / "syn_000.json")
    data["mentions"][0]["text"] = "XX"
    _write_pass(corpus, "syn_000", "a", data)
    with pytest.raises(AnnotationError) as err:
        build_corpus(corpus)
    assert (err.value.code, [f.check for f in err.value.findings]) == (
        "invalid-annotation",
        ["span-text"],
    )


def test_a_folder_named_like_an_annotation_file_is_skipped_as_the_validator_skips_it(
    tmp_path: Path,
) -> None:
    corpus = _corpus(tmp_path, [0])
    (corpus / "sources" / "documents" / "syn_001.json").mkdir()
    build_corpus(corpus)
    assert [d.id for d in read_documents(corpus)] == ["syn_000"]
    assert (corpus / "data").is_dir()


# -- the data files -----------------------------------------------------------------------------


def test_each_nonempty_split_is_one_file_named_by_its_fingerprint(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, list(range(7)))  # folds 0, 2, 0, 0, 4, 4, 3: every split
    result = build_corpus(corpus)
    docs = read_documents(corpus)
    listed = _data_files(_card(corpus))
    assert list(listed) == list(CONFIGS)
    expected_paths = {corpus / "README.md", corpus / "LICENSE.md"}
    for config in CONFIGS:
        feats = features(config)
        by_split = split_rows(config, docs)
        nonempty = [s for s in SPLITS if by_split[s]]
        assert list(listed[config]) == nonempty  # in split order, empty ones left out
        on_disk = data_files(corpus, config)
        assert sorted(corpus / p for p in listed[config].values()) == on_disk
        expected_paths |= {*on_disk, corpus / "data" / config / LABELS_FILE}
        for split in nonempty:
            path = corpus / listed[config][split]
            data = path.read_bytes()
            assert path.name == f"{split}-{fingerprint(data)}.parquet"
            table = pq.read_table(path)
            assert table.to_pylist() == [feats.encode_example(r) for r in by_split[split]]
            meta = json.loads(table.schema.metadata[b"huggingface"])
            assert Features.from_dict(meta["info"]["features"]) == feats
    assert [c for c in CONFIGS if not listed[c]] == ["events"]  # the documents have none
    assert sorted(result.written) == sorted(expected_paths)
    assert (result.removed, result.unchanged) == ([], [])


def test_an_empty_split_is_left_out_and_counted_zero(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, list(range(5)))  # folds 0, 2, 0, 0, 4: no validation (fold 3)
    build_corpus(corpus)
    card = _card(corpus)
    front = _front(card)
    infos = {i["config_name"]: i for i in front["dataset_info"]}
    docs = read_documents(corpus)
    configs = card.split("### Configs", 1)[1].split("### Splits and folds", 1)[0]
    for config in CONFIGS:
        by_split = split_rows(config, docs)
        assert not by_split["validation"]
        counts = [len(by_split[s]) for s in SPLITS]
        assert _table_row(configs, f"`{config}`")[1:4] == [str(n) for n in counts]
        got = {s["name"]: s["num_examples"] for s in infos[config].get("splits", [])}
        assert got == {s: len(by_split[s]) for s in SPLITS if by_split[s]}
    assert set(_data_files(card)["ner"]) == {"train", "test"}
    assert _data_files(card)["events"] == {}
    assert {p.parent.name for p in data_files(corpus)} == set(CONFIGS) - {"events"}


def test_a_config_without_rows_shows_an_empty_instance(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, [0])
    build_corpus(corpus)
    assert "`events` (first row of `train`):\n\n```json\n{\n\n}\n```" in _card(corpus)
    assert _instances(_card(corpus))["events"] == {}


def test_the_sizes_in_the_front_matter_are_the_files_and_tables(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, list(range(7)))
    build_corpus(corpus)
    card = _card(corpus)
    docs = read_documents(corpus)
    infos = {i["config_name"]: i for i in _front(card)["dataset_info"]}
    for config, files in _data_files(card).items():
        if not files:
            continue
        by_split = split_rows(config, docs)
        nbytes = {s: encode_table(by_split[s], features(config)).nbytes for s in files}
        info = infos[config]
        assert info["download_size"] == sum((corpus / p).stat().st_size for p in files.values())
        assert info["dataset_size"] == sum(nbytes.values())
        assert {s["name"]: s["num_bytes"] for s in info["splits"]} == nbytes
        assert {s["name"]: s["num_examples"] for s in info["splits"]} == {
            s: len(by_split[s]) for s in files
        }


def test_the_default_config_is_ner_alone(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, [0])
    build_corpus(corpus)
    configs = _front(_card(corpus))["configs"]
    assert [c["config_name"] for c in configs if c.get("default")] == ["ner"]
    assert all(c.get("default", True) is True for c in configs)


def test_each_config_has_its_label_maps(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, [0])
    build_corpus(corpus)
    for config in CONFIGS:
        text = (corpus / "data" / config / "label2id.json").read_text(encoding="utf-8")
        assert json.loads(text) == {
            column: {label: i for i, label in enumerate(names)}
            for column, names in class_labels(config).items()
        }
        assert text.endswith("}\n")


def test_the_committed_sources_build_to_the_committed_files(corpus_copy: Path) -> None:
    """Pinned writer settings and card: the same sources give byte-identical files."""
    build_corpus(corpus_copy)
    assert _built(corpus_copy) == _built(CORPUS)


def test_the_default_corpus_is_the_folder_corpus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _corpus(tmp_path, [0])
    monkeypatch.chdir(tmp_path)
    result = build_corpus()
    assert Path("corpus", "README.md") in result.written
    assert (tmp_path / "corpus" / "LICENSE.md").is_file()


def test_the_build_does_not_depend_on_the_locale_or_hash_seed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a process with an ASCII locale, every file is read and written as UTF-8 all the same."""
    here = _corpus(tmp_path / "here", [0, 1])
    there = _corpus(tmp_path / "there", [0, 1])
    build_corpus(here)
    package = Path(sahel_corpus.__file__).parents[1]  # the code under test, not an installed copy
    monkeypatch.setenv("PYTHONPATH", str(package))
    ascii_locale = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    for name, value in ascii_locale.items():
        monkeypatch.setenv(name, value)
    code = (
        "import locale, sys\n"
        "from sahel_corpus.build import build_corpus\n"
        f"build_corpus({str(there)!r})\n"
        "print(locale.getpreferredencoding(False))\n"
    )
    assert in_fresh_process(code).strip() != "UTF-8"
    assert _built(there) == _built(here)


# -- rebuilds, stale files, check mode, progress ------------------------------------------------


def test_a_rebuild_changes_nothing(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, list(range(5)))
    first = build_corpus(corpus)
    files = _built(corpus)
    again = build_corpus(corpus)
    assert (again.written, again.removed, again.changed) == ([], [], [])
    assert sorted(again.unchanged) == sorted(first.written)
    assert _built(corpus) == files
    assert build_corpus(corpus, check=True).changed == []


def test_stale_data_files_are_removed_and_their_empty_folders(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, list(range(5)))
    build_corpus(corpus)
    files = _built(corpus)
    data = corpus / "data"
    stale = [
        data / "ner" / "validation-0123456789abcdef.parquet",
        data / "old" / "train-0123456789abcdef.parquet",
        data / "older" / "test-0123456789abcdef.parquet",
    ]
    kept = [data / "ner" / "notes.txt", data / "older" / "notes.txt"]
    for path in [*stale, *kept]:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"stale")
    checked = build_corpus(corpus, check=True)
    assert (checked.removed, checked.written) == (sorted(stale), [])
    assert checked.changed == sorted(stale)
    assert all(p.is_file() for p in stale)  # check removes nothing
    result = build_corpus(corpus)
    assert (result.removed, result.written) == (sorted(stale), [])
    assert not any(p.exists() for p in stale)
    assert not (data / "old").exists()
    assert all(p.is_file() for p in kept)
    assert {k: v for k, v in _built(corpus).items() if not k.endswith("notes.txt")} == files


def test_check_writes_nothing_and_lists_what_would_change(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, list(range(5)))
    card = (corpus / "README.md").read_bytes()
    steps: list[str] = []
    checked = build_corpus(corpus, check=True, progress=steps.append)
    assert steps == [*CONFIGS, "card", "compared"]
    assert not (corpus / "data").exists() and not (corpus / "LICENSE.md").exists()
    assert (corpus / "README.md").read_bytes() == card
    assert (checked.unchanged, checked.removed) == ([], [])
    built = build_corpus(corpus)
    assert checked.written == built.written
    assert corpus / "README.md" in checked.written


def test_progress_reports_every_step(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, [0])
    steps: list[str] = []
    build_corpus(corpus, progress=steps.append)
    assert steps == [*CONFIGS, "card", "written"]
    assert len(steps) == BUILD_STEPS


def test_a_source_change_replaces_only_the_changed_files(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, list(range(5)))
    build_corpus(corpus)
    before = _built(corpus)

    def relabel(data: dict[str, Any]) -> None:
        data["mentions"][0]["level"] = "NOM"

    _edit(corpus, "syn_002", relabel)
    result = build_corpus(corpus)
    after = _built(corpus)
    gone = sorted(corpus / k for k in set(before) - set(after))
    new = sorted(corpus / k for k in set(after) - set(before))
    assert result.removed == gone and {p.parent.name for p in gone} == {"documents", "mentions"}
    assert sorted(result.written) == sorted([*new, corpus / "README.md"])
    assert len(result.unchanged) == len(before) - len(gone) - 1


class _Crash(Exception):
    """A failure while writing."""


def test_a_failed_build_leaves_the_previous_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _corpus(tmp_path, list(range(5)))
    build_corpus(corpus)
    labels = corpus / "data" / "ner" / LABELS_FILE
    labels.write_text("{}\n", encoding="utf-8")  # exists and differs: rewritten, not created
    before = _built(corpus)

    def relabel(data: dict[str, Any]) -> None:
        data["mentions"][0]["level"] = "NOM"

    _edit(corpus, "syn_002", relabel)
    writes: list[Path] = []

    def write(path: Path, data: bytes | str, *, mkdir: bool = False) -> Path:
        writes.append(path)
        if path.name == "README.md":
            raise _Crash("disk full")
        return write_atomic(path, data, mkdir=mkdir)

    monkeypatch.setattr(build, "write_atomic", write)
    with pytest.raises(_Crash):
        build_corpus(corpus)
    new = [p for p in writes if p.suffix == ".parquet"]
    assert len(new) == 2  # the documents and mentions files of the new build were written
    assert _built(corpus) == {**before, labels.relative_to(corpus).as_posix(): labels.read_bytes()}
    assert json.loads(labels.read_text(encoding="utf-8")) != {}


def test_the_rollback_bears_a_new_file_already_gone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _corpus(tmp_path, [0])

    def write(path: Path, data: bytes | str, *, mkdir: bool = False) -> Path:
        if path.name == "README.md":
            next((corpus / "data" / "ner").glob("*.parquet")).unlink()
            raise _Crash("disk full")
        return write_atomic(path, data, mkdir=mkdir)

    monkeypatch.setattr(build, "write_atomic", write)
    with pytest.raises(_Crash):
        build_corpus(corpus)
    assert data_files(corpus) == []


# -- the card -----------------------------------------------------------------------------------


def test_the_card_tells_documents_and_unrecorded_metadata(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, list(range(5)))
    url, date = "https://example.org/a", "2024-01-02"
    _edit(corpus, "syn_000", _meta(url=url, published=date, annotators=["zed", "amy"]))
    _edit(corpus, "syn_001", _meta(url=url))
    _edit(corpus, "syn_002", _meta(published=date, title="Gao & Kidal: “<news>”"))
    build_corpus(corpus)
    card = _card(corpus)
    assert _unrecorded(card) == ["syn_001", "syn_002", "syn_003", "syn_004"]
    assert _table_row(card, "`syn_000`")[3:5] == [date, url]
    assert _table_row(card, "`syn_001`")[3:5] == ["not recorded", url]
    assert _table_row(card, "`syn_002`")[1:5] == [
        "Gao & Kidal: “<news>”",
        "Example Press",
        date,
        "not recorded",
    ]
    assert _table_row(card, "`syn_003`")[5:] == ["CC-BY-4.0", "gold"]
    assert "The annotation files name their annotators: `amy`, `tester`, `zed`." in card
    assert _instances(card)["documents"]["title"] == "Wagner Leaves Ber Base"


def test_a_card_with_every_date_and_address_explains_nothing(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, [0, 1])
    for doc_id in ("syn_000", "syn_001"):
        _edit(corpus, doc_id, _meta(url="https://example.org", published="2024"))
    build_corpus(corpus)
    assert '"not recorded"' not in _card(corpus)


def test_the_instances_show_the_first_row_of_train_as_ids_unescaped(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, list(range(7)))
    _edit(corpus, "syn_000", _meta(title="Ségou “news”"))
    build_corpus(corpus)
    card = _card(corpus)
    shown = _instances(card)
    docs = read_documents(corpus)
    for config in ("ner", "mentions", "relations", "stance"):
        first = split_rows(config, docs)["train"][0]
        assert (shown[config]["id"], shown[config]["fold"]) == (first["id"], first["fold"])
    ner = split_rows("ner", docs)["train"][0]
    names = features("ner")["ner_tags"].feature.names
    assert shown["ner"]["ner_tags"] == [names.index(t) for t in ner["ner_tags"]][:8]
    assert shown["documents"]["title"] == "Ségou “news”"
    assert '"title": "Ségou “news”"' in card


def test_without_rows_in_train_the_instance_comes_from_the_next_split(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, [4, 5, 6, 8, 15])  # folds 4, 4, 3, 3, 4
    build_corpus(corpus)
    docs = read_documents(corpus)
    by_split = split_rows("ner", docs)
    assert not by_split["train"] and by_split["validation"] and by_split["test"]
    shown = _instances(_card(corpus))
    assert shown["ner"]["id"] == by_split["validation"][0]["id"]
    assert shown["ner"]["document_id"] == "syn_006"


def test_the_baselines_section_is_carried_over(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, [0])
    (corpus / "README.md").write_text(
        "old card\n<!-- baselines:start -->\n| model | F1 |\n<!-- baselines:end -->\n",
        encoding="utf-8",
    )
    build_corpus(corpus)
    assert get_section(_card(corpus), "baselines") == "| model | F1 |"


def test_without_a_card_the_baselines_are_not_computed_yet(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, [0])
    (corpus / "README.md").unlink()
    build_corpus(corpus)
    card = _card(corpus)
    assert get_section(card, "baselines") == (
        "Not computed yet: run `sahel-corpus baselines all --update-docs`."
    )
    assert card.endswith("\n") and not card.endswith("\n\n\n")


def test_the_licence_lists_each_text_and_every_annotation_licence(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path, [0, 1, 2])
    _edit(corpus, "syn_000", _meta(annotation_licence="CC0-1.0", publisher="Gao Post"))
    _edit(corpus, "syn_001", _meta(text_licence="all rights reserved"))
    build_corpus(corpus)
    licence = (corpus / "LICENSE.md").read_text(encoding="utf-8")
    assert "under the licence(s) CC-BY-4.0, CC0-1.0:" in licence
    assert _table_row(licence, "`syn_000`")[1:] == ["Gao Post", "CC-BY-4.0"]
    assert _table_row(licence, "`syn_001`")[1:] == ["Example Press", "all rights reserved"]
    assert "<https://github.com/sahel-corpus/sahel-corpus>" in licence
    assert licence.endswith("every config.\n")


# -- agreement between passes -------------------------------------------------------------------


def _pass_corpus(tmp_path: Path, layer_passes: int, event_passes: int, events: bool) -> Path:
    """``syn_000`` with passes a, b, c... (with ``events``, as schema 1.1 files with events)
    and event passes events-a, events-b...; ``syn_001`` with one pass of each kind."""
    corpus = _corpus(tmp_path, [0, 1])
    gold = read_annotation(corpus / "sources" / "documents" / "syn_000.json")
    layers = _with_events(gold) if events else gold
    for i in range(layer_passes):
        data = json.loads(json.dumps(layers))
        if i == 1:
            data["entities"][1]["type"] = "LOC"  # the passes disagree on one mention's type
        _write_pass(corpus, "syn_000", "abc"[i], data)
    for i in range(event_passes):
        data = _with_events(gold)
        if i == 1:
            data["events"][0]["realis"] = "GENERIC"
        _write_pass(corpus, "syn_000", f"events-{'abc'[i]}", data)
    other = read_annotation(corpus / "sources" / "documents" / "syn_001.json")
    _write_pass(corpus, "syn_001", "a", other)
    _write_pass(corpus, "syn_001", "events-a", other)
    return corpus


def _passes(corpus: Path, *names: str) -> list[Any]:
    folder = corpus / "sources" / "passes"
    return [read_document(folder / f"syn_000.{n}.json") for n in names]


def test_agreement_compares_the_first_two_layer_and_event_passes(tmp_path: Path) -> None:
    corpus = _pass_corpus(tmp_path, layer_passes=3, event_passes=3, events=False)
    results = agreement_results(corpus, read_documents(corpus))
    assert len(results) == 1  # syn_001 has one pass of each kind
    got = results[0]
    a, b = _passes(corpus, "a", "b")
    ea, eb = _passes(corpus, "events-a", "events-b")
    assert got["document"] == "syn_000"
    assert got["mentions"] == agreement(a, b)["mentions"]
    assert got["mentions"]["all"] != agreement(a, a)["mentions"]["all"]
    assert got["events"] == event_scores([(ea, eb)]) != event_scores([(ea, ea)])
    assert got["event_passes"] == "events-a and events-b"
    build_corpus(corpus)
    assert render_agreement(results) in _card(corpus)


def test_two_layer_passes_with_one_event_pass_give_no_event_agreement(tmp_path: Path) -> None:
    corpus = _pass_corpus(tmp_path, layer_passes=2, event_passes=1, events=False)
    (got,) = agreement_results(corpus, read_documents(corpus))
    assert got["document"] == "syn_000"
    assert "events" not in got and "event_passes" not in got


def test_the_events_of_layer_passes_are_not_the_event_agreement(tmp_path: Path) -> None:
    corpus = _pass_corpus(tmp_path, layer_passes=2, event_passes=0, events=True)
    (got,) = agreement_results(corpus, read_documents(corpus))
    assert "events" in agreement(*_passes(corpus, "a", "b"))
    assert "events" not in got


def test_two_event_passes_without_layer_passes_give_nothing(tmp_path: Path) -> None:
    corpus = _pass_corpus(tmp_path, layer_passes=1, event_passes=2, events=False)
    assert agreement_results(corpus, read_documents(corpus)) == []
    build_corpus(corpus)
    assert "`):\n\nNo document has two independent passes yet.\n\n" in _card(corpus)


def test_the_card_names_the_folds_of_each_split_in_number(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _corpus(tmp_path, [0])
    build_corpus(corpus)
    assert "(`train` folds 0, 1, 2, `validation` fold 3, `test` fold 4)" in _card(corpus)
    two = {"train": (0, 1), "validation": (2,), "test": (3, 4)}
    monkeypatch.setattr(build, "SPLIT_FOLDS", two)  # the wording follows the table
    build_corpus(corpus)
    assert "(`train` folds 0, 1, `validation` fold 2, `test` folds 3, 4)" in _card(corpus)


# -- the parts of the card and of the files -----------------------------------------------------


def test_type_names_in_words() -> None:
    type_name = build._type_name
    assert type_name(Value("int32")) == "int32"
    assert type_name(ClassLabel(names=["a"])) == "ClassLabel"
    assert type_name(List(List(Value("string")))) == "list of list of string"
    assert type_name(List(ClassLabel(names=["a"]))) == "list of ClassLabel"
    assert type_name({"a": Value("string")}) == "struct"
    assert type_name(Array2D(shape=(1, 2), dtype="int32")) == "Array2D"


def test_every_column_is_listed_with_its_type() -> None:
    fields = render_fields()
    parts = fields.split("\n\n`")
    assert [p.lstrip("`").split("`", 1)[0] for p in parts] == list(CONFIGS)
    assert fields.startswith("`documents`:\n\n| column | type | meaning |\n")
    ner = parts[list(CONFIGS).index("ner")]
    assert _table_row(ner, "`tokens`")[1] == "list of string"
    assert _table_row(ner, "`ner_tags`")[1] == "list of ClassLabel"
    assert _table_row(ner, "`fold`")[1] == "int32"
    documents = parts[0]
    assert _table_row(documents, "`zones`")[1] == "list of struct"
    assert _table_row(documents, "`status`")[1] == "ClassLabel"
    for config, part in zip(CONFIGS, parts, strict=True):
        assert len(part.splitlines()) == 4 + len(features(config))


def test_each_label_table_is_given_once_and_shared_ones_point_to_it() -> None:
    text = render_labels()
    seen: dict[tuple[str, ...], str] = {}
    for config in CONFIGS:
        for column, names in class_labels(config).items():
            where = f"`{config}.{column}`"
            if tuple(names) in seen:
                assert f"{where}: the same labels as {seen[tuple(names)]}." in text
            else:
                seen[tuple(names)] = where
                table = "\n".join(f"| {i} | `{n}` |" for i, n in enumerate(names))
                assert f"{where}:\n\n| id | label |\n|---|---|\n{table}" in text
    assert text.count("| id | label |") == len(seen) < sum(len(class_labels(c)) for c in CONFIGS)


def test_instances_are_cut_for_display() -> None:
    examples: dict[str, dict[str, Any]] = {name: {} for name in CONFIGS}
    examples["ner"] = {"text": "x" * 81, "tokens": list("abcdefghi"), "fold": 1}
    examples["documents"] = {"title": "Ségou"}
    shown = render_instances(examples)
    assert '  "text": "' + "x" * 80 + '…",\n' in shown
    assert '  "tokens": ["a", "b", "c", "d", "e", "f", "g", "h", "…"],\n' in shown
    assert '  "fold": 1\n}' in shown
    assert '  "title": "Ségou"' in shown
    assert shown.count("```json\n{\n\n}\n```") == len(CONFIGS) - 2


@pytest.mark.parametrize(
    ("value", "depth", "cut"),
    [
        ("x" * 80, 0, "x" * 80),
        ("x" * 81, 0, "x" * 80 + "…"),
        (list(range(8)), 0, list(range(8))),
        (list(range(9)), 0, [*range(8), "…"]),
        ([], 0, []),
        ([{"a": 1}, {"a": 2}], 0, [{"a": 1}, {"a": 2}]),
        ([{"a": 1}, {"a": 2}, {"a": 3}], 0, [{"a": 1}, {"a": 2}, "…"]),
        ([[0, 1], [0, 1, 2]], 0, [[0, 1], [0, 1, "…"]]),
        ({"k": list(range(3))}, 0, {"k": [0, 1, "…"]}),
        ({"k": "y" * 81}, 0, {"k": "y" * 80 + "…"}),
        (list(range(3)), 1, [0, 1, "…"]),
        ([list(range(3))], 1, [[0, 1, "…"]]),
        ({"k": list(range(3))}, 1, {"k": [0, 1, "…"]}),
        ({"k": [{"a": list(range(3))}]}, 0, {"k": [{"a": [0, 1, "…"]}]}),
        (7, 0, 7),
    ],
)
def test_values_are_cut_at_their_limits(value: Any, depth: int, cut: Any) -> None:
    assert build._short(value, depth) == cut


def test_a_template_fails_on_a_value_it_is_not_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "t.md").write_text("{{ given }} & {{ missing }}\n", "utf-8")

    class Files:
        @staticmethod
        def files(package: str) -> Path:
            assert package == "sahel_corpus"
            return tmp_path

    monkeypatch.setattr(build, "resources", Files)
    template = build._template("t.md")
    import jinja2

    with pytest.raises(jinja2.UndefinedError):
        template.render(given="<a>")
    assert template.render(given="<a>", missing="b") == "<a> & b\n"


#: ClassLabels at every depth a row can hold them, beside columns without one.
NESTED = Features(
    {
        "label": ClassLabel(names=["a", "b"]),
        "plain": Value("string"),
        "tags": List(ClassLabel(names=["x", "y"])),
        "large": LargeList(ClassLabel(names=["x", "y"])),
        "items": List({"role": ClassLabel(names=["p", "q"]), "name": Value("string")}),
        "struct": {"kind": ClassLabel(names=["k", "l"]), "note": Value("string")},
        "both": {"k1": ClassLabel(names=["k", "l"]), "k2": ClassLabel(names=["m", "n"])},
        "strings": List(Value("string")),
        "plain_struct": {"n": Value("int32")},
    }
)
NESTED_ROWS: list[dict[str, Any]] = [
    {
        "label": "b",
        "plain": "s",
        "tags": ["y", "x"],
        "large": ["y"],
        "items": [{"role": "q", "name": "n"}, {"role": "p", "name": None}],
        "struct": {"kind": "l", "note": "t"},
        "both": {"k1": "l", "k2": "m"},
        "strings": ["u"],
        "plain_struct": {"n": 3},
        "extra": "not a column",
    },
    dict.fromkeys(NESTED),
    {
        "label": 1,
        "plain": "",
        "tags": [],
        "large": [],
        "items": [{"role": None, "name": "m"}],
        "struct": {"kind": None},
        "both": {"k1": None, "k2": "n"},
        "strings": [],
        "plain_struct": {"n": None},
    },
]


def test_a_table_encodes_rows_as_features_encode_example_does() -> None:
    table = encode_table(NESTED_ROWS, NESTED)
    assert table.to_pylist() == [NESTED.encode_example(r) for r in NESTED_ROWS]
    assert table.to_pylist()[0]["both"] == {"k1": 1, "k2": 0}
    plain = Features({"s": Value("string"), "d": {"n": Value("int32")}})
    rows: list[dict[str, Any]] = [{"s": "a", "d": {"n": 1}, "extra": 2}, {"s": None, "d": None}]
    assert encode_table(rows, plain).to_pylist() == [plain.encode_example(r) for r in rows]


@pytest.mark.parametrize(("value", "expected"), [(" b ", 1), ("1", 1), (0, 0), (-1, -1)])
def test_a_label_that_is_not_a_name_is_encoded_as_the_classlabel_encodes_it(
    value: Any, expected: int
) -> None:
    feats = Features({"label": ClassLabel(names=["a", "b"])})
    assert feats.encode_example({"label": value}) == {"label": expected}
    assert encode_table([{"label": value}], feats).to_pylist() == [{"label": expected}]


@pytest.mark.parametrize("value", ["c", "2", 2])
def test_a_label_the_classlabel_refuses_is_refused(value: Any) -> None:
    feats = Features({"label": ClassLabel(names=["a", "b"])})
    with pytest.raises(ValueError):
        feats.encode_example({"label": value})
    with pytest.raises(ValueError):
        encode_table([{"label": value}], feats)


def test_a_table_keeps_its_features_in_sorted_metadata() -> None:
    feats = features("mentions")
    table = encode_table([], feats)
    assert table.schema.remove_metadata() == feats.arrow_schema.remove_metadata()
    meta = table.schema.metadata[b"huggingface"].decode("utf-8")
    assert json.loads(meta) == {"info": {"features": feats.to_dict()}}
    assert meta == json.dumps(json.loads(meta), sort_keys=True)


def test_the_parquet_settings() -> None:
    meta = pq.ParquetFile(pa.BufferReader(parquet_bytes(pa.table({"x": [1, 2, 2]})))).metadata
    column = meta.row_group(0).column(0)
    assert (column.compression, column.statistics.has_min_max) == ("ZSTD", True)
    assert "RLE_DICTIONARY" in column.encodings
    big = pa.table({"x": list(range(100_001))})
    assert pq.ParquetFile(pa.BufferReader(parquet_bytes(big))).metadata.num_row_groups == 2
    exact = pa.table({"x": list(range(100_000))})
    assert pq.ParquetFile(pa.BufferReader(parquet_bytes(exact))).metadata.num_row_groups == 1
