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


def test_docbin_tokens_are_spacys_own() -> None:
    """Training on the export meets no misaligned token: the tokens are the tokenizer's."""
    import spacy

    from sahel_corpus.formats.spacy_docbin import left_out, to_spacy_doc

    [doc] = read_documents(CORPUS)
    nlp = spacy.blank("en")
    sdoc, missing = to_spacy_doc(doc, nlp)
    assert [t.text for t in sdoc] == [t.text for t in nlp(doc.text)]
    assert missing == [] == left_out(doc)
    assert "||" in [t.text for t in sdoc]  # the project's tokenizer splits it; spaCy does not


def test_docbin_names_what_falls_inside_a_spacy_token() -> None:
    import dataclasses

    import spacy

    from sahel_corpus.formats.spacy_docbin import to_spacy_doc
    from sahel_corpus.model import Mention

    [doc] = read_documents(CORPUS)
    bar = doc.text.index("||")
    inside = Mention("m999", doc.mentions[0].entity, bar, bar + 1, "|", "NAM")
    sdoc, missing = to_spacy_doc(
        dataclasses.replace(doc, mentions=(*doc.mentions, inside)), spacy.blank("en")
    )
    assert missing == [f"mention m999 '|' at {bar}:{bar + 1}"]
    assert len(sdoc.spans["mentions"]) == len(doc.mentions)
