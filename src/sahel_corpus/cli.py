"""The ``sahel-corpus`` command line.

Subcommands: ``validate``, ``build``, ``stats``, ``agree``, ``schema`` and
``all`` (validate, build, load every config, print statistics and agreement).
Every subcommand exits 0 on success, 1 when the data are invalid or out of
date, and 2 on a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import __version__

__all__ = ["main"]


def _cmd_validate(args: argparse.Namespace) -> int:
    from .validate import validate_paths

    paths = args.paths or [Path(args.corpus) / "sources"]
    report = validate_paths(paths, release=args.release)
    if args.format == "json":
        print(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        print(report.format_text())
    return 0 if report.ok else 1


def _cmd_build(args: argparse.Namespace) -> int:
    from .build import build_corpus

    result = build_corpus(args.corpus, check=args.check)
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
            "the built files differ from a fresh build of the sources: run "
            "`sahel-corpus build` and commit the result",
            file=sys.stderr,
        )
        return 1
    return 0


def _cmd_stats(args: argparse.Namespace) -> int:
    from .sources import read_documents
    from .stats import corpus_stats, render_stats

    docs = read_documents(args.corpus)
    stats = corpus_stats(docs)
    if args.format == "json":
        print(json.dumps(stats, indent=2))
    else:
        print(render_stats(stats))
    return 0


def _cmd_agree(args: argparse.Namespace) -> int:
    from .agreement import agreement, render_agreement
    from .sources import read_document

    a, b = read_document(args.a), read_document(args.b)
    result = agreement(a, b)
    if args.format == "json":
        print(json.dumps(result, indent=2))
    else:
        print(render_agreement([result]))
    return 0


def run_baselines(args: argparse.Namespace) -> dict[str, Any]:
    """Run the baselines the arguments ask for; return results per task."""
    from dataclasses import replace

    from .baselines.data import (
        DataError,
        assign_random_folds,
        load_corpus_documents,
        load_hf_token_dataset,
        read_conll,
        tagged_sentences,
    )
    from .baselines.evaluate import run_ner, run_relations, run_stance

    tasks = ["ner", "re", "stance"] if args.task == "all" else [args.task]
    external = args.train or args.test or args.hf_dataset or args.conll
    if external and tasks != ["ner"]:
        raise DataError(
            f"got task {args.task!r} with --train/--test/--conll/--hf-dataset, expected task "
            "'ner' (external data carry entity tags only)"
        )
    if bool(args.train) != bool(args.test):
        raise DataError("got only one of --train and --test, expected both (an IOB2 file pair)")
    out = Path(args.output) if args.output else None
    results: dict[str, Any] = {}
    if args.train:
        sentences = read_conll(args.train, TRAIN_ONLY_FOLD, args.repair_iob2) + read_conll(
            args.test, 0, args.repair_iob2
        )
        results["ner"] = run_ner(sentences, out, None, args.seed)
        return results
    if args.conll:
        sentences = read_conll(args.conll, 0, args.repair_iob2)
        dealt = assign_random_folds(len(sentences), args.folds or 5, args.seed)
        sentences = [replace(s, fold=k) for s, k in zip(sentences, dealt, strict=True)]
        results["ner"] = run_ner(sentences, out, None, args.seed)
        return results
    if args.hf_dataset:
        sentences = load_hf_token_dataset(
            args.hf_dataset, args.hf_config, args.folds or 5, args.seed
        )
        results["ner"] = run_ner(sentences, out, None, args.seed)
        return results
    docs, folds = load_corpus_documents(args.dataset)
    sentences = tagged_sentences(docs, folds)
    if "ner" in tasks:
        results["ner"] = run_ner(sentences, out, args.folds, args.seed)
    if "re" in tasks:
        results["re"] = run_relations(docs, folds, sentences, out, args.folds, args.seed)
    if "stance" in tasks:
        results["stance"] = run_stance(docs, folds, out, args.folds, args.seed)
    return results


TRAIN_ONLY_FOLD = -1


def _cmd_baselines(args: argparse.Namespace) -> int:
    from .baselines.evaluate import render_results

    results = run_baselines(args)
    table = render_results(results)
    print(table)
    if args.output:
        out = Path(args.output)
        out.mkdir(parents=True, exist_ok=True)
        (out / "metrics.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
        (out / "results.md").write_text(table + "\n", encoding="utf-8")
        print(f"predictions and metrics written to {out}")
    if args.update_docs:
        return _update_docs(args, table)
    return 0


def _update_docs(args: argparse.Namespace, table: str) -> int:
    from .sections import replace_section

    if args.task != "all" or args.train or args.conll or args.hf_dataset or args.seed != 0:
        print(
            "error: got --update-docs with a non-default run, expected `baselines all` on the "
            "shipped corpus with seed 0",
            file=sys.stderr,
        )
        return 2
    for path in (Path("README.md"), Path(args.dataset) / "README.md"):
        text = path.read_text(encoding="utf-8")
        try:
            updated = replace_section(text, "baselines", table)
        except ValueError as err:
            print(f"error: {path}: {err}", file=sys.stderr)
            return 1
        path.write_text(updated, encoding="utf-8")
        print(f"updated the baselines table in {path}")
    return 0


def _cmd_extract(args: argparse.Namespace) -> int:
    """Annotate raw text files with models trained on the shipped corpus."""
    from .baselines.pipeline import Extractor, document_id_from_name
    from .sources import read_documents, write_annotation
    from .validate import validate_file

    docs = read_documents(args.corpus)
    extractor = Extractor.train(docs, seed=args.seed)
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    status = 0
    for path in args.files:
        try:
            raw = Path(path).read_bytes()
            text = raw.decode("utf-8")
            doc_id = document_id_from_name(Path(path).stem)
            data = extractor.extract(text, doc_id)
        except (OSError, UnicodeDecodeError, ValueError) as err:
            print(f"error: {path}: {err}", file=sys.stderr)
            status = 1
            continue
        (out / f"{doc_id}.txt").write_bytes(raw)
        target = out / f"{doc_id}.json"
        write_annotation(target, data)
        findings = validate_file(target)
        counts = ", ".join(
            f"{len(data[k])} {k}" for k in ("entities", "mentions", "relations", "stances")
        )
        print(
            f"{target}: {counts}; draft, machine-made; "
            f"{'valid' if not findings else f'{len(findings)} validation error(s)'}"
        )
        for f in findings:
            print(f.format(), file=sys.stderr)
            status = 1
    return status


def _cmd_new(args: argparse.Namespace) -> int:
    from .contribute import scaffold

    path = scaffold(
        args.text,
        args.id,
        args.title,
        args.publisher,
        args.licence,
        Path(args.corpus) / "sources" / "documents",
        url=args.url,
        published=args.published,
        language=args.language,
    )
    print(f"wrote {path} and its text: zones and sentences proposed, status draft")
    return 0


def _cmd_preannotate(args: argparse.Namespace) -> int:
    from .contribute import preannotate

    doc = preannotate(args.document, args.corpus, seed=args.seed)
    print(
        f"{args.document}: {len(doc.entities)} entities, {len(doc.mentions)} mentions, "
        f"{len(doc.relations)} relations, {len(doc.stances)} stances, all machine-made"
    )
    return 0


def _cmd_diff(args: argparse.Namespace) -> int:
    from .contribute import diff, summary
    from .sources import read_document

    changes = diff(read_document(args.old), read_document(args.new))
    for change in changes:
        print(change.format())
    print(summary(changes))
    return 0


EXPORT_FORMATS = ("brat", "labelstudio", "conll", "docbin")
IMPORT_FORMATS = ("brat", "labelstudio", "xmi")


def _cmd_export(args: argparse.Namespace) -> int:
    """Write a document in another tool's format; say which layers it cannot carry."""
    from importlib import import_module

    from .sources import read_document

    doc = read_document(args.document)
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    try:
        if args.format == "brat":
            from .formats.brat import write_brat

            written = list(write_brat(doc, out))
        elif args.format == "labelstudio":
            from .formats.labelstudio import write_labelstudio

            write_labelstudio(doc, out / f"{doc.id}.json")
            written = [out / f"{doc.id}.json"]
        elif args.format == "conll":
            from .formats.conll import write_conll

            written = [write_conll([doc], out / f"{doc.id}.conll")]
        else:
            from .formats.spacy_docbin import write_docbin

            written = [write_docbin([doc], out / f"{doc.id}.spacy")]
    except ImportError as err:
        print(
            f"error: got no {err.name} package, expected it installed for --format "
            f"{args.format} (pip install 'sahel-corpus[bench]')",
            file=sys.stderr,
        )
        return 1
    module = "spacy_docbin" if args.format == "docbin" else args.format
    not_carried = import_module(f"sahel_corpus.formats.{module}").NOT_CARRIED
    for path in written:
        print(f"wrote {path}")
    print(f"not carried by {args.format}: {'; '.join(not_carried)}")
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    """Read annotation from another tool into a document's annotation file."""
    from dataclasses import replace

    from .model import document_to_dict
    from .sources import read_document, write_annotation
    from .validate import validate_file

    target = read_document(args.into)
    source = Path(args.file)
    if args.format == "brat":
        from .formats.brat import read_brat

        txt = args.text or source.with_suffix(".txt")
        doc = read_brat(txt, source, target.meta, normalise_newlines=args.normalise_newlines)
    elif args.format == "labelstudio":
        from .formats.labelstudio import read_labelstudio

        doc = read_labelstudio(source, target.meta, normalise_newlines=args.normalise_newlines)
    else:
        from .formats.xmi import import_xmi

        if args.typesystem is None:
            print(
                "error: got --format xmi without --typesystem, expected the project's "
                "TypeSystem.xml",
                file=sys.stderr,
            )
            return 2
        doc = import_xmi(
            source.read_bytes(),
            Path(args.typesystem).read_bytes(),
            target.meta,
            name=str(source),
        )
    if doc.text != target.text:
        print(
            f"error: {source}: got a text that differs from {args.into}'s, expected the same text",
            file=sys.stderr,
        )
        return 1
    write_annotation(args.into, document_to_dict(replace(doc, meta=target.meta)))
    findings = validate_file(args.into)
    for f in findings:
        print(f.format(), file=sys.stderr)
    print(
        f"imported {source} into {args.into}: {len(doc.entities)} entities, "
        f"{len(doc.mentions)} mentions, {len(doc.relations)} relations, "
        f"{len(doc.stances)} stances; {'valid' if not findings else 'NOT valid'}"
    )
    return 1 if findings else 0


