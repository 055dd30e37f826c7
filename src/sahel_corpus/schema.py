"""The label inventory of annotation schema version 1.1 (1.0 plus the event layer).

Every label list here is the single source for the JSON Schema enums, the
validator, the ClassLabel names of the built datasets and the dataset card.
Order matters: it fixes the integer ids of the ClassLabel features, so new
labels are only ever appended.

Examples
--------
>>> "ORG" in ENTITY_TYPES
True
>>> is_symmetric("ALLIED_WITH"), is_symmetric("ATTACKS")
(True, False)
>>> NER_TAGS[:3]
('O', 'B-PER', 'I-PER')
>>> is_iso_date("2023-02-30"), is_iso_date("2023-06"), is_url("https://example.org/a")
(False, True, True)
"""

from __future__ import annotations

import datetime
import re
from urllib.parse import urlsplit

__all__ = [
    "ACTOR_CATEGORIES",
    "AUTHOR",
    "DOCUMENT_ID_PATTERN",
    "DOCUMENT_STATUSES",
    "ENTITY_TYPES",
    "EVENT_REALIS",
    "EVENT_ROLES",
    "EVENT_TAGS",
    "EVENT_TYPES",
    "GUIDELINE_VERSION",
    "LANGUAGE_PATTERN",
    "MENTION_LEVELS",
    "NAM_ONLY_TYPES",
    "NER_TAGS",
    "OBJECT_ID_PATTERN",
    "RELATION_TYPES",
    "ROLES_OF_EVENT_TYPE",
    "ROLE_ENTITY_TYPES",
    "SCHEMA_VERSION",
    "SCHEMA_VERSIONS",
    "STANCE_LABELS",
    "SYMMETRIC_RELATIONS",
    "TAGGED_ZONE_TYPES",
    "ZONE_TYPES",
    "is_document_id",
    "is_iso_date",
    "is_symmetric",
    "is_url",
]

#: Version of the annotation file format; files carry it as ``schema_version``.
SCHEMA_VERSION = "1.1"
#: Every version a file may carry: 1.0 files (no event layer) still validate.
SCHEMA_VERSIONS: tuple[str, ...] = ("1.0", "1.1")

ZONE_TYPES: tuple[str, ...] = ("HEADLINE", "SUBHEADING", "BODY", "BOILERPLATE")
#: Zones whose text carries sentences and annotation (all but BOILERPLATE).
TAGGED_ZONE_TYPES: tuple[str, ...] = ("HEADLINE", "SUBHEADING", "BODY")

ENTITY_TYPES: tuple[str, ...] = (
    "PER",
    "ORG",
    "GPE",
    "LOC",
    "FAC",
    "NORP",
    "LAW",
    "DATE",
    "CARDINAL",
)
#: Value types: level NAM by convention, no actor category.
NAM_ONLY_TYPES: tuple[str, ...] = ("DATE", "CARDINAL")

MENTION_LEVELS: tuple[str, ...] = ("NAM", "NOM", "PRO")

ACTOR_CATEGORIES: tuple[str, ...] = (
    "STATE_FORCES",
    "GOVERNMENT",
    "ARMED_GROUP",
    "INTERNATIONAL",
    "PRIVATE_MILITARY",
    "FOREIGN_STATE",
    "MEDIA",
    "CIVILIANS",
    "OTHER",
)

RELATION_TYPES: tuple[str, ...] = (
    "PART_OF",
    "MEMBER_OF",
    "AFFILIATED_WITH",
    "LOCATED_IN",
    "CONTROLS",
    "WITHDRAWS_FROM",
    "ATTACKS",
    "ALLIED_WITH",
    "IN_CONFLICT_WITH",
)
SYMMETRIC_RELATIONS: frozenset[str] = frozenset({"ALLIED_WITH", "IN_CONFLICT_WITH"})

STANCE_LABELS: tuple[str, ...] = ("FAVOR", "AGAINST", "NEUTRAL")
#: The holder value for the article's own voice.
AUTHOR = "AUTHOR"

#: The version of ``docs/guidelines.md`` that new files are annotated under.
GUIDELINE_VERSION = "1.1"

#: Event types (schema 1.1): ACLED's vocabulary, with the nearest ACE 2005 subtype.
EVENT_TYPES: tuple[str, ...] = (
    "ARMED_CLASH",
    "ATTACK",
    "REMOTE_VIOLENCE",
    "DEATH",
    "INJURY",
    "ABDUCTION",
    "ARREST",
    "PROTEST",
    "WITHDRAWAL",
    "DEPLOYMENT",
    "TAKEOVER",
    "UPRISING",
    "COUP",
    "AGREEMENT",
)

