"""Extraction into files: ``sahel-corpus extract`` and ``sahel-corpus preannotate``.

Both check everything they can before they train a model or write a file:

* :func:`plan_extraction` reads every input, applies the corpus's text rules,
  maps each input to its output names, and refuses (naming the files) two
  inputs that map to one output, an output folder inside a corpus's
  ``sources/``, and outputs that exist already (unless ``overwrite``);
* :func:`extract_planned` then extracts each text, validates the annotation
  in memory and writes the text and its annotation file atomically;
* :func:`preannotate` fills only the empty layers of a draft document and
  refuses any document that is not a draft.

Nothing is written for an input that fails, and a file written is always a
valid annotation file or its text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sahel_corpus import schema as inv
from sahel_corpus.errors import AnnotationError, DataError, UsageError, WriteError
from sahel_corpus.fileio import read_bytes, sync_folders, write_atomic
from sahel_corpus.model import Document, document_to_dict, has_events
from sahel_corpus.sources import (
    check_not_in_a_corpus,
    read_document,
    read_documents,
    write_annotation,
)
from sahel_corpus.textrules import decode_text
from sahel_corpus.tokenize import TOKEN_PATTERN
from sahel_corpus.validate import raise_findings, validate_data

from .data import TRAIN_ONLY, TaggedSentence, map_labels, parse_label_map, read_conll
from .pipeline import EXTRACTOR_NAME, Extractor, document_id_from_name

__all__ = [
    "Planned",
    "check_outside_sources",
    "extract_planned",
    "plan_extraction",
    "preannotate",
    "read_ner_train",
]


@dataclass(frozen=True, slots=True)
class Planned:
    """One input text, checked, with the files it will be written to."""

    source: Path
    doc_id: str
    raw: bytes
    text: str
    text_out: Path
    json_out: Path

    @property
    def words(self) -> int:
        return sum(1 for _ in TOKEN_PATTERN.finditer(self.text))


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def check_outside_sources(out: Path, corpus_dir: str | Path | None) -> None:
    """Refuse an output folder inside the corpus's annotation sources (``output-in-sources``)."""
    if corpus_dir is not None and _inside(out, Path(corpus_dir) / "sources"):
        raise WriteError(
            f"{out}: got an output folder inside {Path(corpus_dir) / 'sources'}, expected a "
            "folder outside the corpus's annotation sources (machine output is never written "
            "over them; use `sahel-corpus new` and `preannotate` to add a document)",
            code="output-in-sources",
        )
    check_not_in_a_corpus(out, "output folder")


def plan_extraction(
    files: Sequence[str | Path],
    output: str | Path,
    corpus_dir: str | Path | None = None,
    overwrite: bool = False,
) -> list[Planned]:
    """Check every input and output of an extraction; return the plan (nothing is written).

    Raises :class:`~sahel_corpus.errors.DataError` for an unreadable input or
    one that breaks the text rules, and :class:`~sahel_corpus.errors.WriteError`
    (code ``output-collision``, ``output-in-sources`` or ``output-exists``)
    for outputs that would harm a file.
    """
    out = Path(output)
    check_outside_sources(out, corpus_dir)
    if out.exists() and not out.is_dir():
        raise WriteError(f"{out}: got a file, expected an output folder", code="output-not-folder")
    planned: list[Planned] = []
    by_id: dict[str, Path] = {}
    for name in files:
        source = Path(name)
        raw = read_bytes(source, "a text file to extract from")
        text = decode_text(raw, str(source), DataError)
        doc_id = document_id_from_name(source.stem)
        if doc_id in by_id:
            raise WriteError(
                f"{source}: got the same output name {doc_id!r} as {by_id[doc_id]}, expected "
                "inputs whose names map to different outputs (rename one of them)",
                code="output-collision",
            )
        by_id[doc_id] = source
        planned.append(
            Planned(source, doc_id, raw, text, out / f"{doc_id}.txt", out / f"{doc_id}.json")
        )
    if not overwrite:
        existing = [p for item in planned for p in (item.text_out, item.json_out) if p.exists()]
        if existing:
            names = ", ".join(str(p) for p in existing[:5])
            more = f" and {len(existing) - 5} more" if len(existing) > 5 else ""
            raise WriteError(
                f"{names}{more}: got existing output file(s), expected new names (pass "
                "--overwrite to replace them)",
                code="output-exists",
            )
    return planned


#: Inputs extracted together (each model predicts once for them; see
#: :meth:`Extractor.extract_documents`) before they are validated and written one by one.
EXTRACT_TOGETHER = 32


