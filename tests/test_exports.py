"""CoNLL and spaCy DocBin exports carry what they claim to carry."""

from __future__ import annotations

from pathlib import Path

from _paths import CORPUS
from sahel_corpus.baselines.data import read_conll_text, tagged_sentences
from sahel_corpus.formats.conll import export_document, write_conll
from sahel_corpus.iob import outermost_spans
from sahel_corpus.sources import read_documents


def test_conll_export_reads_back_as_the_ner_view(tmp_path: Path) -> None:
    docs = read_documents(CORPUS)
    path = write_conll(docs, tmp_path / "corpus.conll")
    back = read_conll_text(path.read_text(encoding="utf-8"), str(path), fold=0)
    view = tagged_sentences(docs)
    assert [(s.tokens, s.tags) for s in back] == [(s.tokens, s.tags) for s in view]
    assert export_document(docs[0]).startswith("-DOCSTART- O\n\nUN\tB-ORG\n")


def test_docbin_keeps_text_sentences_entities_and_nested_mentions(tmp_path: Path) -> None:
    import spacy
    from spacy.tokens import DocBin

    from sahel_corpus.formats.spacy_docbin import write_docbin

    [doc] = read_documents(CORPUS)
    path = write_docbin([doc], tmp_path / "corpus.spacy")
    nlp = spacy.blank("en")
    [sdoc] = list(DocBin().from_disk(path).get_docs(nlp.vocab))
    assert sdoc.text == doc.text
    spans = [(m.start, m.end, doc.entity(m.entity).type) for m in doc.mentions]
    assert [(e.start_char, e.end_char, e.label_) for e in sdoc.ents] == outermost_spans(spans)
    assert sorted((s.start_char, s.end_char, s.label_) for s in sdoc.spans["mentions"]) == sorted(
        spans
    )
    starts = sorted(s.start_char for s in sdoc.sents if s.text.strip())
    assert {s.start for s in doc.sentences} <= set(starts)
