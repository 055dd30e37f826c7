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

from . import __version__

__all__ = ["main"]


def _cmd_validate(args: argparse.Namespace) -> int:
    from .validate import validate_paths

    paths = args.paths or [Path(args.corpus) / "sources"]
    report = validate_paths(paths)
    if args.format == "json":
        print(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        print(report.format_text())
    return 0 if report.ok else 1


def _cmd_build(args: argparse.Namespace) -> int:
    from .build import build_corpus
    from .sources import CorpusError

    try:
        result = build_corpus(args.corpus, check=args.check)
    except CorpusError as err:
        print(err, file=sys.stderr)
        return 1
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
    from .sources import CorpusError, read_documents
    from .stats import corpus_stats, render_stats

    try:
        docs = read_documents(args.corpus)
    except CorpusError as err:
        print(err, file=sys.stderr)
        return 1
    stats = corpus_stats(docs)
    if args.format == "json":
        print(json.dumps(stats, indent=2))
    else:
        print(render_stats(stats))
    return 0


def _cmd_agree(args: argparse.Namespace) -> int:
    from .agreement import agreement, render_agreement
    from .sources import CorpusError, read_document

    try:
        a, b = read_document(args.a), read_document(args.b)
        result = agreement(a, b)
    except (CorpusError, ValueError) as err:
        print(err, file=sys.stderr)
        return 1
    if args.format == "json":
        print(json.dumps(result, indent=2))
    else:
        print(render_agreement([result]))
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    from .jsonschema_def import render_schema

    sys.stdout.write(render_schema())
    return 0


def _cmd_all(args: argparse.Namespace) -> int:
    """Validate, build, load every config offline-capable, print stats and agreement."""
    from .build import agreement_results, build_corpus
    from .loaders import config_names, load_config
    from .sources import CorpusError, read_documents
    from .stats import corpus_stats, render_stats
    from .validate import validate_paths

    corpus = Path(args.corpus)
    print("== validate")
    report = validate_paths([corpus / "sources"])
    print(report.format_text())
    if not report.ok:
        return 1
    print("== build")
    try:
        result = build_corpus(corpus)
    except CorpusError as err:
        print(err, file=sys.stderr)
        return 1
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
    return 0


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

    p = add("schema", "print the JSON Schema of the annotation file")
    p.set_defaults(func=_cmd_schema)

    p = add("all", "validate, build, load every config, print statistics and agreement")
    corpus_opt(p)
    p.set_defaults(func=_cmd_all)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    status: int = args.func(args)
    return status


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