def extract_planned(
    extractor: Extractor,
    planned: Sequence[Planned],
    progress: Callable[[int], object] | None = None,
) -> Iterator[tuple[Planned, Document]]:
    """Extract, validate and write each planned input; yield it with its document.

    ``progress`` is called with the number of words done, batch by batch.
    """
    for at in range(0, len(planned), EXTRACT_TOGETHER):
        block = planned[at : at + EXTRACT_TOGETHER]
        docs = extractor.extract_documents([(item.text, item.doc_id) for item in block], progress)
        written: list[Path] = []
        done: list[tuple[Planned, Document]] = []
        refused: Exception | None = None
        try:
            for item, doc in zip(block, docs, strict=True):
                data = document_to_dict(doc)
                raise_findings(
                    validate_data(data, str(item.json_out), text=item.text), str(item.source)
                )
                written.append(write_atomic(item.text_out, item.raw, mkdir=True, sync_folder=False))
                written.append(write_annotation(item.json_out, data, sync_folder=False))
                done.append((item, doc))
        except Exception as err:  # what was written is reported first, then the refusal
            refused = err
        finally:  # each file was flushed before its rename; the renames now, once per folder
            sync_folders(p.parent for p in written)
        yield from done
        if refused is not None:
            raise refused


def read_ner_train(
    files: Sequence[str | Path], label_map: str | None, repair: bool = False
) -> list[TaggedSentence]:
    """Tagged sentences of IOB2 files, their labels mapped to the corpus's entity types.

    ``label_map`` is ``"LABEL=TYPE,..."`` (:func:`parse_label_map`); without
    it every label must already be one of the corpus's types.
    """
    if not files:
        if label_map:
            raise UsageError("got --ner-map without --ner-train, expected both", code="label-map")
        return []
    mapping = parse_label_map(label_map) if label_map else {t: t for t in inv.ENTITY_TYPES}
    out: list[TaggedSentence] = []
    for name in files:
        out += map_labels(read_conll(name, TRAIN_ONLY, repair), mapping, str(name))
    return out


def preannotate(
    path: str | Path,
    corpus_dir: str | Path,
    seed: int = 0,
    ner_train: Sequence[TaggedSentence] = (),
) -> Document:
    """Fill a draft document's empty layers with machine-made predictions and save it.

    Only a document of status ``draft`` is filled, and only its empty layers:
    existing mentions (with their entities) are kept and relations, stances
    and events (in a schema 1.1 file) are predicted over them where those
    layers are empty. The models train on
    the corpus's other documents. The result is validated before the file is
    replaced (atomically). ``ner_train`` (IOB2 sentences of other data, their
    labels mapped) trains one more tagger whose mentions fill what the
    corpus's tagger leaves; with it, the corpus may have no other document
    (then relations and stances, which only the corpus teaches, stay empty).
    """
    path = Path(path)
    doc = read_document(path)
    if doc.meta.status != "draft":
        raise AnnotationError(
            f"{path}: got status {doc.meta.status!r}, expected 'draft' (pre-annotation only "
            "fills a new document; set the status back to draft to fill one again)",
            code="not-a-draft",
        )
    events_layer = has_events(doc.schema_version)
    if doc.entities and doc.relations and doc.stances and (doc.events or not events_layer):
        raise AnnotationError(
            f"{path}: got annotation in every layer, expected an empty layer to fill "
            "(pre-annotation never overwrites annotation)",
            code="nothing-to-fill",
        )
    training = [d for d in read_documents(corpus_dir) if d.id != doc.id]
    if not training and not ner_train:
        raise DataError(
            f"{corpus_dir}: got no other document to train on, expected at least "
            "one annotated document (or IOB2 data to train a tagger on: --ner-train)",
            code="no-training-data",
        )
    extractor = Extractor.train(training, seed=seed, ner_train=ner_train)
    if doc.mentions:
        made = extractor.annotate_relations(doc)
    else:
        made = extractor.annotate(doc.text, doc.id, doc.zones, doc.sentences)
    annotators = doc.meta.annotators
    if EXTRACTOR_NAME not in annotators:
        annotators = (*annotators, EXTRACTOR_NAME)
    result = replace(
        doc,
        meta=replace(doc.meta, annotators=annotators),
        entities=doc.entities or made.entities,
        mentions=doc.mentions or made.mentions,
        relations=doc.relations or made.relations,
        stances=doc.stances or made.stances,
        events=(doc.events or made.events) if events_layer else doc.events,
    )
    if (result.entities, result.relations, result.stances, result.events) == (
        doc.entities,
        doc.relations,
        doc.stances,
        doc.events,
    ):
        empty = [
            layer
            for layer in ("entities", "relations", "stances", "events")
            if not getattr(doc, layer) and (layer != "events" or events_layer)
        ]
        raise AnnotationError(
            f"{path}: got no prediction for its empty layers ({', '.join(empty)}), expected at "
            "least one (relations, stances and events are learned from the corpus's other "
            "documents, events only from schema 1.1 files; they proposed none here)",
            code="nothing-to-fill",
        )
    data = document_to_dict(result)
    raise_findings(validate_data(data, str(path), text=doc.text), str(path))
    write_annotation(path, data)
    return result
