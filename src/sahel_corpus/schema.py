"""The label inventory of annotation schema version 1.

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
"""

from __future__ import annotations

__all__ = [
    "ACTOR_CATEGORIES",
    "AUTHOR",
    "DOCUMENT_STATUSES",
    "ENTITY_TYPES",
    "MENTION_LEVELS",
    "NAM_ONLY_TYPES",
    "NER_TAGS",
    "RELATION_TYPES",
    "SCHEMA_VERSION",
    "STANCE_LABELS",
    "SYMMETRIC_RELATIONS",
    "TAGGED_ZONE_TYPES",
    "ZONE_TYPES",
    "is_symmetric",
]

#: Version of the annotation file format; files carry it as ``schema_version``.
SCHEMA_VERSION = "1.0"

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

#: ``draft``: not yet checked by a person; ``reviewed``: one annotator;
#: ``gold``: adjudicated from independent passes.
DOCUMENT_STATUSES: tuple[str, ...] = ("draft", "reviewed", "gold")

#: IOB2 tag names of the token-level NER view, in ClassLabel order.
NER_TAGS: tuple[str, ...] = (
    "O",
    *(f"{prefix}-{label}" for label in ENTITY_TYPES for prefix in ("B", "I")),
)


def is_symmetric(relation_type: str) -> bool:
    """Return whether a relation type is stored once and scored without direction."""
    return relation_type in SYMMETRIC_RELATIONS
