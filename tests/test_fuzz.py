"""Property-based fuzzing: mutated annotation, text and tool files through every reading command.

Hypothesis mutates a valid document (its JSON tree, its bytes, its text) and
the same document exported to brat, Label Studio, XMI and CoNLL, then runs
each command that reads such a file. Whatever the input, the command ends
with exit status 0 or 1 (2 for a usage error), never an uncaught exception,
and every input file is byte-identical afterwards unless writing it was the
command's job and it succeeded, in which case the result is valid.

``HYPOTHESIS_PROFILE=deep`` runs many more examples than the default.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _paths import CORPUS, FIXTURES
from sahel_corpus.baselines.pipeline import Extractor
from sahel_corpus.cli import main
from sahel_corpus.sources import read_documents
from sahel_corpus.validate import validate_file

settings.register_profile(
    "default",
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "deep",
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile(__import__("os").environ.get("HYPOTHESIS_PROFILE", "default"))

MINI = json.loads((FIXTURES / "valid" / "mini.json").read_text(encoding="utf-8"))
MINI_TEXT = (FIXTURES / "valid" / "mini.txt").read_bytes()

# -- running a command ------------------------------------------------------------------------


def run(argv: list[str]) -> tuple[int, str, str]:
    """Run the command line in process; an uncaught exception fails the test."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exit_:  # argparse
            code = int(exit_.code or 0)
    assert code in (0, 1, 2), (argv, code, err.getvalue())
    assert "Traceback" not in err.getvalue()
    return code, out.getvalue(), err.getvalue()


def snapshot(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def assert_unchanged(before: dict[Path, bytes], allowed: tuple[Path, ...] = ()) -> None:
    for path, content in before.items():
        if path not in allowed:
            assert path.is_file() and path.read_bytes() == content, f"{path} changed"


# -- strategies ---------------------------------------------------------------------------------

JSON_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.integers(min_value=10**18, max_value=10**30),
    st.sampled_from([0.0, 1.0, 2.5, -0.0, float("nan"), float("inf")]),
    st.text(max_size=12),
    st.sampled_from(
        ["", " ", "AUTHOR", "e1", "m1", "s2", "z1", "NAM", "ORG", "\u0301", "\x00", "\ud800"]
    ),
    st.lists(st.sampled_from(["s1", "s2", "e1", 3, None]), max_size=3),
    st.fixed_dictionaries({"entity": st.sampled_from(["e1", "e99", ""])}),
    st.just({}),
)


#: Characters that break a string: surrogates, controls, combining marks, separators.
SPOILERS = st.sampled_from(
    ["\ud800", "\udfff", "\x00", "\r", "\n", "\t", "\u0301", "\ufeff", " ", ";", "=", ",", "é"]
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, (*prefix, i))


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    node = data
    for key in path[:-1]:
        node = node[key]
    return node


@st.composite
def mutated_tree(draw: st.DrawFn, base: Any) -> Any:
    """``base`` after one to three random edits of its JSON tree."""
    data = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent, key = _parent(data, path), path[-1]
        op = draw(st.sampled_from(["replace", "delete", "duplicate", "nudge", "spoil"]))
        if op == "replace":
            parent[key] = draw(JSON_VALUES)
        elif op == "delete":
            del parent[key]
        elif op == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
        elif op == "nudge" and isinstance(parent[key], int) and not isinstance(parent[key], bool):
            parent[key] += draw(st.integers(-3, 3))
        elif op == "spoil" and isinstance(parent[key], str):
            at = draw(st.integers(0, len(parent[key])))
            parent[key] = parent[key][:at] + draw(SPOILERS) + parent[key][at:]
    return data


@st.composite
def mutated_bytes(draw: st.DrawFn, base: bytes) -> bytes:
    """``base`` with a truncation, an insertion or flipped bytes."""
    raw = bytearray(base)
    op = draw(st.sampled_from(["truncate", "insert", "flip"]))
    at = draw(st.integers(0, len(raw)))
    if op == "truncate":
        return bytes(raw[:at])
    if op == "insert":
        extra = draw(
            st.one_of(
                st.binary(min_size=1, max_size=4),
                st.sampled_from([b"\r", b"\r\n", b"\xef\xbb\xbf", b"\x00", b"\xcc\x81", b"\xff"]),
            )
        )
        return bytes(raw[:at] + extra + raw[at:])
    for i in draw(st.lists(st.integers(0, max(len(raw) - 1, 0)), min_size=1, max_size=3)):
        if raw:
            raw[i] ^= draw(st.integers(1, 255))
    return bytes(raw)


