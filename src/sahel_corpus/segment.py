"""Proposing zones and sentences for raw article text.

A zone is one paragraph: a run of non-blank lines, trimmed of white space.
The first paragraph is the HEADLINE; paragraphs that look like publisher
furniture (advertising markers, "read more" and share lines, publisher
notes) are BOILERPLATE; short paragraphs without final punctuation are
SUBHEADINGs; the rest are BODY. A headline or subheading is one sentence;
a body paragraph is split after ``.``, ``!`` or ``?`` (and a closing quote)
followed by white space and an upper-case letter, a digit or an opening
quote, except after a few abbreviations.

Examples
--------
>>> text = "Title Here\\n\\nIt rained. Mr. Smith left.\\n\\nAdvertisement"
>>> [z.type for z in propose_zones(text)]
['HEADLINE', 'BODY', 'BOILERPLATE']
>>> [s.text for s in propose_sentences(text, propose_zones(text))]
['Title Here', 'It rained.', 'Mr. Smith left.']
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .model import Sentence, Zone

__all__ = ["BOILERPLATE_PATTERNS", "propose_sentences", "propose_zones", "split_sentence_spans"]

#: Whole-paragraph patterns of publisher furniture (case-insensitive).
BOILERPLATE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^advertisements?$",
        r"^read (more|also)\b.*$",
        r"^breaking news$",
        r"^share (on|this)\b.*$",
        r"^(this article|this story) (was|is) (first )?published\b.*$",
        r"^(subscribe|sign up|follow us|click here)\b.*$",
        r"^(related|recommended)( articles| stories)?:?$",
    )
)

_PARAGRAPH = re.compile(r"[^\n]+(?:\n[^\n]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?(\s+)(?=[\"“‘(]?[A-Z0-9])")
_ABBREVIATIONS = (
    "Mr.",
    "Mrs.",
    "Ms.",
    "Dr.",
    "Gen.",
    "Col.",
    "Lt.",
    "Sgt.",
    "St.",
    "No.",
    "U.S.",
    "U.N.",
    "Jan.",
    "Feb.",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
)
_SUBHEADING_MAX_WORDS = 12


def _zone_type(paragraph: str, index: int) -> str:
    if any(p.match(paragraph) for p in BOILERPLATE_PATTERNS):
        return "BOILERPLATE"
    if index == 0:
        return "HEADLINE"
    if paragraph[-1] not in '.!?"”’)' and len(paragraph.split()) <= _SUBHEADING_MAX_WORDS:
        return "SUBHEADING"
    return "BODY"


def propose_zones(text: str) -> list[Zone]:
    """Zones of a text: one per paragraph, typed by the rules of this module."""
    zones: list[Zone] = []
    content = 0  # zones so far that are not boilerplate
    for match in _PARAGRAPH.finditer(text):
        raw = match.group()
        lead = len(raw) - len(raw.lstrip())
        body = raw.strip()
        if not body:
            continue
        start = match.start() + lead
        zone_type = _zone_type(body, content)
        content += zone_type != "BOILERPLATE"
        zones.append(Zone(f"z{len(zones) + 1}", zone_type, start, start + len(body), body))
    return zones


def split_sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]`` (offsets into ``text``)."""
    spans = []
    current = start
    for m in _SENTENCE_END.finditer(text, start, end):
        before = text[current : m.start(1)]
        if before.endswith(_ABBREVIATIONS):
            continue
        spans.append((current, m.start(1)))
        current = m.end(1)
    spans.append((current, end))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def propose_sentences(text: str, zones: Sequence[Zone]) -> list[Sentence]:
    """Sentences of every zone but BOILERPLATE; a heading is one sentence."""
    sentences: list[Sentence] = []
    for zone in zones:
        if zone.type == "BOILERPLATE":
            continue
        if zone.type in ("HEADLINE", "SUBHEADING"):
            spans = [(zone.start, zone.end)]
        else:
            spans = split_sentence_spans(text, zone.start, zone.end)
        for a, b in spans:
            sentences.append(Sentence(f"s{len(sentences) + 1}", zone.id, a, b, text[a:b]))
    return sentences
