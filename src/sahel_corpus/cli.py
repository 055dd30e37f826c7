"""The ``sahel-corpus`` command line.

Each command registers itself with :func:`command` (its name, help, the
shared options it takes and its own arguments); ``sahel-corpus --help``
lists them. Exit status: 0 on success, 1 when the input is invalid or a
check fails, 2 on a usage error, 130 when interrupted. Bad input is one
``error [<code>]: <file>: got ..., expected ...`` line on stderr (the
validator's findings go to stdout, one per line), never a traceback;
Ctrl-C ends a command with one line that says which files it wrote (every
other file is as it was).

The command line sits on top of the package: it imports the loaders and
baselines only inside the commands that use them, so that it starts fast.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__
from .errors import AnnotationError, SahelCorpusError, UsageError, WriteError
from .fileio import JOURNAL, write_atomic

__all__ = ["COMMANDS", "command", "main"]

Handler = Callable[[argparse.Namespace], int]


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    handler: Handler
    arguments: Callable[[argparse.ArgumentParser], None]
    shared: tuple[str, ...]


#: Every command, by name, in the order ``--help`` lists them.
COMMANDS: dict[str, Command] = {}


def command(
    name: str,
    help: str,
    arguments: Callable[[argparse.ArgumentParser], None],
    shared: tuple[str, ...] = (),
) -> Callable[[Handler], Handler]:
    """Register the decorated handler as command ``name``.

    ``arguments`` adds the command's own arguments to its parser; ``shared``
    names the shared option groups it takes: ``corpus`` (``--corpus``),
    ``seed`` (``--seed``), ``quiet`` (``--quiet``), ``report`` (``--format
    markdown|json``) and ``results`` (``-o/--output``, a results folder).
    """

    def register(handler: Handler) -> Handler:
        COMMANDS[name] = Command(name, help, handler, arguments, shared)
        return handler

    return register


# -- shared options -------------------------------------------------------------------------


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"got {value!r}, expected a whole number") from None
    if n < 2:
        raise argparse.ArgumentTypeError(f"got {n}, expected 2 or more folds")
    return n


def _shared_parents() -> dict[str, argparse.ArgumentParser]:
    def parent() -> argparse.ArgumentParser:
        return argparse.ArgumentParser(add_help=False)

    corpus = parent()
    corpus.add_argument(
        "--corpus", default="corpus", type=Path, help="the corpus folder (default: %(default)s)"
    )
    seed = parent()
    seed.add_argument("--seed", type=int, default=0, help="random seed (default: %(default)s)")
    quiet = parent()
    quiet.add_argument(
        "--quiet", action="store_true", help="no progress bar (none is shown when piped)"
    )
    report = parent()
    report.add_argument(
        "--format",
        choices=("markdown", "json"),
        default="markdown",
        help="markdown tables or JSON (default: %(default)s)",
    )
    results = parent()
    results.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("baselines-output"),
        help="folder for per-fold predictions, metrics and tables (default: %(default)s)",
    )
    ner = parent()
    ner.add_argument(
        "--ner-train",
        nargs="+",
        type=Path,
        default=[],
        metavar="FILE",
        help="IOB2 files to train one more tagger on; its mentions fill what the corpus's "
        "tagger leaves",
    )
    ner.add_argument(
        "--ner-map",
        metavar="LABEL=TYPE,...",
        help="the files' labels as the corpus's entity types (LABEL=O drops one), for "
        "example PER=PER,ORG=ORG,LOC=GPE,MISC=O",
    )
    ner.add_argument(
        "--repair-iob2",
        action="store_true",
        help="turn a stray I-X in the --ner-train files into B-X instead of stopping",
    )
    return {
        "corpus": corpus,
        "seed": seed,
        "quiet": quiet,
        "report": report,
        "results": results,
        "ner": ner,
    }


def _progress(args: argparse.Namespace) -> bool:
    return not getattr(args, "quiet", False) and sys.stderr.isatty()


def _step_bar(args: argparse.Namespace, total: int, desc: str) -> Any:
    """A tqdm bar over ``total`` named steps on stderr, or None (``--quiet``, or not a terminal)."""
    if not _progress(args):
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="step", file=sys.stderr)


def _ticker(bar: Any) -> Any:
    """The callback that advances ``bar`` by one step named ``step`` (None without a bar)."""
    if bar is None:
        return None

    def tick(step: str) -> None:
        bar.set_postfix_str(step, refresh=False)
        bar.update(1)

    return tick


# -- validate, verify, build, stats, schema -------------------------------------------------


def _validate_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "paths", nargs="*", type=Path, help="annotation files or folders (default: CORPUS/sources)"
    )
    p.add_argument(
        "--format", choices=("text", "json"), default="text", help="report lines or JSON"
    )
    p.add_argument(
        "--release",
        action="store_true",
        help="also refuse drafts and machine-made items no person has checked",
    )


@command(
    "validate",
    "check annotation files against every rule of the schema",
    _validate_arguments,
    ("corpus",),
)
def _validate(args: argparse.Namespace) -> int:
    from .validate import validate_paths

    paths = args.paths or [args.corpus / "sources"]
    report = validate_paths(paths, release=args.release)
    if not report.files:
        where = ", ".join(str(p) for p in paths)
        raise AnnotationError(
            f"{where}: got no annotation file (*.json), expected at least one to check",
            code="no-annotation-files",
        )
    if args.format == "json":
        print(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        print(report.format_text())
    return 0 if report.ok else 1


def _verify_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("folder", nargs="?", type=Path, help="a built corpus folder (default: CORPUS)")


@command(
    "verify",
    "check that a built corpus's data files are what the build wrote",
    _verify_arguments,
    ("corpus",),
)
def _verify(args: argparse.Namespace) -> int:
    from .integrity import data_files, verify_corpus

    folder = args.folder or args.corpus
    files = data_files(folder)
    if not files:
        raise UsageError(
            f"{folder}: got no data/<config>/*.parquet file, expected a built corpus folder",
            code="no-data-files",
        )
    problems = verify_corpus(folder)
    for problem in problems:
        print(f"error: {problem.format()}", file=sys.stderr)
    print(f"{len(files)} data file(s) checked: {len(problems) or 'no'} damaged")
    return 1 if problems else 0


def _build_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if the built files differ from a fresh build",
    )


@command(
    "build",
    "compile the sources into parquet files and the dataset card",
    _build_arguments,
    ("corpus", "quiet"),
)
def _build(args: argparse.Namespace) -> int:
    from .build import BUILD_STEPS, build_corpus

    bar = _step_bar(args, BUILD_STEPS, "build")
    try:
        result = build_corpus(args.corpus, check=args.check, progress=_ticker(bar))
    finally:
        if bar is not None:
            bar.close()
    verb = "would change" if args.check else "wrote"
    for path in result.written:
        print(f"{verb}: {path}")
    for path in result.removed:
        print(f"{'would remove' if args.check else 'removed'}: {path}")
    print(
        f"{len(result.unchanged)} file(s) unchanged, {len(result.changed)} "
        f"{'out of date' if args.check else 'changed'}"
    )
    if args.check and result.changed:
        print(
            f"error [out-of-date]: {args.corpus}: got built files that differ from a fresh "
            "build of the sources, expected them equal: run `sahel-corpus build` and commit "
            "the result",
            file=sys.stderr,
        )
        return 1
    return 0


def _documents(corpus: Path) -> list[Any]:
    from .sources import document_paths, read_documents

    if not (corpus / "sources" / "documents").is_dir():
        raise AnnotationError(
            f"{corpus}: got no sources/documents folder, expected a corpus folder",
            code="corpus-missing",
        )
    if not document_paths(corpus):
        raise AnnotationError(
            f"{corpus}: got no annotation file in sources/documents, expected at least one",
            code="corpus-empty",
        )
    return read_documents(corpus)


def _stats_arguments(p: argparse.ArgumentParser) -> None:
    pass


@command("stats", "print counts per annotation layer", _stats_arguments, ("corpus", "report"))
def _stats(args: argparse.Namespace) -> int:
    from .stats import corpus_stats, render_stats

    stats = corpus_stats(_documents(args.corpus))
    print(json.dumps(stats, indent=2) if args.format == "json" else render_stats(stats))
    return 0


def _schema_arguments(p: argparse.ArgumentParser) -> None:
    pass


@command("schema", "print the JSON Schema of the annotation file", _schema_arguments)
def _schema(args: argparse.Namespace) -> int:
    from .jsonschema_def import render_schema

    sys.stdout.write(render_schema())
    return 0


# -- comparing documents --------------------------------------------------------------------


def _evaluate_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "gold",
        type=Path,
        help="the gold: a corpus folder, a folder of annotation files, or one annotation file",
    )
    p.add_argument(
        "pred",
        type=Path,
        help="the predictions: annotation file(s) (a file or folder) or a .jsonl file of rows "
        "in a dataset config's format",
    )
    p.add_argument(
        "--fold",
        type=int,
        help="score only the gold sentences of this fold (and the annotation inside them)",
    )
    p.add_argument(
        "--rows",
        choices=[
            "ner",
            "mentions",
            "relations",
            "stance",
            "events",
            "event_triggers",
            "ner-candidates",
            "relation-candidates",
            "stance-candidates",
        ],
        help="the format of the .jsonl rows (default: told by the first row's keys)",
    )


@command(
    "evaluate",
    "score a system's predictions against the gold, layer by layer (the official scorer)",
    _evaluate_arguments,
    ("report",),
)
def _evaluate(args: argparse.Namespace) -> int:
    from .evaluation import (
        evaluate_documents,
        evaluate_rows,
        read_rows,
        render_evaluation,
        restrict_like,
        restrict_rows_like,
        restrict_to_fold,
        row_kind,
    )

    def _kind_of(rows: list[dict[str, Any]]) -> str | None:
        return row_kind(rows[0]) if rows else None

    gold = _documents_at(args.gold)
    if args.fold is not None:
        gold = restrict_to_fold(gold, args.fold)
        if not gold:
            raise UsageError(
                f"--fold {args.fold}: got no gold sentence in that fold, expected a fold the "
                "gold documents have",
                code="fold",
            )
    if args.pred.suffix == ".jsonl":
        rows = read_rows(args.pred)
        if args.fold is not None and rows:
            rows = restrict_rows_like(rows, gold, args.rows or row_kind(rows[0]))
        result = evaluate_rows(gold, rows, str(args.pred), args.rows or _kind_of(rows))
    else:
        pred = _documents_at(args.pred)
        if args.fold is not None:
            pred = restrict_like(pred, gold)
        result = evaluate_documents(gold, pred)
    print(json.dumps(result, indent=2) if args.format == "json" else render_evaluation(result))
    return 0


def _documents_at(path: Path) -> list[Any]:
    """The documents of a corpus folder, of a folder of annotation files, or of one file."""
    from .sources import document_paths, read_document

    if path.is_file():
        return [read_document(path)]
    if not path.is_dir():
        raise UsageError(
            f"{path}: got no such file or folder, expected annotation files", code="no-input"
        )
    paths = document_paths(path) or sorted(path.glob("*.json"))
    if not paths:
        raise UsageError(
            f"{path}: got a folder with no annotation file, expected <id>.json files (or a "
            "corpus folder)",
            code="no-input",
        )
    return [read_document(p) for p in paths]


def _agree_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("a", type=Path, help="first annotation file (the reference)")
    p.add_argument("b", type=Path, help="second annotation file")


@command(
    "agree",
    "per-layer agreement between two annotation files of one document",
    _agree_arguments,
    ("report",),
)
def _agree(args: argparse.Namespace) -> int:
    from .agreement import agreement, render_agreement
    from .sources import read_document

    result = agreement(read_document(args.a), read_document(args.b))
    print(json.dumps(result, indent=2) if args.format == "json" else render_agreement([result]))
    return 0


def _diff_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("old", type=Path, help="the earlier version (a copy kept before editing)")
    p.add_argument("new", type=Path, help="the current version")


@command(
    "diff", "list what changed between two versions of a document's annotation", _diff_arguments
)
def _diff(args: argparse.Namespace) -> int:
    from .contribute import diff, summary
    from .sources import read_document

    changes = diff(read_document(args.old), read_document(args.new))
    for change in changes:
        print(change.format())
    print(summary(changes))
    return 0


# -- the contribution path ------------------------------------------------------------------


def _new_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("text", type=Path, help="the article text (UTF-8, NFC, LF, no BOM)")
    p.add_argument("--id", required=True, help="document id (letters, digits, _ and -)")
    p.add_argument("--title", required=True)
    p.add_argument("--publisher", required=True)
    p.add_argument("--licence", required=True, help="licence of the text")
    p.add_argument("--url", default=None, help="the article's http(s) address")
    p.add_argument("--published", default=None, help="publication date, ISO 8601")
    p.add_argument("--language", default="en", help="BCP 47 tag (default: %(default)s)")


@command(
    "new",
    "scaffold a new document: copy its text, propose zones and sentences",
    _new_arguments,
    ("corpus",),
)
def _new(args: argparse.Namespace) -> int:
    from .contribute import scaffold

    path = scaffold(
        args.text,
        args.id,
        args.title,
        args.publisher,
        args.licence,
        args.corpus / "sources" / "documents",
        url=args.url,
        published=args.published,
        language=args.language,
    )
    print(f"wrote {path} and its text: zones and sentences proposed, status draft")
    return 0


def _preannotate_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("document", type=Path, help="the draft document's annotation file")


@command(
    "preannotate",
    "fill a draft's empty layers with the baselines (machine-made)",
    _preannotate_arguments,
    ("corpus", "seed", "ner"),
)
def _preannotate(args: argparse.Namespace) -> int:
    from .baselines.extract import preannotate, read_ner_train

    ner_train = read_ner_train(args.ner_train, args.ner_map, args.repair_iob2)
    doc = preannotate(args.document, args.corpus, seed=args.seed, ner_train=ner_train)
    print(
        f"{args.document}: {len(doc.entities)} entities, {len(doc.mentions)} mentions, "
        f"{len(doc.relations)} relations, {len(doc.stances)} stances, {len(doc.events)} events; "
        "the filled layers are "
        "machine-made"
    )
    return 0


def _extract_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="*", type=Path, help="UTF-8, NFC, LF text files")
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("extracted"),
        help="folder for <id>.txt and <id>.json, or for a collection's parquet shards "
        "(default: %(default)s)",
    )
    p.add_argument(
        "--overwrite", action="store_true", help="replace output files that exist already"
    )
    p.add_argument(
        "--collection",
        type=Path,
        help="a parquet file or folder, a JSON Lines file or a save_to_disk dataset with a "
        "text column (instead of files): written as parquet shards of the documents config",
    )
    p.add_argument(
        "--engine",
        choices=("local", "ray"),
        default="local",
        help="for --collection: this process, or Ray Data (pip install 'sahel-corpus[ray]')",
    )
    p.add_argument(
        "--address",
        help="with --engine ray: a running cluster's address ('auto' for `ray start` here); "
        "without it a local cluster is started",
    )
    p.add_argument(
        "--workers", type=int, default=2, help="with --engine ray: extraction actors (default 2)"
    )
    p.add_argument("--block-size", type=int, default=256, help="for --collection: texts per block")


@command(
    "extract",
    "annotate raw article text files with the baselines (draft, machine-made)",
    _extract_arguments,
    ("corpus", "seed", "quiet", "ner"),
)
def _extract(args: argparse.Namespace) -> int:
    from .baselines.extract import extract_planned, plan_extraction, read_ner_train
    from .baselines.pipeline import Extractor, freeze_for_extraction
    from .sources import read_documents

    if args.collection is not None or args.engine != "local":
        return _extract_collection(args)
    if not args.files:
        raise UsageError("got no input, expected text files or --collection", code="no-input")
    planned = plan_extraction(args.files, args.output, args.corpus, args.overwrite)
    ner_train = read_ner_train(args.ner_train, args.ner_map, args.repair_iob2)
    extractor = Extractor.train(read_documents(args.corpus), seed=args.seed, ner_train=ner_train)
    freeze_for_extraction()
    bar = None
    if _progress(args):
        from tqdm import tqdm

        total = sum(item.words for item in planned)
        bar = tqdm(total=total, unit="word", unit_scale=True, desc="extract", file=sys.stderr)
    for done, (item, doc) in enumerate(
        extract_planned(extractor, planned, bar.update if bar else None), 1
    ):
        if bar is not None:
            bar.set_postfix_str(f"{done}/{len(planned)} documents", refresh=True)
        _extracted(item.json_out, doc)
    if bar is not None:
        bar.close()
    return 0


def _extract_collection(args: argparse.Namespace) -> int:
    from .baselines.collection import (
        collection_kind,
        extract_collection_local,
        extract_collection_ray,
    )
    from .baselines.extract import check_outside_sources, read_ner_train
    from .baselines.pipeline import Extractor, freeze_for_extraction
    from .sources import read_documents

    if args.collection is None or args.files:
        got = (
            "text files and --collection"
            if args.files and args.collection is not None
            else f"--engine {args.engine} without --collection"
        )
        raise UsageError(
            f"got {got}, expected either text files or one --collection (--engine ray "
            "works on collections)",
            code="collection-input",
        )
    if args.workers < 1 or args.block_size < 1:
        raise UsageError(
            f"got --workers {args.workers} --block-size {args.block_size}, expected both 1 or more",
            code="workers",
        )
    collection_kind(args.collection)  # a clear error before anything is trained
    check_outside_sources(args.output, args.corpus)
    ner_train = read_ner_train(args.ner_train, args.ner_map, args.repair_iob2)
    extractor = Extractor.train(read_documents(args.corpus), seed=args.seed, ner_train=ner_train)
    freeze_for_extraction()
    if args.engine == "ray":
        summary = extract_collection_ray(
            extractor,
            args.collection,
            args.output,
            args.overwrite,
            args.block_size,
            args.address,
            args.workers,
            _progress(args),
        )
    else:
        bar = None
        if _progress(args):
            from tqdm import tqdm

            bar = tqdm(unit="doc", desc="extract", file=sys.stderr)
        try:
            summary = extract_collection_local(
                extractor,
                args.collection,
                args.output,
                args.overwrite,
                args.block_size,
                bar.update if bar is not None else None,
            )
        finally:
            if bar is not None:
                bar.close()
    print(
        f"{args.output}: {summary['documents']} documents in {summary['shards']} parquet "
        f"shard(s) of the documents config ({summary['engine']} engine, "
        f"{summary['words_per_second']:,} words/s); draft, machine-made, valid; "
        f"summary in {args.output / 'summary.json'}"
    )
    return 0


def _extracted(path: Path, doc: Any) -> None:
    print(
        f"{path}: {len(doc.entities)} entities, {len(doc.mentions)} mentions, "
        f"{len(doc.relations)} relations, {len(doc.stances)} stances, {len(doc.events)} events; "
        "draft, machine-made, valid"
    )


# -- other tools' formats -------------------------------------------------------------------


def _format_names(which: str) -> list[str]:
    from .formats import FORMATS

    return sorted(n for n, f in FORMATS.items() if (f.reads if which == "read" else f.writes))


def _export_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("document", type=Path, help="the document's annotation file")
    p.add_argument("--format", choices=_format_names("write"), required=True)
    p.add_argument("-o", "--output", type=Path, required=True, help="output folder")
    p.add_argument(
        "--overwrite", action="store_true", help="replace files that exist in the output folder"
    )


@command("export", "write a document for an annotation tool or a trainer", _export_arguments)
def _export(args: argparse.Namespace) -> int:
    from .formats import get
    from .sources import check_not_in_a_corpus, read_document

    fmt = get(args.format)
    assert fmt.write is not None
    doc = read_document(args.document)
    if args.output.exists() and not args.output.is_dir():
        raise WriteError(f"{args.output}: got a file, expected an output folder", code="output")
    check_not_in_a_corpus(args.output, "export folder")
    args.output.mkdir(parents=True, exist_ok=True)
    # written beside the output first, so that nothing is replaced unless all is written
    # and no existing file is replaced without --overwrite
    with tempfile.TemporaryDirectory(dir=args.output, prefix=".export-") as tmp:
        try:
            made = fmt.write(doc, Path(tmp))
        except ImportError as err:
            raise UsageError(
                f"--format {args.format}: got no {err.name} package, expected it installed "
                "(pip install 'sahel-corpus[bench]')",
                code="missing-package",
            ) from None
        targets = [args.output / p.relative_to(tmp) for p in made]
        existing = [t for t in targets if t.exists()]
        if existing and not args.overwrite:
            raise WriteError(
                f"{', '.join(map(str, existing))}: got existing file(s), expected new names "
                "(pass --overwrite to replace them)",
                code="output-exists",
            )
        written = []
        for source, target in zip(made, targets, strict=True):
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
            written.append(target)
    for path in written:
        print(f"wrote {path}")
    print(fmt.summary())
    for item in fmt.left_out(doc) if fmt.left_out else []:
        print(f"left out: {item}", file=sys.stderr)
    return 0


def _import_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, help="the .ann, Label Studio .json or XMI file")
    p.add_argument("--format", choices=_format_names("read"), required=True)
    p.add_argument(
        "--into",
        type=Path,
        required=True,
        help="the document's annotation file (its text and metadata are kept), or for a "
        "Label Studio project export the folder of the documents, matched by document id",
    )
    p.add_argument(
        "--passes",
        type=Path,
        default=None,
        help="where a task several people annotated goes, one pass file each (default: the "
        "corpus's sources/passes beside sources/documents)",
    )
    p.add_argument(
        "--text", type=Path, default=None, help="brat: the .txt file (default: next to the .ann)"
    )
    p.add_argument("--typesystem", type=Path, default=None, help="xmi: the TypeSystem.xml")
    p.add_argument(
        "--normalise-newlines",
        action="store_true",
        help="convert CRLF to LF and drop a BOM in the imported files instead of refusing them",
    )
    p.add_argument(
        "--drop",
        action="append",
        default=[],
        metavar="KIND",
        help="accept that the import loses this kind of annotation the format cannot carry "
        "(stances, actor-categories, ...; the refusal names them); repeat for each kind",
    )


@command("import", "read a tool's annotation into a document's annotation file", _import_arguments)
def _import(args: argparse.Namespace) -> int:
    from .importing import import_into

    report = import_into(
        args.file,
        args.format,
        args.into,
        text=args.text,
        typesystem=args.typesystem,
        normalise_newlines=args.normalise_newlines,
        drop=args.drop,
        passes=args.passes,
    )
    print(report)
    return 0


def _show_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("document", type=Path, help="the document's annotation file")
    p.add_argument("-o", "--output", type=Path, required=True, help="the HTML file to write")
    p.add_argument(
        "--select",
        default=None,
        help="an entity, relation, stance or event id to highlight when the page opens",
    )


@command("show", "write one self-contained HTML page of an annotated document", _show_arguments)
def _show(args: argparse.Namespace) -> int:
    from .show import write_html
    from .sources import check_not_in_a_corpus, read_document

    if args.output.resolve() == args.document.resolve():
        raise WriteError(
            f"{args.output}: got the document's own annotation file, expected another file "
            "for the HTML page",
            code="output-is-input",
        )
    check_not_in_a_corpus(args.output, "HTML page")
    if args.output.is_file() and not args.output.read_bytes().startswith(b"<!DOCTYPE html>"):
        raise WriteError(
            f"{args.output}: got an existing file that is not an HTML page, expected a new "
            "file or a page `show` wrote before (nothing else is overwritten)",
            code="output-exists",
        )
    doc = read_document(args.document)
    write_html(doc, args.output, select=args.select, name=str(args.document))
    print(f"wrote {args.output}")
    return 0


# -- baselines and the main job -------------------------------------------------------------


def _baselines_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "task", nargs="?", default="all", choices=("ner", "re", "stance", "events", "all")
    )
    p.add_argument(
        "--dataset",
        type=Path,
        default=Path("corpus"),
        help="a dataset folder in this corpus's configs (default: %(default)s)",
    )
    p.add_argument(
        "--folds",
        type=_positive,
        default=None,
        help="number of folds: checked against the data's fold column, or used to "
        "deal rows into folds where there is none (default: 5)",
    )
    p.add_argument("--train", type=Path, help="NER only: an IOB2/CoNLL training file")
    p.add_argument("--test", type=Path, help="NER only: an IOB2/CoNLL test file")
    p.add_argument(
        "--repair-iob2",
        action="store_true",
        help="NER files only: turn a stray I-X (not continuing an X span) into B-X instead of "
        "refusing the file",
    )
    p.add_argument(
        "--conll",
        type=Path,
        help="NER only: one IOB2/CoNLL file, its sentences dealt into --folds folds with --seed",
    )
    p.add_argument(
        "--hf-dataset",
        help="NER only: a Hugging Face token-classification "
        "dataset (path or name) with `tokens` and `ner_tags`",
    )
    p.add_argument("--hf-config", default=None, help="config name of --hf-dataset")
    p.add_argument(
        "--update-docs",
        action="store_true",
        help="write the results table into README.md and the dataset card",
    )


@command(
    "baselines",
    "cross-validate the baselines and print their scores",
    _baselines_arguments,
    ("seed", "quiet", "results"),
)
def _baselines(args: argparse.Namespace) -> int:
    from .baselines.run import BaselineConfig, run_baselines, write_results

    config = BaselineConfig(
        task=args.task,
        dataset=args.dataset,
        folds=args.folds,
        seed=args.seed,
        output=args.output,
        train=args.train,
        test=args.test,
        conll=args.conll,
        hf_dataset=args.hf_dataset,
        hf_config=args.hf_config,
        repair_iob2=args.repair_iob2,
    )
    if args.update_docs and (config.task != "all" or config.external or config.seed != 0):
        raise UsageError(
            "got --update-docs with a non-default run, expected `baselines all` on the "
            "shipped corpus with seed 0",
            code="update-docs",
        )
    bar = _step_bar(args, len(config.tasks), "baselines")
    try:
        results = run_baselines(config, progress=_ticker(bar))
    finally:
        if bar is not None:
            bar.close()
    table = write_results(results, args.output)
    print(table)
    print(f"predictions and metrics written to {args.output}")
    if args.update_docs:
        _update_docs(table, args.dataset / "README.md")
    return 0


def _update_docs(table: str, card: Path) -> None:
    from .sections import replace_section

    for path in (Path("README.md"), card):
        text = path.read_text(encoding="utf-8")
        write_atomic(path, replace_section(text, "baselines", table))
        print(f"updated the baselines table in {path}")


def _all_arguments(p: argparse.ArgumentParser) -> None:
    pass


@command(
    "all",
    "the main job: validate, build, load every config, statistics, agreement and the "
    "baselines (their tables and predictions go to --output)",
    _all_arguments,
    ("corpus", "results"),
)
def _all(args: argparse.Namespace) -> int:
    from .agreement import render_agreement
    from .baselines.run import BaselineConfig, run_baselines, write_results
    from .build import agreement_results, build_corpus
    from .loaders import config_names, load_config
    from .sources import read_documents
    from .stats import corpus_stats, render_stats
    from .validate import validate_paths

    corpus = args.corpus
    print("== validate")
    report = validate_paths([corpus / "sources"])
    print(report.format_text())
    if not report.ok:
        return 1
    print("== build")
    result = build_corpus(corpus)
    print(f"{len(result.unchanged)} file(s) unchanged, {len(result.changed)} changed")
    print("== load")
    for name in config_names():
        ds = load_config(name, corpus)
        sizes = ", ".join(f"{split} {part.num_rows}" for split, part in ds.items())
        columns = next(iter(ds.values())).column_names
        print(f"{name}: {sizes} rows; columns {', '.join(columns)}")
    docs = read_documents(corpus, validate=False)
    print("== statistics")
    print(render_stats(corpus_stats(docs)))
    print("== agreement")
    print(render_agreement(agreement_results(corpus, docs)))
    print("== baselines")
    results = run_baselines(BaselineConfig(dataset=corpus, output=args.output))
    print(write_results(results, args.output))
    print(f"predictions and metrics written to {args.output}")
    return 0


# -- the parser and main --------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sahel-corpus",
        description="Validate, build, load and measure the sahel-corpus annotated news corpus.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    parents = _shared_parents()
    for cmd in COMMANDS.values():
        p = sub.add_parser(
            cmd.name,
            help=cmd.help,
            description=cmd.help,
            parents=[parents[k] for k in cmd.shared],
        )
        cmd.arguments(p)
        p.set_defaults(handler=cmd.handler)
    return parser


def _os_error(err: OSError) -> str:
    """An I/O error as "<file>: got <what>, expected ..."."""
    where = f"{err.filename}: " if err.filename else ""
    what = err.strerror or str(err)
    if err.errno == errno.ENOSPC:
        return f"{where}got a full disk ({what}), expected room to write; nothing was replaced"
    return f"{where}got {what.lower()}, expected a readable (or writable) file"


def _interrupted() -> str:
    written = list(dict.fromkeys(JOURNAL))
    if not written:
        return "interrupted: no file was changed"
    names = ", ".join(str(p) for p in written[:5])
    more = f" and {len(written) - 5} more" if len(written) > 5 else ""
    return (
        f"interrupted: {len(written)} file(s) were written completely ({names}{more}); "
        "every other file is as it was"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    JOURNAL.clear()
    try:
        status: int = args.handler(args)
        sys.stdout.flush()
    except SahelCorpusError as err:
        print(f"error [{err.code}]: {err}", file=sys.stderr)
        return 2 if isinstance(err, UsageError) else 1
    except BrokenPipeError:
        # The reader went away (`sahel-corpus agree A B | head -3`): end quietly.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError) as err:
        print(f"error: {_os_error(err)}", file=sys.stderr)
        return 1
    except OSError as err:
        if err.errno not in (errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EIO):
            raise
        print(f"error: {_os_error(err)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"\n{_interrupted()}", file=sys.stderr)
        return 130
    return status


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