#: ``ACTUAL``: it happened; ``GENERIC``: a kind of event; ``OTHER``: planned, demanded,
#: expected, hypothetical or negated (as in Rich ERE and TAC KBP).
EVENT_REALIS: tuple[str, ...] = ("ACTUAL", "GENERIC", "OTHER")

#: Argument roles and the entity types each takes.
ROLE_ENTITY_TYPES: dict[str, tuple[str, ...]] = {
    "AGENT": ("PER", "ORG", "GPE", "NORP"),
    "TARGET": ("PER", "ORG", "GPE", "NORP", "LOC", "FAC"),
    "VICTIM": ("PER", "ORG", "NORP"),
    "PARTICIPANT": ("PER", "ORG", "GPE", "NORP"),
    "PLACE": ("GPE", "LOC", "FAC"),
    "ORIGIN": ("GPE", "LOC", "FAC"),
    "DESTINATION": ("GPE", "LOC", "FAC"),
    "TIME": ("DATE",),
}
EVENT_ROLES: tuple[str, ...] = tuple(ROLE_ENTITY_TYPES)

_CLASH = ("PARTICIPANT", "PLACE", "TIME")
_ATTACK = ("AGENT", "TARGET", "PLACE", "TIME")
_HARM = ("AGENT", "VICTIM", "PLACE", "TIME")
_MOVE = ("AGENT", "ORIGIN", "DESTINATION", "TIME")
#: The roles each event type takes.
ROLES_OF_EVENT_TYPE: dict[str, tuple[str, ...]] = {
    "ARMED_CLASH": _CLASH,
    "ATTACK": _ATTACK,
    "REMOTE_VIOLENCE": _ATTACK,
    "DEATH": _HARM,
    "INJURY": _HARM,
    "ABDUCTION": _HARM,
    "ARREST": _HARM,
    "PROTEST": ("PARTICIPANT", "TARGET", "PLACE", "TIME"),
    "WITHDRAWAL": _MOVE,
    "DEPLOYMENT": _MOVE,
    "TAKEOVER": _ATTACK,
    "UPRISING": _ATTACK,
    "COUP": _ATTACK,
    "AGREEMENT": _CLASH,
}

#: ``draft``: not yet checked by a person; ``reviewed``: one annotator;
#: ``gold``: adjudicated from independent passes.
DOCUMENT_STATUSES: tuple[str, ...] = ("draft", "reviewed", "gold")

#: IOB2 tag names of the token-level NER view, in ClassLabel order.
NER_TAGS: tuple[str, ...] = (
    "O",
    *(f"{prefix}-{label}" for label in ENTITY_TYPES for prefix in ("B", "I")),
)

#: IOB2 tag names of the token-level event-trigger view, in ClassLabel order.
EVENT_TAGS: tuple[str, ...] = (
    "O",
    *(f"{prefix}-{label}" for label in EVENT_TYPES for prefix in ("B", "I")),
)

#: A document id: letters, digits, ``_`` and ``-``, starting with a letter or digit.
DOCUMENT_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]*$"
#: The id of an annotation object (zone, sentence, entity, ...), starting with a letter.
OBJECT_ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_-]*$"
#: A BCP 47 language tag of the common form: language, optional script, optional region.
LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$"

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_DATE_TIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$"
)


def is_document_id(value: str) -> bool:
    """Return whether ``value`` can be a document id (and so a file name stem).

    >>> is_document_id("001_gao"), is_document_id("../escaped"), is_document_id("")
    (True, False, False)
    """
    return re.fullmatch(DOCUMENT_ID_PATTERN, value) is not None


def is_iso_date(value: str, times: bool = False) -> bool:
    """Return whether ``value`` is an ISO 8601 calendar date: YYYY, YYYY-MM or YYYY-MM-DD.

    With ``times``, a date and time (``2023-08-14T09:30:00Z``) is accepted too.

    >>> is_iso_date("2023-08-14T09:30Z"), is_iso_date("2023-08-14T09:30Z", times=True)
    (False, True)
    """
    match = _DATE.fullmatch(value) or (_DATE_TIME.fullmatch(value) if times else None)
    if match is None:
        return False
    year, month, day = (int(g) if g else 1 for g in match.groups()[:3])
    try:
        datetime.date(year, month, day)
        if match.re is _DATE_TIME:
            hour, minute = int(match.group(4)), int(match.group(5))
            second = int(match.group(6) or 0)
            datetime.time(hour, minute, second)
    except ValueError:
        return False
    return True


def is_url(value: str) -> bool:
    """Return whether ``value`` is an http or https address with a host.

    >>> is_url("example.org"), is_url("https://www.example.org/x?y=1")
    (False, True)
    """
    if any(ch.isspace() for ch in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def is_symmetric(relation_type: str) -> bool:
    """Return whether a relation type is stored once and scored without direction."""
    return relation_type in SYMMETRIC_RELATIONS