def dumps(data: Any) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=True) + "\n").encode("ascii")


ANNOTATION = st.one_of(mutated_tree(MINI).map(dumps), mutated_bytes(dumps(MINI)))


# -- fixtures -----------------------------------------------------------------------------------


def _mini_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "doc"
    folder.mkdir()
    (folder / "mini.txt").write_bytes(MINI_TEXT)
    (folder / "mini.json").write_bytes(dumps(MINI))
    return folder


def _fresh(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


# -- annotation files -----------------------------------------------------------------------------


@given(raw=ANNOTATION)
def test_reading_commands_survive_mutated_annotation(tmp_path: Path, raw: bytes) -> None:
    work = _fresh(tmp_path, "work")
    (work / "mini.txt").write_bytes(MINI_TEXT)
    bad = work / "mini.json"
    bad.write_bytes(raw)
    good = _mini_folder(_fresh(tmp_path, "good"))
    before = snapshot(tmp_path)
    code, _, _ = run(["validate", str(bad)])
    valid = code == 0
    run(["agree", str(good / "mini.json"), str(bad)])
    run(["diff", str(good / "mini.json"), str(bad)])
    run(["show", str(bad), "-o", str(work / "page.html")])
    run(["export", str(bad), "--format", "brat", "-o", str(work / "brat")])
    assert_unchanged(before)
    if not valid:
        assert not (work / "page.html").exists() and not (work / "brat").exists()


@given(raw=mutated_bytes(MINI_TEXT))
def test_reading_commands_survive_a_mutated_text(tmp_path: Path, raw: bytes) -> None:
    work = _fresh(tmp_path, "work")
    (work / "mini.txt").write_bytes(raw)
    data = copy.deepcopy(MINI)
    data["document"]["text_sha256"] = __import__("hashlib").sha256(raw).hexdigest()
    (work / "mini.json").write_bytes(dumps(data))
    before = snapshot(tmp_path)
    run(["validate", str(work / "mini.json")])
    run(["show", str(work / "mini.json"), "-o", str(work / "page.html")])
    assert_unchanged(before)


@pytest.fixture(scope="module")
def trained() -> Extractor:
    return Extractor.train(read_documents(CORPUS))


@given(raw=mutated_bytes(MINI_TEXT))
def test_new_and_extract_refuse_or_accept_a_mutated_text_without_harm(
    tmp_path: Path, raw: bytes, trained: Extractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        Extractor, "train", classmethod(lambda cls, docs, seed=0, **kwargs: trained)
    )
    corpus = _fresh(tmp_path, "corpus")
    shutil.copytree(CORPUS / "sources", corpus / "sources")
    source = _fresh(tmp_path, "in") / "article.txt"
    source.write_bytes(raw)
    out = _fresh(tmp_path, "out")
    before = snapshot(tmp_path)
    code, _, _ = run(["extract", str(source), "-o", str(out), "--corpus", str(corpus)])
    if code == 0:
        assert validate_file(out / "article.json") == []
        assert (out / "article.txt").read_bytes() == raw
    else:
        assert not any(out.iterdir())
    args = ["--id", "n1", "--title", "t", "--publisher", "p", "--licence", "l"]
    code, _, _ = run(["new", str(source), *args, "--corpus", str(corpus)])
    created = corpus / "sources" / "documents" / "n1.json"
    if code == 0:
        assert validate_file(created) == []
    else:
        assert not created.exists()
    assert_unchanged(before)


# -- tool files ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The mini document exported to each tool format (as bytes)."""
    root = tmp_path_factory.mktemp("exported")
    doc = _mini_folder(root) / "mini.json"
    files: dict[str, bytes] = {}
    for fmt, name in (("brat", "mini.ann"), ("labelstudio", "mini.json"), ("conll", "mini.conll")):
        code, _, err = run(["export", str(doc), "--format", fmt, "-o", str(root / fmt)])
        assert code == 0, err
        files[fmt] = (root / fmt / name).read_bytes()
    return files


def _line_mutations(base: bytes) -> st.SearchStrategy[bytes]:
    lines = base.decode("utf-8").splitlines()

    @st.composite
    def mutate(draw: st.DrawFn) -> bytes:
        out = list(lines)
        for _ in range(draw(st.integers(1, 3))):
            op = draw(st.sampled_from(["drop", "duplicate", "edit", "garbage"]))
            if not out:
                break
            i = draw(st.integers(0, len(out) - 1))
            if op == "drop":
                del out[i]
            elif op == "duplicate":
                out.insert(i, out[i])
            elif op == "edit":
                fields = out[i].split("\t")
                j = draw(st.integers(0, len(fields) - 1))
                fields[j] = draw(
                    st.one_of(st.text(max_size=8), st.sampled_from(["0", "-1", "9999"]))
                )
                out[i] = "\t".join(fields)
            else:
                out.insert(i, draw(st.text(max_size=20)))
        return ("\n".join(out) + "\n").encode("utf-8", "surrogatepass")

    return mutate()


def _import_case(
    tmp_path: Path, fmt: str, name: str, raw: bytes, extra: Callable[[Path], list[str]]
) -> None:
    target = _mini_folder(_fresh(tmp_path, "target")) / "mini.json"
    tool = _fresh(tmp_path, "tool")
    (tool / name).write_bytes(raw)
    (tool / "mini.txt").write_bytes(MINI_TEXT)
    before = snapshot(tmp_path)
    argv = ["import", str(tool / name), "--format", fmt, "--into", str(target), *extra(tool)]
    code, _, _ = run(argv)
    if code == 0:
        assert validate_file(target) == []
        assert_unchanged(before, allowed=(target,))
    else:
        assert_unchanged(before)


@given(data=st.data())
def test_brat_import_never_harms_the_document(
    tmp_path: Path, exported: dict[str, bytes], data: st.DataObject
) -> None:
    raw = data.draw(st.one_of(_line_mutations(exported["brat"]), mutated_bytes(exported["brat"])))
    _import_case(tmp_path, "brat", "mini.ann", raw, lambda tool: [])


@given(data=st.data())
def test_labelstudio_import_never_harms_the_document(
    tmp_path: Path, exported: dict[str, bytes], data: st.DataObject
) -> None:
    base = json.loads(exported["labelstudio"])
    raw = data.draw(
        st.one_of(mutated_tree(base).map(dumps), mutated_bytes(exported["labelstudio"]))
    )
    _import_case(tmp_path, "labelstudio", "mini.json", raw, lambda tool: [])


@pytest.fixture(scope="module")
def xmi_files() -> tuple[bytes, bytes]:
    from badinput import _gold_xmi

    xmi, typesystem = _gold_xmi(MINI, FIXTURES / "valid" / "mini.txt")
    return xmi.encode("utf-8"), typesystem.encode("utf-8")


@given(data=st.data())
def test_xmi_import_never_harms_the_document(
    tmp_path: Path, xmi_files: tuple[bytes, bytes], data: st.DataObject
) -> None:
    xmi, typesystem = xmi_files
    raw = data.draw(mutated_bytes(xmi))

    def extra(tool: Path) -> list[str]:
        (tool / "TypeSystem.xml").write_bytes(typesystem)
        return ["--typesystem", str(tool / "TypeSystem.xml"), "--drop", "stances"]

    _import_case(tmp_path, "xmi", "doc.xmi", raw, extra)


@given(data=st.data())
def test_conll_baselines_survive_mutated_files(
    tmp_path: Path, exported: dict[str, bytes], data: st.DataObject
) -> None:
    base = exported["conll"] * 3
    raw = data.draw(st.one_of(_line_mutations(base), mutated_bytes(base)))
    work = _fresh(tmp_path, "work")
    (work / "data.conll").write_bytes(raw)
    before = snapshot(work)
    run(
        [
            "baselines",
            "ner",
            "--conll",
            str(work / "data.conll"),
            "--folds",
            "2",
            "--output",
            str(tmp_path / "out"),
        ]
    )
    assert_unchanged(before)
