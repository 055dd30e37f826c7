"""Pre-annotation as a contributor meets it, on a document the models never saw.

    python benchmarks/preannotation.py --ner-train train.txt \\
        --ner-map PER=PER,ORG=ORG,LOC=GPE,MISC=O --name "the CoNLL-2003 English training split"

The corpus's document, reduced to the draft a contributor starts from (its
text, zones and sentences; no entity, mention, relation or stance), goes into
a corpus of its own, and ``sahel-corpus preannotate`` fills it: the models
cannot have seen it, because the corpus holds no other document, so the
mentions come from a tagger trained on the named IOB2 data (labels mapped)
and the DATE and CARDINAL patterns. The proposals are then compared with the
gold annotation: the share of gold mentions proposed with exact span and type
(all mentions, and names alone), and the share of proposals that match no
gold mention. Results go to ``preannotation.json`` and the README section.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sahel_corpus.model import ANNOTATION_LAYERS

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import report  # noqa: E402


def _draft(gold: Path, dest: Path) -> Path:
    """The gold document as a fresh draft in a corpus of its own; return its path."""
    data = json.loads(gold.read_text(encoding="utf-8"))
    documents = dest / "sources" / "documents"
    documents.mkdir(parents=True)
    shutil.copy(gold.parent / data["document"]["text_file"], documents)
    data["document"]["status"] = "draft"
    for layer in ANNOTATION_LAYERS:
        if layer in data:
            data[layer] = []
    path = documents / gold.name
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def measure(
    gold_path: Path, ner_train: list[Path], ner_map: str, seed: int = 0, repair: bool = False
) -> dict[str, Any]:
    """Pre-annotate the draft of ``gold_path`` and score the proposals against the gold."""
    from sahel_corpus.cli import main as cli
    from sahel_corpus.sources import read_document

    gold = read_document(gold_path)
    with tempfile.TemporaryDirectory() as tmp:
        draft = _draft(gold_path, Path(tmp) / "corpus")
        argv = ["preannotate", str(draft), "--corpus", str(Path(tmp) / "corpus")]
        argv += ["--seed", str(seed), "--ner-map", ner_map, "--ner-train", *map(str, ner_train)]
        argv += ["--repair-iob2"] if repair else []
        start = time.perf_counter()
        if cli(argv) != 0:
            raise SystemExit("preannotate failed")
        seconds = time.perf_counter() - start
        made = read_document(draft)

    def key(doc: Any, m: Any) -> tuple[int, int, str]:
        return (m.start, m.end, doc.entity(m.entity).type)

    gold_keys = {key(gold, m) for m in gold.mentions}
    names = {key(gold, m) for m in gold.mentions if m.level == "NAM"}
    proposed = {key(made, m) for m in made.mentions}
    return {
        "gold_mentions": len(gold_keys),
        "gold_names": len(names),
        "proposed": len(proposed),
        "found": round(len(gold_keys & proposed) / len(gold_keys), 4),
        "names_found": round(len(names & proposed) / len(names), 4),
        "wrong": round(len(proposed - gold_keys) / len(proposed), 4) if proposed else 0.0,
        "relations_proposed": len(made.relations),
        "stances_proposed": len(made.stances),
        "seconds": round(seconds, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ner-train", type=Path, nargs="+", required=True)
    parser.add_argument("--ner-map", required=True)
    parser.add_argument("--name", required=True, help="what the training data are (cited)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repair-iob2", action="store_true")
    parser.add_argument(
        "--document",
        type=Path,
        default=REPO / "corpus" / "sources" / "documents" / "000_b8e6d3e9cdabb873.json",
    )
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args(argv)
    result = measure(args.document, args.ner_train, args.ner_map, args.seed, args.repair_iob2)
    files = " ".join(p.name for p in args.ner_train)
    repair = " --repair-iob2" if args.repair_iob2 else ""
    result = {
        "command": f"python benchmarks/preannotation.py --ner-train {files} "
        f"--ner-map {args.ner_map}{repair}",
        "training_data": args.name,
        "document": args.document.stem,
        **result,
    }
    report.save_json(args.out / "preannotation.json", result)
    readme = REPO / "README.md" if args.out == HERE else args.out / "README.md"
    if readme.is_file():
        report.update_root(args.out, readme)
    print(report.render_preannotation(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