def _cmd_show(args: argparse.Namespace) -> int:
    from .show import write_html
    from .sources import read_document

    write_html(read_document(args.document), args.output, select=args.select)
    print(f"wrote {args.output}")
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    from .jsonschema_def import render_schema

    sys.stdout.write(render_schema())
    return 0


def _cmd_all(args: argparse.Namespace) -> int:
    """Validate, build, load every config offline-capable, print stats and agreement."""
    from .build import agreement_results, build_corpus
    from .loaders import config_names, load_config
    from .sources import read_documents
    from .stats import corpus_stats, render_stats
    from .validate import validate_paths

    corpus = Path(args.corpus)
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
        split = next(iter(ds.values()))
        print(f"{name}: {split.num_rows} rows, columns {', '.join(split.column_names)}")
    docs = read_documents(corpus, validate=False)
    print("== statistics")
    print(render_stats(corpus_stats(docs)))
    print("== agreement")
    from .agreement import render_agreement

    print(render_agreement(agreement_results(corpus, docs)))
    print("== baselines")
    args.task, args.folds, args.seed, args.dataset = "all", None, 0, str(corpus)
    args.train = args.test = args.conll = args.hf_dataset = args.hf_config = None
    args.repair_iob2 = False
    args.update_docs = False
    return _cmd_baselines(args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sahel-corpus",
        description="Validate, build and measure the sahel-corpus annotated news corpus.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        return p

    def corpus_opt(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--corpus", default="corpus", help="the corpus folder (default: %(default)s)"
        )

    p = add("validate", "check annotation files against the schema; never modifies a file")
    p.add_argument(
        "paths", nargs="*", type=Path, help="annotation files or folders (default: CORPUS/sources)"
    )
    corpus_opt(p)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument(
        "--release",
        action="store_true",
        help="also refuse drafts and machine-made items no person has checked",
    )
    p.set_defaults(func=_cmd_validate)

    p = add("build", "compile the sources into parquet files and the dataset card")
    corpus_opt(p)
    p.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if the built files differ from a fresh build",
    )
    p.set_defaults(func=_cmd_build)

    p = add("stats", "print counts per annotation layer")
    corpus_opt(p)
    p.add_argument("--format", choices=("markdown", "json"), default="markdown")
    p.set_defaults(func=_cmd_stats)

    p = add("agree", "per-layer agreement between two annotation files of one document")
    p.add_argument("a", type=Path, help="first annotation file (the reference)")
    p.add_argument("b", type=Path, help="second annotation file")
    p.add_argument("--format", choices=("markdown", "json"), default="markdown")
    p.set_defaults(func=_cmd_agree)

    p = add("extract", "annotate raw article text files with the baselines (draft, machine-made)")
    p.add_argument("files", nargs="+", type=Path, help="UTF-8, NFC, LF text files")
    p.add_argument(
        "-o",
        "--output",
        default="extracted",
        help="folder for <id>.txt and <id>.json (default: %(default)s)",
    )
    corpus_opt(p)
    p.add_argument("--seed", type=int, default=0, help="random seed of the classifiers")
    p.set_defaults(func=_cmd_extract)

    p = add("new", "scaffold a new document: copy its text, propose zones and sentences")
    p.add_argument("text", type=Path, help="the article text (UTF-8, NFC, LF, no BOM)")
    p.add_argument("--id", required=True, help="document id (letters, digits, _ and -)")
    p.add_argument("--title", required=True)
    p.add_argument("--publisher", required=True)
    p.add_argument("--licence", required=True, help="licence of the text")
    p.add_argument("--url", default=None)
    p.add_argument("--published", default=None, help="publication date, ISO 8601")
    p.add_argument("--language", default="en")
    corpus_opt(p)
    p.set_defaults(func=_cmd_new)

    p = add("preannotate", "fill a draft's empty layers with the baselines (machine-made)")
    p.add_argument("document", type=Path, help="the document's annotation file")
    corpus_opt(p)
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=_cmd_preannotate)

    p = add("diff", "list what changed between two versions of a document's annotation")
    p.add_argument("old", type=Path)
    p.add_argument("new", type=Path)
    p.set_defaults(func=_cmd_diff)

    p = add("export", "write a document for an annotation tool (brat, Label Studio) or trainer")
    p.add_argument("document", type=Path, help="the document's annotation file")
    p.add_argument("--format", choices=EXPORT_FORMATS, required=True)
    p.add_argument("-o", "--output", type=Path, required=True, help="output folder")
    p.set_defaults(func=_cmd_export)

    p = add("import", "read a tool's annotation into a document's annotation file")
    p.add_argument("file", type=Path, help="the .ann, Label Studio .json or XMI file")
    p.add_argument("--format", choices=IMPORT_FORMATS, required=True)
    p.add_argument(
        "--into",
        type=Path,
        required=True,
        help="the document's annotation file (its text and metadata are kept)",
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
    p.set_defaults(func=_cmd_import)

    p = add("show", "write one self-contained HTML page of an annotated document")
    p.add_argument("document", type=Path, help="the document's annotation file")
    p.add_argument("-o", "--output", type=Path, required=True, help="the HTML file to write")
    p.add_argument(
        "--select",
        default=None,
        help="an entity, relation or stance id to highlight when the page opens",
    )
    p.set_defaults(func=_cmd_show)

    p = add("schema", "print the JSON Schema of the annotation file")
    p.set_defaults(func=_cmd_schema)

    p = add("baselines", "cross-validate the baselines and print their scores")
    p.add_argument("task", nargs="?", default="all", choices=("ner", "re", "stance", "all"))
    p.add_argument(
        "--dataset",
        default="corpus",
        help="a dataset folder in this corpus's configs (default: %(default)s)",
    )
    p.add_argument(
        "--folds",
        type=int,
        default=None,
        help="number of folds: checked against the data's fold column, or used to "
        "deal rows into folds where there is none (default: 5)",
    )
    p.add_argument("--seed", type=int, default=0, help="random seed (default: %(default)s)")
    p.add_argument(
        "--output",
        default="baselines-output",
        help="folder for per-fold predictions and metrics (default: %(default)s)",
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
    p.set_defaults(func=_cmd_baselines)

    p = add("all", "validate, build, load every config, print statistics and agreement")
    corpus_opt(p)
    p.add_argument(
        "--output",
        default="baselines-output",
        help="folder for the baselines' predictions and metrics",
    )
    p.set_defaults(func=_cmd_all)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    try:
        status: int = args.func(args)
    except (OSError, ValueError) as err:  # bad input anywhere (CorpusError, DataError, ...)
        print(f"error: {err}", file=sys.stderr)
        return 1
    return status


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
