"""spaCy ``DocBin`` export (needs the optional ``spacy`` package: ``pip install spacy``).

Each document becomes one ``Doc`` of the whole text tokenised by spaCy's own
tokenizer for the document's language (so ``spacy train`` and ``spacy debug
data`` find no misaligned token), with sentence starts from the sentence
layer, ``doc.ents`` set to the outermost mentions and every mention, nested
ones included, in the span group ``doc.spans["mentions"]`` (label = entity
type). A mention or sentence start inside a spaCy token is left out and
named (:func:`left_out`); ``NOT_CARRIED`` lists the rest.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sahel_corpus.fileio import write_atomic
from sahel_corpus.iob import outermost_spans
from sahel_corpus.model import Document

from . import Format, register

__all__ = ["FORMAT", "NOT_CARRIED", "left_out", "to_spacy_doc", "write_docbin"]

NOT_CARRIED = (
    "document metadata",
    "zones",
    "mention levels",
    "coreference and entity attributes",
    "relations",
    "stances",
    "events",
)


def to_spacy_doc(doc: Document, nlp: Any) -> tuple[Any, list[str]]:
    """A spaCy ``Doc`` of one document, tokenised by ``nlp``'s own tokenizer.

    Tokens are spaCy's (so training on the export meets no misaligned
    token), sentence starts come from the sentence layer, ``doc.ents`` are
    the outermost mentions and ``doc.spans["mentions"]`` every mention. A
    mention or sentence start that falls inside one of spaCy's tokens cannot
    be carried: it is left out, and the second value says which.
    """
    sdoc = nlp.make_doc(doc.text)
    starts = {t.idx: t.i for t in sdoc}
    left_out: list[str] = []
    for s in doc.sentences:
        if s.start in starts:
            sdoc[starts[s.start]].is_sent_start = True
        else:
            left_out.append(f"sentence {s.id} at {s.start} (starts inside a spaCy token)")
    for t in sdoc:
        if t.is_sent_start is None:
            t.is_sent_start = False
    spans = []
    for m in doc.mentions:
        label = doc.entity(m.entity).type
        if sdoc.char_span(m.start, m.end, label=label) is None:
            left_out.append(f"mention {m.id} {m.text!r} at {m.start}:{m.end}")
        else:
            spans.append((m.start, m.end, label))
    sdoc.ents = [sdoc.char_span(*span) for span in outermost_spans(spans)]
    sdoc.spans["mentions"] = [sdoc.char_span(*span) for span in sorted(spans)]
    return sdoc, left_out


def left_out(doc: Document) -> list[str]:
    """What of ``doc`` falls inside spaCy's tokens and so cannot go into the DocBin."""
    import spacy

    return to_spacy_doc(doc, spacy.blank(doc.meta.language.split("-")[0]))[1]


def write_docbin(docs: Iterable[Document], path: str | Path) -> Path:
    """Write documents to a ``.spacy`` file."""
    import spacy
    from spacy.tokens import DocBin

    binary = DocBin(store_user_data=False)
    for doc in docs:
        binary.add(to_spacy_doc(doc, spacy.blank(doc.meta.language.split("-")[0]))[0])
    return write_atomic(path, binary.to_bytes(), mkdir=True)


FORMAT = register(
    Format(
        "docbin",
        "spaCy DocBin (.spacy): tokens, sentences, entities and mention spans "
        "(needs spaCy: pip install 'sahel-corpus[bench]')",
        ("sentences", "mentions"),
        NOT_CARRIED,
        write=lambda doc, folder: [write_docbin([doc], folder / f"{doc.id}.spacy")],
        left_out=left_out,
    )
)
