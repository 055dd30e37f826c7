"""A catalogue of bad (and a few good) inputs for every command that reads a file.

Each :class:`Case` prepares its input in a fresh copy of a workspace (the
corpus, the first document exported to every tool format, a new article)
and names the command to run, the files that must stay byte-identical, and
the files the command may rewrite when it succeeds. :func:`classify` turns
what happened into one outcome:

* ``clean error``: exit status 1 (2 for a usage error) with a message that
  names the input file, no traceback, every protected file unchanged;
* ``unclear error``: the same, but the message does not name the file;
* ``accepted, valid``: exit status 0 on input that is valid;
* ``accepted silently``: exit status 0 on input that is not;
* ``traceback``: an uncaught exception;
* ``data lost``: a protected file changed (or was removed) other than by a
  successful run whose job it was to write it;
* ``hang``: no answer within the time limit.

The catalogue runs in process (``tests/test_badinput.py``, one test per
case) and as separate processes against any installed ``sahel-corpus``
(``tests/badinput_report.py``), which prints the table of outcomes. It uses
nothing of the package but its command line and public loaders, so it can
measure an older version as well.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DOC_ID = "000_b8e6d3e9cdabb873"
ARTICLE = (
    "Army Says Six Soldiers Killed Near Gao\n\n"
    "The Malian army said on Monday that six soldiers were killed near Gao. "
    "The CMA accused Wagner of attacks in 2023.\n\n"
    "Advertisement"
)

OUTCOMES = (
    "clean error",
    "unclear error",
    "accepted, valid",
    "accepted silently",
    "traceback",
    "data lost",
    "hang",
)


@dataclass(frozen=True)
class Run:
    """What a case runs: a command line (``argv``) or a Python snippet (``api``)."""

    argv: list[str] | None = None
    api: str | None = None
    protected: list[Path] = field(default_factory=list)
    writes: list[Path] = field(default_factory=list)
    valid: bool = False
    #: A file whose name an error message must give (else the outcome is "unclear error").
    names: Path | None = None
    #: Text whose presence in the output means a wrong answer (such as "nan" in scores).
    bad_output: str | None = None


@dataclass(frozen=True)
class Case:
    name: str
    group: str
    make: Callable[[Path], Run]
    slow: bool = False


@dataclass(frozen=True)
class Result:
    code: int | None
    stdout: str
    stderr: str
    traceback: bool = False
    timeout: bool = False


# -- the workspace -----------------------------------------------------------------------------


def gold(ws: Path) -> Path:
    return ws / "corpus" / "sources" / "documents" / f"{DOC_ID}.json"


def gold_text(ws: Path) -> Path:
    return gold(ws).with_suffix(".txt")


def build_workspace(dest: Path, cli: Callable[[list[str], Path], Result]) -> Path:
    """Copy the corpus and export the first document to every tool format."""
    dest.mkdir(parents=True, exist_ok=True)
    corpus = dest / "corpus"
    for part in ("sources", "data"):
        shutil.copytree(REPO / "corpus" / part, corpus / part)
    shutil.copy(REPO / "corpus" / "README.md", corpus / "README.md")
    for fmt in ("brat", "labelstudio", "conll"):
        result = cli(["export", str(gold(dest)), "--format", fmt, "-o", f"tools/{fmt}"], dest)
        if result.code != 0:
            raise RuntimeError(f"export --format {fmt} failed: {result.stderr}")
    xmi, typesystem = _gold_xmi(json.loads(gold(dest).read_text("utf-8")), gold_text(dest))
    (dest / "tools" / "xmi").mkdir(parents=True)
    (dest / "tools" / "xmi" / "doc.xmi").write_text(xmi, encoding="utf-8")
    (dest / "tools" / "xmi" / "TypeSystem.xml").write_text(typesystem, encoding="utf-8")
    (dest / "article.txt").write_bytes(ARTICLE.encode("utf-8"))
    return dest


def _gold_xmi(data: dict[str, Any], text_path: Path) -> tuple[str, str]:
    """The gold document as an INCEpTION CAS: named entities, chains, relations, sentences."""
    import cassis

    ne_t = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
    sent_t = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence"
    rel_t = "webanno.custom.Relation"
    link_t = "de.tudarmstadt.ukp.dkpro.core.api.coref.type.CoreferenceLink"
    chain_t = "de.tudarmstadt.ukp.dkpro.core.api.coref.type.CoreferenceChain"
    ts = cassis.TypeSystem()
    ne = ts.create_type(ne_t)
    ts.create_feature(ne, "value", "uima.cas.String")
    ts.create_feature(ne, "identifier", "uima.cas.String")
    rel = ts.create_type(rel_t)
    ts.create_feature(rel, "Governor", ne_t)
    ts.create_feature(rel, "Dependent", ne_t)
    ts.create_feature(rel, "label", "uima.cas.String")
    ts.create_type(sent_t)
    link = ts.create_type(link_t)
    ts.create_feature(link, "next", link_t)
    ts.create_feature(link, "referenceType", "uima.cas.String")
    chain = ts.create_type(chain_t, supertypeName="uima.cas.AnnotationBase")
    ts.create_feature(chain, "first", link_t)
    cas = cassis.Cas(typesystem=ts)
    cas.sofa_string = text_path.read_text("utf-8")
    types = {e["id"]: e for e in data["entities"]}
    first: dict[str, Any] = {}
    links: dict[str, list[tuple[int, int, str]]] = {}
    for m in data["mentions"]:
        entity = types[m["entity"]]
        fs = ne(begin=m["start"], end=m["end"], value=entity["type"], identifier=entity["kb_id"])
        cas.add(fs)
        first.setdefault(m["entity"], fs)
        links.setdefault(m["entity"], []).append((m["start"], m["end"], m["level"]))
    for s in data["sentences"]:
        cas.add(ts.get_type(sent_t)(begin=s["start"], end=s["end"]))
    for r in data["relations"]:
        head, tail = first[r["head"]], first[r["tail"]]
        cas.add(
            ts.get_type(rel_t)(
                begin=tail.begin, end=tail.end, Governor=head, Dependent=tail, label=r["type"]
            )
        )
    for spans in links.values():
        if len(spans) < 2:
            continue
        nxt = None
        for begin, end, level in reversed(spans):
            nxt = ts.get_type(link_t)(begin=begin, end=end, next=nxt, referenceType=level)
            cas.add(nxt)
        cas.add(ts.get_type(chain_t)(first=nxt))
    return cas.to_xmi(), ts.to_xml()


def digest(paths: list[Path]) -> dict[str, str | None]:
    return {
        str(p): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else None for p in paths
    }


def classify(run: Run, result: Result, before: dict[str, str | None]) -> str:
    """The outcome of one run (see the module docstring)."""
    if result.timeout:
        return "hang"
    after = digest(run.protected)
    changed = {p for p in before if before[p] != after[p]}
    allowed = {str(p) for p in run.writes} if result.code == 0 else set()
    if changed - allowed:
        return "data lost"
    if result.traceback or result.code not in (0, 1, 2):
        return "traceback"
    output = result.stdout + result.stderr
    if result.code == 0:
        wrong = run.bad_output is not None and run.bad_output in output
        return "accepted, valid" if run.valid and not wrong else "accepted silently"
    if run.names is not None and run.names.name not in output:
        return "unclear error"
    return "clean error"


# -- helpers that make bad files ---------------------------------------------------------------


def _copy_doc(ws: Path, folder: str = "bad") -> tuple[Path, dict[str, Any]]:
    """A copy of the gold annotation and text in ``ws/<folder>``; return the JSON path and data."""
    dest = ws / folder
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(gold_text(ws), dest / f"{DOC_ID}.txt")
    path = dest / f"{DOC_ID}.json"
    shutil.copy(gold(ws), path)
    return path, json.loads(path.read_text("utf-8"))


def _dump(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _validate_json(edit: Callable[[dict[str, Any]], Any]) -> Callable[[Path], Run]:
    """Validate a copy of the gold file after ``edit`` changes its dictionary."""

    def make(ws: Path) -> Run:
        path, data = _copy_doc(ws)
        edit(data)
        _dump(path, data)
        return Run(["validate", str(path)], protected=[path, path.with_suffix(".txt")], names=path)

    return make


def _validate_raw(raw: bytes) -> Callable[[Path], Run]:
    def make(ws: Path) -> Run:
        path, _ = _copy_doc(ws)
        path.write_bytes(raw)
        return Run(["validate", str(path)], protected=[path], names=path)

    return make


def _validate_text(edit: Callable[[bytes], bytes]) -> Callable[[Path], Run]:
    """Validate a copy whose text file ``edit`` changed (checksum updated to match)."""

    def make(ws: Path) -> Run:
        path, data = _copy_doc(ws)
        txt = path.with_suffix(".txt")
        txt.write_bytes(edit(txt.read_bytes()))
        data["document"]["text_sha256"] = _sha(txt)
        _dump(path, data)
        return Run(["validate", str(path)], protected=[path, txt], names=txt)

    return make


def _set(*path_and_value: Any) -> Callable[[dict[str, Any]], None]:
    *keys, value = path_and_value

    def edit(data: dict[str, Any]) -> None:
        target: Any = data
        for k in keys[:-1]:
            target = target[k]
        target[keys[-1]] = value

    return edit


def _del(*keys: Any) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        target: Any = data
        for k in keys[:-1]:
            target = target[k]
        del target[keys[-1]]

    return edit


def _mention(data: dict[str, Any], text: str) -> dict[str, Any]:
    m: dict[str, Any] = next(m for m in data["mentions"] if m["text"] == text)
    return m


def _first_span_stance(data: dict[str, Any]) -> dict[str, Any]:
    s: dict[str, Any] = next(s for s in data["stances"] if "start" in s["target"])
    return s


def _shift_text(data: dict[str, Any], mention_text: str, ds: int, de: int, txt: str) -> None:
    m = _mention(data, mention_text)
    m["start"] += ds
    m["end"] += de
    m["text"] = txt


def _stance_target_inside_token(data: dict[str, Any]) -> None:
    target = _first_span_stance(data)["target"]
    target["start"] += 1
    target["text"] = target["text"][1:]


# -- corpus-level helpers ----------------------------------------------------------------------


def _corrupt_gold(ws: Path) -> Path:
    data = json.loads(gold(ws).read_text("utf-8"))
    data["mentions"][0]["start"] += 1
    _dump(gold(ws), data)
    return gold(ws)


def _corpus_files(ws: Path) -> list[Path]:
    corpus = ws / "corpus"
    return sorted(p for p in corpus.rglob("*") if p.is_file())


def _data_file(ws: Path, config: str) -> Path:
    return next((ws / "corpus" / "data" / config).glob("*.parquet"))


def _flip_bytes(path: Path, count: int = 64) -> Path:
    raw = bytearray(path.read_bytes())
    middle = len(raw) // 2
    for i in range(middle, middle + count):
        raw[i] ^= 0x55
    path.write_bytes(bytes(raw))
    return path


def _truncate(path: Path) -> Path:
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2])
    return path


def _build(edit: Callable[[Path], Path], check: bool = False) -> Callable[[Path], Run]:
    def make(ws: Path) -> Run:
        named = edit(ws)
        protected = [
            p for p in _corpus_files(ws) if "sources" not in p.parts or p.suffix != ".json"
        ]
        argv = ["build", "--corpus", str(ws / "corpus")] + (["--check"] if check else [])
        return Run(argv, protected=protected, names=named)

    return make


def _loader(
    snippet: str, edit: Callable[[Path], Path | None], valid: bool = False
) -> Callable[[Path], Run]:
    def make(ws: Path) -> Run:
        named = edit(ws)
        corpus = ws / "corpus"
        return Run(api=snippet.replace("CORPUS", repr(str(corpus))), valid=valid, names=named)

    return make


# -- tool-file helpers -------------------------------------------------------------------------


def _import(
    fmt: str, edit: Callable[[Path], Path], *extra: str, valid: bool = False, names: str = ""
) -> Any:
    """Import a (possibly edited) tool file ``--into`` the gold file.

    An error must name the tool file, or the file called ``names`` if given.
    """

    def make(ws: Path) -> Run:
        source = edit(ws)
        argv = ["import", str(source), "--format", fmt, "--into", str(gold(ws)), *extra]
        if fmt == "xmi" and "--typesystem" not in extra and "no-ts" not in source.name:
            argv += ["--typesystem", str(ws / "tools" / "xmi" / "TypeSystem.xml")]
        return Run(
            argv,
            protected=[gold(ws), gold_text(ws), source],
            writes=[gold(ws)],
            valid=valid,
            names=Path(names) if names else source,
        )

    return make


def _ann(ws: Path) -> Path:
    return ws / "tools" / "brat" / f"{DOC_ID}.ann"


def _ls(ws: Path) -> Path:
    return ws / "tools" / "labelstudio" / f"{DOC_ID}.json"


def _xmi(ws: Path) -> Path:
    return ws / "tools" / "xmi" / "doc.xmi"


def _conll(ws: Path) -> Path:
    return ws / "tools" / "conll" / f"{DOC_ID}.conll"


def _brat_edit(change: Callable[[str], str]) -> Callable[[Path], Path]:
    def edit(ws: Path) -> Path:
        path = _ann(ws)
        path.write_text(change(path.read_text("utf-8")), encoding="utf-8", newline="")
        return path

    return edit


def _brat_bytes(raw: bytes) -> Callable[[Path], Path]:
    def edit(ws: Path) -> Path:
        _ann(ws).write_bytes(raw)
        return _ann(ws)

    return edit


def _ls_edit(change: Callable[[Any], Any]) -> Callable[[Path], Path]:
    def edit(ws: Path) -> Path:
        path = _ls(ws)
        data = change(json.loads(path.read_text("utf-8")))
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return path

    return edit


def _ls_bytes(raw: bytes) -> Callable[[Path], Path]:
    def edit(ws: Path) -> Path:
        _ls(ws).write_bytes(raw)
        return _ls(ws)

    return edit


def _ls_results(change: Callable[[list[Any]], Any]) -> Callable[[Path], Path]:
    def outer(tasks: Any) -> Any:
        results = tasks[0]["annotations"][0]["result"]
        tasks[0]["annotations"][0]["result"] = change(results)
        return tasks

    return _ls_edit(outer)


def _first_labels(results: list[Any], control: str = "entity") -> dict[str, Any]:
    r: dict[str, Any] = next(
        r for r in results if r.get("from_name") == control and r["type"] == "labels"
    )
    return r


def _ls_meta_string(results: list[Any]) -> list[Any]:
    region = _first_labels(results)
    region["meta"] = {"text": "\n".join(region["meta"]["text"])}
    return results


def _xmi_bytes(raw: bytes, name: str = "doc.xmi") -> Callable[[Path], Path]:
    def edit(ws: Path) -> Path:
        path = ws / "tools" / "xmi" / name
        path.write_bytes(raw)
        return path

    return edit


def _keep(get: Callable[[Path], Path]) -> Callable[[Path], Path]:
    return get


# -- extract, new, preannotate -----------------------------------------------------------------


def _extract(content: bytes | None, *extra: str, valid: bool = False) -> Callable[[Path], Run]:
    def make(ws: Path) -> Run:
        source = ws / "input" / "article.txt"
        source.parent.mkdir(exist_ok=True)
        if content is not None:
            source.write_bytes(content)
        argv = ["extract", str(source), "-o", str(ws / "out"), "--corpus", str(ws / "corpus")]
        return Run([*argv, *extra], protected=[source], valid=valid, names=source)

    return make


def _extract_over_existing(ws: Path) -> Run:
    out = ws / "out"
    out.mkdir()
    existing = out / "article.json"
    existing.write_text('{"hours": "of annotation"}\n', encoding="utf-8")
    source = ws / "article.txt"
    return Run(
        ["extract", str(source), "-o", str(out), "--corpus", str(ws / "corpus")],
        protected=[existing, source],
        names=existing,
    )


def _extract_same_names(ws: Path) -> Run:
    for folder in ("a", "b"):
        (ws / folder).mkdir()
        shutil.copy(ws / "article.txt", ws / folder / "x.txt")
    argv = ["extract", str(ws / "a" / "x.txt"), str(ws / "b" / "x.txt"), "-o", str(ws / "out")]
    return Run(
        [*argv, "--corpus", str(ws / "corpus")], protected=[ws / "out" / "x.json"], names=ws / "b"
    )


def _extract_into_sources(ws: Path) -> Run:
    target = ws / "corpus" / "sources" / "documents"
    argv = ["extract", str(ws / "article.txt"), "-o", str(target), "--corpus", str(ws / "corpus")]
    return Run(argv, protected=[*_corpus_files(ws), target / "article.json"], names=target)


def _extract_directory(ws: Path) -> Run:
    (ws / "adir").mkdir()
    argv = ["extract", str(ws / "adir"), "-o", str(ws / "out"), "--corpus", str(ws / "corpus")]
    return Run(argv, names=ws / "adir")


def _new(*args: str, text: bytes | None = ARTICLE.encode(), valid: bool = False) -> Any:
    def make(ws: Path) -> Run:
        source = ws / "new.txt"
        if text is not None:
            source.write_bytes(text)
        argv = ["new", str(source), "--corpus", str(ws / "corpus")]
        given = dict(zip(args[::2], args[1::2], strict=True))
        defaults = {
            "--id": "001_gao",
            "--title": "Army Says Six Soldiers Killed",
            "--publisher": "Example Wire",
            "--licence": "CC-BY-4.0",
        }
        for key, value in {**defaults, **given}.items():
            argv += [key, value]
        return Run(argv, protected=_corpus_files(ws), valid=valid, names=None if args else source)

    return make


def _new_escape(ws: Path) -> Run:
    run = _new("--id", "../../../escaped")(ws)
    escaped = ws / "corpus" / "escaped.json"
    outside = (ws / "corpus" / "sources" / "documents" / "../../../escaped.json").resolve()
    return Run(run.argv, protected=[*run.protected, escaped, outside])


def _preannotate(edit: Callable[[dict[str, Any]], None]) -> Callable[[Path], Run]:
    """Preannotate a draft copy of the first document with its layers emptied, after ``edit``."""

    def make(ws: Path) -> Run:
        path = gold(ws).with_name("002_draft.json")
        shutil.copy(gold_text(ws), path.with_suffix(".txt"))
        data = json.loads(gold(ws).read_text("utf-8"))
        data["document"]["id"] = "002_draft"
        data["document"]["text_file"] = "002_draft.txt"
        for layer in ("entities", "mentions", "relations", "stances"):
            data[layer] = []
        data["document"]["status"] = "draft"
        edit(data)
        _dump(path, data)
        argv = ["preannotate", str(path), "--corpus", str(ws / "corpus")]
        return Run(argv, protected=[path, path.with_suffix(".txt")], names=path)

    return make


# -- baselines ---------------------------------------------------------------------------------


def _conll_file(ws: Path, content: bytes, name: str = "data.conll") -> Path:
    path = ws / name
    path.write_bytes(content)
    return path


def _baselines(*args: str, files: dict[str, bytes] | None = None) -> Callable[[Path], Run]:
    def make(ws: Path) -> Run:
        written = [_conll_file(ws, c, n) for n, c in (files or {}).items()]
        argv = ["baselines", *[a.replace("WS", str(ws)) for a in args]]
        argv += ["--output", str(ws / "baselines-output")]
        return Run(argv, protected=written, names=written[-1] if written else None)

    return make


def _hf_folder(ws: Path, columns: dict[str, Any], corrupt: bool = False) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = ws / "hf"
    (folder / "data").mkdir(parents=True)
    pq.write_table(pa.table(columns), folder / "data" / "train.parquet")
    if corrupt:
        _flip_bytes(folder / "data" / "train.parquet", 16)
    return folder


def _hf(columns: dict[str, Any], corrupt: bool = False) -> Callable[[Path], Run]:
    def make(ws: Path) -> Run:
        folder = _hf_folder(ws, columns, corrupt)
        argv = ["baselines", "ner", "--hf-dataset", str(folder)]
        files = _all(folder)
        out = str(ws / "baselines-output")
        return Run([*argv, "--output", out], protected=files, names=files[0] if corrupt else folder)

    return make


def _all(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def _dataset(edit: Callable[[Path], None]) -> Callable[[Path], Run]:
    def make(ws: Path) -> Run:
        edit(ws)
        argv = ["baselines", "ner", "--dataset", str(ws / "corpus")]
        return Run(
            [*argv, "--output", str(ws / "baselines-output")],
            protected=_corpus_files(ws),
            names=_data_file(ws, "documents"),
        )

    return make


# -- other reading commands --------------------------------------------------------------------


def _two_docs(
    command: str, edit_b: Callable[[Path, dict[str, Any]], None]
) -> Callable[[Path], Run]:
    def make(ws: Path) -> Run:
        a = gold(ws)
        b, data = _copy_doc(ws)
        edit_b(b, data)
        if data:
            _dump(b, data)
        return Run([command, str(a), str(b)], protected=[a, b], names=b)

    return make


def _other_text(path: Path, data: dict[str, Any]) -> None:
    txt = path.with_suffix(".txt")
    txt.write_bytes(ARTICLE.encode())
    data["document"]["text_sha256"] = _sha(txt)
    for layer in ("zones", "sentences", "entities", "mentions", "relations", "stances"):
        data[layer] = []


def _break(path: Path, data: dict[str, Any]) -> None:
    data["mentions"][0]["start"] = 0.0


def _remove(path: Path, data: dict[str, Any]) -> None:
    path.unlink()
    data.clear()


def _show(*extra: str, edit: Callable[[dict[str, Any]], None] | None = None) -> Any:
    def make(ws: Path) -> Run:
        path, data = _copy_doc(ws)
        if edit is not None:
            edit(data)
            _dump(path, data)
        out = [a.replace("WS", str(ws)) for a in extra]
        named = path if edit is not None or "--select" in extra else Path(out[1])
        return Run(["show", str(path), *out], protected=[path], names=named)

    return make


def _export(*extra: str, edit: Callable[[dict[str, Any]], None] | None = None) -> Any:
    def make(ws: Path) -> Run:
        path, data = _copy_doc(ws)
        if edit is not None:
            edit(data)
            _dump(path, data)
        args = [a.replace("WS", str(ws)) for a in extra]
        named = path if edit is not None else Path(args[-1])
        return Run(["export", str(path), *args], protected=[path], names=named)

    return make


def _file_as_output(ws: Path) -> None:
    (ws / "occupied").write_text("a file, not a folder\n", encoding="utf-8")


def _with(prepare: Callable[[Path], None], make: Callable[[Path], Run]) -> Callable[[Path], Run]:
    def wrapped(ws: Path) -> Run:
        prepare(ws)
        run = make(ws)
        return Run(run.argv, run.api, [*run.protected, *_all(ws / "occupied")], run.writes)

    return wrapped


# -- the catalogue -----------------------------------------------------------------------------

_NFD_TEXT = "Ma\u0316\u0301li".encode()
_DEEP = b"[" * 100_000 + b"]" * 100_000


def _raw_with_huge_int(ws: Path) -> Run:
    path, _ = _copy_doc(ws)
    text = path.read_text("utf-8")
    path.write_text(text.replace('"start": ', '"start": ' + "9" * 5000, 1), encoding="utf-8")
    return Run(["validate", str(path)], protected=[path])


def _empty_folder(ws: Path) -> Run:
    (ws / "empty").mkdir()
    return Run(["validate", str(ws / "empty")], names=ws / "empty")


def _folder_with_crash_and_error(ws: Path) -> Run:
    first, data = _copy_doc(ws, "mixed")
    data["mentions"][0]["start"] = 0.0
    _dump(first, data)
    second = first.with_name(f"{DOC_ID}.b.json")
    data = json.loads(gold(ws).read_text("utf-8"))
    data["mentions"][1]["text"] = "wrong"
    _dump(second, data)
    return Run(["validate", str(ws / "mixed")], protected=[first, second])


def _missing_corpus(command: str) -> Callable[[Path], Run]:
    def make(ws: Path) -> Run:
        return Run([command, "--corpus", str(ws / "no-such-corpus")], names=ws / "no-such-corpus")

    return make


def _no_documents(ws: Path) -> Run:
    for p in (ws / "corpus" / "sources").rglob("*.json"):
        p.unlink()
    protected = _corpus_files(ws)
    return Run(["build", "--corpus", str(ws / "corpus")], protected=protected, names=ws / "corpus")


def _garbage_pass(ws: Path) -> Path:
    path = ws / "corpus" / "sources" / "passes" / f"{DOC_ID}.c.json"
    path.write_bytes(b"\xff\xfe{")
    return path


def _ls_two_tasks(tasks: Any) -> Any:
    return [tasks[0], tasks[0]]


def _ls_float_offsets(results: list[Any]) -> list[Any]:
    region = _first_labels(results)
    region["value"]["start"] = float(region["value"]["start"]) + 0.5
    return results


def _ls_out_of_range(results: list[Any]) -> list[Any]:
    region = _first_labels(results)
    region["value"]["end"] = 10**9
    return results


def _ls_unknown_label(results: list[Any]) -> list[Any]:
    _first_labels(results)["value"]["labels"] = ["WEAPON"]
    return results


def _ls_text(tasks: Any) -> Any:
    tasks[0]["data"]["text"] = tasks[0]["data"]["text"] + " extra"
    return tasks


def _ls_no_result(tasks: Any) -> Any:
    tasks[0]["annotations"][0]["result"] = []
    return tasks


def _brat_empty(text: str) -> str:
    return ""


def _brat_mentions_only(text: str) -> str:
    keep = [
        line
        for line in text.splitlines()
        if line.startswith("T") and "Zone-" not in line and "Sentence" not in line
    ]
    return "\n".join(keep) + "\n"


def _brat_garbage(text: str) -> str:
    return text + "this is not brat\n"


def _brat_out_of_range(text: str) -> str:
    return text + "T9999\tORG 1000000 1000004\tMali\n"


def _brat_missing_t(text: str) -> str:
    return text + "R9999\tATTACKS Arg1:T8888 Arg2:T7777\n"


def _brat_crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def _brat_drop_relation(text: str) -> str:
    """Delete the first relation and its note, as an annotator would in brat."""
    lines = text.splitlines()
    rid = next(line.split("\t")[0] for line in lines if line.startswith("R"))
    keep = [
        line
        for line in lines
        if not line.startswith(f"{rid}\t") and f"AnnotatorNotes {rid}\t" not in line
    ]
    return "\n".join(keep) + "\n"


def _brat_other_text(ws: Path) -> Path:
    txt = _ann(ws).with_suffix(".txt")
    txt.write_bytes(txt.read_bytes().replace(b"Mali", b"Mal\xc3\xad", 1))
    return _ann(ws)


def _xmi_no_ts(ws: Path) -> Path:
    path = ws / "tools" / "xmi" / "no-ts.xmi"
    shutil.copy(_xmi(ws), path)
    return path


def _xmi_other_text(ws: Path) -> Path:
    path = _xmi(ws)
    path.write_text(path.read_text("utf-8").replace("MINUSMA", "MINUSMX", 1), "utf-8")
    return path


def _make_cases() -> list[Case]:
    cases: list[Case] = []

    def add(group: str, name: str, make: Callable[[Path], Run], slow: bool = False) -> None:
        cases.append(Case(name, group, make, slow))

    # validate: the annotation file's bytes
    add("validate", "empty annotation file", _validate_raw(b""))
    add("validate", "white space only", _validate_raw(b"  \n\t\n"))
    add("validate", "JSON null", _validate_raw(b"null"))
    add("validate", "JSON array", _validate_raw(b"[]"))
    add("validate", "JSON number", _validate_raw(b"42"))
    add("validate", "truncated JSON", lambda ws: _validate_raw(gold(ws).read_bytes()[:500])(ws))
    add("validate", "JSON not UTF-8", _validate_raw(b'{"schema_version": "1.0\xff"}'))
    add(
        "validate",
        "JSON with BOM",
        lambda ws: _validate_raw(b"\xef\xbb\xbf" + gold(ws).read_bytes())(ws),
    )
    add("validate", "duplicate key", _validate_raw(b'{"a": 1, "a": 2}'))
    add("validate", "nesting 100,000 deep", _validate_raw(_DEEP))
    add("validate", "integer of 5,000 digits", _raw_with_huge_int)
    # validate: structure and types
    add("validate", "integral float offset 0.0", _validate_json(_break_start(0.0)))
    add("validate", "fractional offset 2.5", _validate_json(_break_start(2.5)))
    add("validate", "negative offset", _validate_json(_break_start(-3)))
    add("validate", "offset as a string", _validate_json(_break_start("5")))
    add("validate", "offset true", _validate_json(_break_start(True)))
    add("validate", "offset null", _validate_json(_break_start(None)))
    add("validate", "start after end", _validate_json(_swap_start_end))
    add("validate", "end past the text", _validate_json(_end_past_text))
    add("validate", "missing layer", _validate_json(_del("mentions")))
    add("validate", "unknown top-level key", _validate_json(_set("extra", 1)))
    add("validate", "layer of the wrong type", _validate_json(_set("zones", {})))
    add("validate", "mention without id", _validate_json(_del("mentions", 0, "id")))
    add("validate", "duplicate id", _validate_json(_dup_id))
    add(
        "validate",
        "mention of an unknown entity",
        _validate_json(_set("mentions", 0, "entity", "e999")),
    )
    add("validate", "relation head unknown", _validate_json(_set("relations", 0, "head", "e999")))
    add("validate", "evidence unknown", _validate_json(_set("relations", 0, "evidence", ["s999"])))
    add("validate", "evidence empty", _validate_json(_set("relations", 0, "evidence", [])))
    add("validate", "unknown entity type", _validate_json(_set("entities", 0, "type", "WEAPON")))
    add("validate", "unknown level", _validate_json(_set("mentions", 0, "level", "NAME")))
    add("validate", "unknown relation type", _validate_json(_set("relations", 0, "type", "LOVES")))
    add("validate", "unknown stance label", _validate_json(_set("stances", 0, "label", "MAYBE")))
    add("validate", "schema version 2.0", _validate_json(_set("schema_version", "2.0")))
    add("validate", "schema version missing", _validate_json(_del("schema_version")))
    add(
        "validate", "document id not the file name", _validate_json(_set("document", "id", "other"))
    )
    add("validate", "text file missing", _validate_json(_set("document", "text_file", "nope.txt")))
    add(
        "validate",
        "text file outside the folder",
        _validate_json(_set("document", "text_file", "../../../../../etc/hostname")),
    )
    add("validate", "text file is a folder", _validate_json(_set("document", "text_file", ".")))
    add(
        "validate",
        "text changed after annotation",
        _validate_json(_set("document", "text_sha256", "0" * 64)),
    )
    add(
        "validate",
        "published not a date",
        _validate_json(_set("document", "published", "yesterday")),
    )
    add("validate", "url not a URL", _validate_json(_set("document", "url", "not a url")))
    add("validate", "language not a tag", _validate_json(_set("document", "language", "english")))
    add("validate", "id AUTHOR", _validate_json(_set("entities", 0, "id", "AUTHOR")))
    add("validate", "id with a space", _validate_json(_set("mentions", 0, "id", "m 1")))
    add("validate", "span text differs", _validate_json(_set("mentions", 0, "text", "Mali")))
    add("validate", "span edge on white space", _validate_json(_ws_edge))
    add("validate", "crossing mentions", _validate_json(_crossing))
    add("validate", "mention edge inside a token", _validate_json(_inside_token))
    add(
        "validate", "stance target edge inside a token", _validate_json(_stance_target_inside_token)
    )
    add("validate", "zones overlap", _validate_json(_zones_overlap))
    add("validate", "sentence outside its zone", _validate_json(_set("sentences", 1, "zone", "z1")))
    add("validate", "entity without mention", _validate_json(_lonely_entity))
    add(
        "validate",
        "very long title (valid)",
        _valid(_validate_json(_set("document", "title", "T" * 1_000_000))),
    )
    # validate: the text file
    add("validate", "text not UTF-8", _validate_text(lambda b: b"\xff" + b))
    add("validate", "text with CRLF", _validate_text(lambda b: b.replace(b"\n", b"\r\n")))
    add("validate", "text with BOM", _validate_text(lambda b: b"\xef\xbb\xbf" + b))
    add("validate", "text not NFC (combining marks)", _validate_text(lambda b: _NFD_TEXT + b))
    add(
        "validate",
        "text with a NUL character",
        _validate_text(lambda b: b.replace(b" ", b"\x00", 1)),
    )
    add("validate", "text empty", _validate_text(lambda b: b""))
    # validate: folders
    add("validate", "folder without annotation files", _empty_folder)
    add("validate", "folder: a crash does not hide the next file", _folder_with_crash_and_error)
    # build and stats
    add("build", "invalid source", _build(_corrupt_gold))
    add("build", "invalid source, --check", _build(_corrupt_gold, check=True))
    add("build", "pass file not UTF-8", _build(_garbage_pass))
    add("build", "missing corpus folder", _missing_corpus("build"))
    add("build", "no documents", _no_documents)
    add("stats", "missing corpus folder", _missing_corpus("stats"))
    add(
        "stats",
        "invalid source",
        lambda ws: Run(["stats", "--corpus", str(ws / "corpus")], names=_corrupt_gold(ws)),
    )
    # agree and diff
    for command in ("agree", "diff"):
        add(command, "different texts", _two_docs(command, _other_text))
        add(command, "second file invalid", _two_docs(command, _break))
        add(command, "second file missing", _two_docs(command, _remove))
    # show and export
    add("show", "invalid document", _show("-o", "WS/page.html", edit=_break_start(0.0)))
    add("show", "unknown --select id", _show("-o", "WS/page.html", "--select", "e999"))
    add("show", "output is a folder", _show("-o", "WS"))
    add("show", "output folder missing", _show("-o", "WS/no/such/folder/page.html"))
    add(
        "export",
        "invalid document",
        _export("--format", "brat", "-o", "WS/out", edit=_break_start(0.0)),
    )
    add(
        "export",
        "output is a file",
        _with(_file_as_output, _export("--format", "brat", "-o", "WS/occupied")),
    )
    # import: brat
    add("import brat", "empty .ann", _import("brat", _brat_edit(_brat_empty)))
    add(
        "import brat",
        "mentions without zones or sentences",
        _import("brat", _brat_edit(_brat_mentions_only)),
    )
    add("import brat", "a line that is not brat", _import("brat", _brat_edit(_brat_garbage)))
    add("import brat", "offsets past the text", _import("brat", _brat_edit(_brat_out_of_range)))
    add("import brat", "relation to undefined T", _import("brat", _brat_edit(_brat_missing_t)))
    add("import brat", ".ann not UTF-8", _import("brat", _brat_bytes(b"T1\tORG 0 4\t\xff\xfe\n")))
    add("import brat", ".ann with CRLF", _import("brat", _brat_edit(_brat_crlf)))
    add("import brat", ".txt differs from the document", _import("brat", _brat_other_text))
    add(
        "import brat",
        ".ann missing",
        _import("brat", lambda ws: ws / "tools" / "brat" / "none.ann"),
    )
    add("import brat", "round trip (valid)", _import("brat", _keep(_ann), valid=True))
    add(
        "import brat",
        "one relation removed (valid)",
        _import("brat", _brat_edit(_brat_drop_relation), valid=True),
    )
    # import: Label Studio
    add(
        "import labelstudio",
        'task with "result": []',
        _import("labelstudio", _ls_edit(_ls_no_result)),
    )
    add("import labelstudio", "empty file", _import("labelstudio", _ls_bytes(b"")))
    add("import labelstudio", "not JSON", _import("labelstudio", _ls_bytes(b"{not json")))
    add("import labelstudio", "not UTF-8", _import("labelstudio", _ls_bytes(b'[{"data": "\xff"}]')))
    add("import labelstudio", "empty list", _import("labelstudio", _ls_bytes(b"[]")))
    add("import labelstudio", "JSON null", _import("labelstudio", _ls_bytes(b"null")))
    add(
        "import labelstudio",
        "fractional offset",
        _import("labelstudio", _ls_results(_ls_float_offsets)),
    )
    add(
        "import labelstudio",
        "offset past the text",
        _import("labelstudio", _ls_results(_ls_out_of_range)),
    )
    add(
        "import labelstudio",
        "unknown label",
        _import("labelstudio", _ls_results(_ls_unknown_label)),
    )
    add(
        "import labelstudio",
        "text differs from the document",
        _import("labelstudio", _ls_edit(_ls_text)),
    )
    add(
        "import labelstudio",
        "region meta saved as one string",
        _import("labelstudio", _ls_results(_ls_meta_string), valid=True),
    )
    add("import labelstudio", "nesting 100,000 deep", _import("labelstudio", _ls_bytes(_DEEP)))
    add("import labelstudio", "round trip (valid)", _import("labelstudio", _keep(_ls), valid=True))
    # import: XMI
    add("import xmi", "no --typesystem", _import("xmi", _xmi_no_ts))
    add("import xmi", "empty XMI", _import("xmi", _xmi_bytes(b"")))
    add("import xmi", "not XML", _import("xmi", _xmi_bytes(b"<xmi:XMI this is not")))
    add("import xmi", "text differs from the document", _import("xmi", _xmi_other_text))
    add("import xmi", "loses stances and attributes", _import("xmi", _keep(_xmi)))
    add(
        "import xmi",
        "type system missing",
        _import("xmi", _keep(_xmi), "--typesystem", "no-such-file.xml", names="no-such-file.xml"),
    )
    # extract
    add("extract", "empty text", _extract(b""))
    add("extract", "white space only", _extract(b" \n\n \t"))
    add("extract", "NUL character", _extract(b"Army left Ber.\x00\n"))
    add("extract", "control character", _extract(b"Army left Ber.\x07\n"))
    add("extract", "not UTF-8", _extract(b"Army left \xff Ber.\n"))
    add("extract", "byte-order mark", _extract(b"\xef\xbb\xbfArmy left Ber.\n"))
    add("extract", "CRLF line ends", _extract(b"Army left Ber.\r\n\r\nIt did.\r\n"))
    add("extract", "not NFC", _extract(_NFD_TEXT + b" army left.\n"))
    add("extract", "input missing", _extract(None))
    add("extract", "input is a folder", _extract_directory)
    add("extract", "output file exists", _extract_over_existing)
    add("extract", "two inputs, one output name", _extract_same_names)
    add("extract", "output folder inside corpus/sources", _extract_into_sources)
    # new
    add("new", "--id escaping the corpus", _new_escape)
    add("new", "--id empty", _new("--id", ""))
    add("new", "--id with a slash", _new("--id", "a/b"))
    add("new", "--id ..", _new("--id", ".."))
    add("new", "--id in use", _new("--id", DOC_ID))
    add("new", "--language not BCP 47", _new("--language", "english!"))
    add("new", "--title empty", _new("--title", " "))
    add("new", "--url not a URL", _new("--url", "example"))
    add("new", "--published not ISO 8601", _new("--published", "yesterday"))
    add("new", "text empty", _new(text=b""))
    add("new", "text white space only", _new(text=b"  \n \n"))
    add("new", "text with NUL", _new(text=b"Army left.\x00\n"))
    add("new", "text not UTF-8", _new(text=b"Army \xff left.\n"))
    add("new", "text missing", _new(text=None))
    # preannotate
    add("preannotate", "document not a draft", _preannotate(_set("document", "status", "reviewed")))
    add("preannotate", "invalid document", _preannotate(_set("zones", 0, "start", 0.0)))
    add(
        "preannotate",
        "document missing",
        lambda ws: Run(
            ["preannotate", str(ws / "none.json"), "--corpus", str(ws / "corpus")],
            names=ws / "none.json",
        ),
    )
    # baselines
    add("baselines", "--folds 0", _baselines("ner", "--folds", "0"))
    add("baselines", "--folds -1", _baselines("ner", "--folds", "-1"))
    add("baselines", "--folds 1000", _baselines("ner", "--folds", "1000"))
    add(
        "baselines",
        "--conll, --folds larger than the data",
        _baselines(
            "ner",
            "--conll",
            "WS/data.conll",
            "--folds",
            "50",
            files={"data.conll": b"Mali B-GPE\n\nArmy O\n"},
        ),
    )
    add(
        "baselines",
        "--train without --test",
        _baselines("ner", "--train", "WS/data.conll", files={"data.conll": b"Mali B-GPE\n"}),
    )
    add(
        "baselines",
        "--conll empty",
        _baselines("ner", "--conll", "WS/data.conll", files={"data.conll": b""}),
    )
    add(
        "baselines",
        "--conll one column",
        _baselines("ner", "--conll", "WS/data.conll", files={"data.conll": b"Mali\n"}),
    )
    add(
        "baselines",
        "--conll not IOB2",
        _baselines("ner", "--conll", "WS/data.conll", files={"data.conll": b"Mali I-GPE\n"}),
    )
    add(
        "baselines",
        "--conll not UTF-8",
        _baselines("ner", "--conll", "WS/data.conll", files={"data.conll": b"Mal\xff B-GPE\n"}),
    )
    add(
        "baselines",
        "--conll binary",
        _baselines("ner", "--conll", "WS/data.conll", files={"data.conll": bytes(range(256))}),
    )
    add("baselines", "--test fold without entities (valid)", _no_entities)
    add("baselines", "--dataset missing", _baselines("ner", "--dataset", "WS/nothing"))
    add(
        "baselines",
        "--dataset with a corrupt parquet file",
        _dataset(lambda ws: _flip_bytes(_data_file(ws, "documents"), 512)),
    )
    add(
        "baselines",
        "--dataset with a truncated parquet file",
        _dataset(lambda ws: _truncate(_data_file(ws, "documents"))),
    )
    add("baselines", "--hf-dataset without ner_tags", _hf({"tokens": [["Mali"]]}))
    add(
        "baselines",
        "--hf-dataset corrupt parquet",
        _hf({"tokens": [["Mali"]] * 50, "ner_tags": [[0]] * 50}, corrupt=True),
    )
    # verify
    add(
        "verify",
        "a data file with flipped bytes",
        _verify(lambda ws: _flip_bytes(_data_file(ws, "ner"))),
    )
    add("verify", "a truncated data file", _verify(lambda ws: _truncate(_data_file(ws, "stance"))))
    add(
        "verify",
        "a folder without data files",
        lambda ws: Run(["verify", str(ws / "tools")], names=ws / "tools"),
    )
    add("verify", "an intact corpus (valid)", _valid(_verify(lambda ws: ws / "corpus")))
    # loaders
    load = "from sahel_corpus.loaders import load_config\nload_config('ner', CORPUS)"
    add(
        "loaders",
        "ner parquet with flipped bytes",
        _loader(load, lambda ws: _flip_bytes(_data_file(ws, "ner"))),
    )
    add(
        "loaders",
        "ner parquet truncated",
        _loader(load, lambda ws: _truncate(_data_file(ws, "ner"))),
    )
    add(
        "loaders",
        "corpus folder missing",
        _loader(
            load.replace("CORPUS", "CORPUS + '/nothing'"), lambda ws: ws / "corpus" / "nothing"
        ),
    )
    add("loaders", "intact corpus (valid)", _loader(load, lambda ws: None, valid=True))
    read = "from sahel_corpus.loaders import read_documents\nread_documents(CORPUS)"
    add("loaders", "read_documents on an invalid source", _loader(read, _corrupt_gold))
    return cases


def _verify(edit: Callable[[Path], Path]) -> Callable[[Path], Run]:
    def make(ws: Path) -> Run:
        named = edit(ws)
        corpus = ws / "corpus"
        return Run(["verify", "--corpus", str(corpus)], protected=_corpus_files(ws), names=named)

    return make


def _no_entities(ws: Path) -> Run:
    """A test file without a single entity: scores are 0, not NaN, and no warning."""
    files = {"train.conll": b"Mali B-GPE\nleft O\n\nArmy O\n", "test.conll": b"Army O\nleft O\n"}
    run = _baselines("ner", "--train", "WS/train.conll", "--test", "WS/test.conll", files=files)(ws)
    return Run(run.argv, protected=run.protected, valid=True, bad_output="nan")


def _valid(make: Callable[[Path], Run]) -> Callable[[Path], Run]:
    def wrapped(ws: Path) -> Run:
        run = make(ws)
        return Run(run.argv, run.api, run.protected, run.writes, valid=True)

    return wrapped


def _break_start(value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        data["mentions"][0]["start"] = value

    return edit


def _swap_start_end(data: dict[str, Any]) -> None:
    m = data["mentions"][0]
    m["start"], m["end"] = m["end"], m["start"]


def _end_past_text(data: dict[str, Any]) -> None:
    data["mentions"][0]["end"] = 10**6


def _dup_id(data: dict[str, Any]) -> None:
    data["mentions"][1]["id"] = data["mentions"][0]["id"]


def _ws_edge(data: dict[str, Any]) -> None:
    m = data["mentions"][0]
    m["end"] += 1


def _crossing(data: dict[str, Any]) -> None:
    # "Malian army" and a mention crossing it: "army leaves" is not a span anyone made
    m = dict(data["mentions"][0])
    m["id"] = "m_cross"
    m["start"] = data["mentions"][0]["start"] + 1
    m["end"] = data["mentions"][0]["end"] + 2
    data["mentions"].append(m)


def _inside_token(data: dict[str, Any]) -> None:
    m = data["mentions"][0]
    m["start"] += 1
    m["text"] = m["text"][1:]


def _zones_overlap(data: dict[str, Any]) -> None:
    data["zones"][1]["start"] = data["zones"][0]["start"]


def _lonely_entity(data: dict[str, Any]) -> None:
    data["entities"].append(
        {"id": "e_lonely", "type": "ORG", "actor_category": None, "kb_id": None, "normalized": None}
    )


CASES: list[Case] = _make_cases()
