"""spaCy ``DocBin`` export (needs the optional ``spacy`` package: ``pip install spacy``).

Each document becomes one ``Doc`` over the project's tokens of the whole
text, with sentence starts from the sentence layer, ``doc.ents`` set to the
outermost mentions and every mention, nested ones included, in the span
group ``doc.spans["mentions"]`` (label = entity type). ``NOT_CARRIED`` lists
the rest.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sahel_corpus.errors import FormatError
from sahel_corpus.fileio import write_atomic
from sahel_corpus.iob import outermost_spans
from sahel_corpus.model import Document
from sahel_corpus.tokenize import token_offsets

from . import Format, register

__all__ = ["FORMAT", "NOT_CARRIED", "to_spacy_doc", "write_docbin"]

NOT_CARRIED = (
    "document metadata",
    "zones",
    "mention levels",
    "coreference and entity attributes",
    "relations",
    "stances",
)


def _words(doc: Document) -> tuple[list[str], list[bool], list[bool]]:
    """spaCy words, trailing-space flags and sentence starts that rebuild the exact text.

    White space other than one space between tokens becomes a token of its own,
    as spaCy does, so that character offsets are the document's.
    """
    text = doc.text
    starts = {s.start for s in doc.sentences}
    words: list[str] = []
    spaces: list[bool] = []
    sent: list[bool] = []
    pos = 0
    for a, b in [*token_offsets(text), (len(text), len(text))]:
        gap = text[pos:a]
        if gap == " " and words:
            spaces[-1] = True
        elif gap:
            words.append(gap)
            spaces.append(False)
            sent.append(False)
        if a < b:
            words.append(text[a:b])
            spaces.append(False)
            sent.append(a in starts)
        pos = b
    return words, spaces, sent


def to_spacy_doc(doc: Document, vocab: Any) -> Any:
    """A spaCy ``Doc`` of one document (tokens, sentence starts, entities, mention spans)."""
    from spacy.tokens import Doc

    words, spaces, sent_starts = _words(doc)
    flags: list[bool | int | None] = list(sent_starts)
    sdoc = Doc(vocab, words=words, spaces=spaces, sent_starts=flags)
    if sdoc.text != doc.text:  # pragma: no cover - guarded by construction
        raise FormatError(
            f"{doc.id}: got a spaCy text that differs from the document's, expected the same",
            code="docbin-text",
        )
    spans = [(m.start, m.end, doc.entity(m.entity).type) for m in doc.mentions]

    def span(a: int, b: int, label: str) -> Any:
        result = sdoc.char_span(a, b, label=label)
        if result is None:
            raise FormatError(
                f"{doc.id}: got span {a}:{b} that is not token-aligned, "
                "expected a validated document",
                code="docbin-span",
            )
        return result

    sdoc.ents = [span(*s) for s in outermost_spans(spans)]
    sdoc.spans["mentions"] = [span(*s) for s in sorted(spans)]
    return sdoc


def write_docbin(docs: Iterable[Document], path: str | Path) -> Path:
    """Write documents to a ``.spacy`` file."""
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    binary = DocBin(store_user_data=False)
    for doc in docs:
        binary.add(to_spacy_doc(doc, nlp.vocab))
    return write_atomic(path, binary.to_bytes(), mkdir=True)


FORMAT = register(
    Format(
        "docbin",
        "spaCy DocBin (.spacy): tokens, sentences, entities and mention spans "
        "(needs spaCy: pip install 'sahel-corpus[bench]')",
        ("sentences", "mentions"),
        NOT_CARRIED,
        write=lambda doc, folder: [write_docbin([doc], folder / f"{doc.id}.spacy")],
    )
)
