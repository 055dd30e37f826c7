"""The canonical text of an annotation file is the standard library's indented JSON, byte for
byte, whichever encoder writes it."""

from __future__ import annotations

import json
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _paths import CORPUS
from sahel_corpus.sources import dumps_annotation

#: What an annotation file can hold: no floats (the schema has none).
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


def _reference(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.text(), VALUES, max_size=6))
def test_any_annotation_like_value_is_written_as_the_standard_library_writes_it(
    data: dict[str, Any],
) -> None:
    assert dumps_annotation(data) == _reference(data)


def test_control_characters_and_separators_are_escaped_as_the_standard_library_does() -> None:
    text = "".join(chr(c) for c in range(0x20)) + '"\\/\x7f\u2028\u2029\ufeff\U0001f600é'
    data = {text: [text, {"k": text}], "n": -(2**63), "m": 2**64 - 1}
    orjson.dumps(data)  # within what orjson writes itself
    assert dumps_annotation(data) == _reference(data)


def test_an_integer_past_64_bits_is_written_by_the_standard_library() -> None:
    data = {"big": 2**64, "small": -(2**63) - 1, "text": "é"}
    with pytest.raises(orjson.JSONEncodeError):
        orjson.dumps(data)
    assert dumps_annotation(data) == _reference(data)


def test_every_committed_annotation_file_is_in_canonical_form() -> None:
    files = sorted((CORPUS / "sources").rglob("*.json"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert dumps_annotation(json.loads(text)) == text, path
