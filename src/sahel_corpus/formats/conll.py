"""CoNLL IOB2 export: one token and its tag per line, a blank line between sentences.

Carries the outermost mentions and their entity types, sentence by sentence
(the ``ner`` config's view); ``NOT_CARRIED`` lists the rest.

Examples
--------
>>> from sahel_corpus.model import DocumentMeta, Document, Entity, Mention, Sentence, Zone
>>> text = "Wagner left Ber."
>>> meta = DocumentMeta("d", "d.txt", "0" * 64, "t", "p", None, None, "en", "l", "l", "1",
...                     (), "draft")
>>> doc = Document(meta, text, (Zone("z1", "BODY", 0, 16, text),),
...                (Sentence("s1", "z1", 0, 16, text),),
...                (Entity("e1", "ORG"), Entity("e2", "GPE")),
...                (Mention("m1", "e1", 0, 6, "Wagner", "NAM"),
...                 Mention("m2", "e2", 12, 15, "Ber", "NAM")))
>>> print(export_document(doc))
-DOCSTART- O
<BLANKLINE>
Wagner	B-ORG
left	O
Ber	B-GPE
.	O
<BLANKLINE>
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sahel_corpus.fileio import write_atomic
from sahel_corpus.model import Document
from sahel_corpus.views import sentence_tags

from . import Format, register

__all__ = ["FORMAT", "NOT_CARRIED", "export_document", "write_conll"]

NOT_CARRIED = (
    "document metadata",
    "zones",
    "nested mentions (only the outermost span of each nest)",
    "mention levels",
    "coreference and entity attributes",
    "relations",
    "stances",
    "events",
)


def export_document(doc: Document) -> str:
    """The document as CoNLL IOB2 text (tab-separated), starting with ``-DOCSTART-``."""
    lines = ["-DOCSTART- O", ""]
    for sent in sorted(doc.sentences, key=lambda s: s.start):
        toks, tags = sentence_tags(doc, sent)
        lines += [f"{doc.text[a:b]}\t{tag}" for (a, b), tag in zip(toks, tags, strict=True)]
        lines.append("")
    return "\n".join(lines)


def write_conll(docs: Iterable[Document], path: str | Path) -> Path:
    """Write documents to one CoNLL file (UTF-8, LF)."""
    return write_atomic(path, "\n".join(export_document(d) for d in docs), mkdir=True)


FORMAT = register(
    Format(
        "conll",
        "CoNLL IOB2: a token and its tag per line, sentences separated by a blank line",
        ("sentences", "mentions"),
        NOT_CARRIED,
        write=lambda doc, folder: [write_conll([doc], folder / f"{doc.id}.conll")],
    )
)
