"""Corpus statistics: counts per layer, as data and as the card's markdown.

Examples
--------
>>> print(markdown_table(["a", "b"], [["x", 1]]))
| a | b |
|---|---:|
| x | 1 |
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from . import schema as inv
from .model import Document
from .tokenize import token_offsets
from .views import mention_depths

__all__ = ["corpus_stats", "markdown_table", "render_stats"]


def corpus_stats(docs: Sequence[Document]) -> dict[str, Any]:
    """Return the counts of every layer over the documents."""
    zones: Counter[str] = Counter()
    entity_types: Counter[str] = Counter()
    mention_types: Counter[str] = Counter()
    levels: Counter[str] = Counter()
    type_level: Counter[tuple[str, str]] = Counter()
    relations: Counter[str] = Counter()
    stances: Counter[str] = Counter()
    event_types: Counter[str] = Counter()
    event_triggers: Counter[str] = Counter()
    roles: Counter[str] = Counter()
    realis: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    for doc in docs:
        totals["documents"] += 1
        totals["characters"] += len(doc.text)
        totals["sentences"] += len(doc.sentences)
        totals["tokens"] += sum(len(token_offsets(doc.text, s.start, s.end)) for s in doc.sentences)
        totals["entities"] += len(doc.entities)
        totals["mentions"] += len(doc.mentions)
        totals["relations"] += len(doc.relations)
        totals["stances"] += len(doc.stances)
        zones.update(z.type for z in doc.zones)
        entity_types.update(e.type for e in doc.entities)
        depth = mention_depths(doc)
        totals["nested mentions"] += sum(1 for d in depth.values() if d > 0)
        for m in doc.mentions:
            etype = doc.entity(m.entity).type
            mention_types[etype] += 1
            levels[m.level] += 1
            type_level[(etype, m.level)] += 1
        chains = [len(doc.mentions_of(e.id)) for e in doc.entities]
        totals["coreference chains (2+ mentions)"] += sum(1 for n in chains if n > 1)
        totals["entities linked to Wikipedia"] += sum(1 for e in doc.entities if e.kb_id)
        totals["entities with an actor category"] += sum(
            1 for e in doc.entities if e.actor_category
        )
        totals["DATE entities normalised"] += sum(1 for e in doc.entities if e.normalized)
        relations.update(r.type for r in doc.relations)
        totals["attributed relations"] += sum(1 for r in doc.relations if r.attributed_to)
        stances.update(s.label for s in doc.stances)
        totals["stances held by AUTHOR"] += sum(1 for s in doc.stances if s.holder_is_author)
        totals["stances on a proposition"] += sum(1 for s in doc.stances if s.target_span)
        totals["events"] += len(doc.events)
        totals["event triggers"] += sum(len(e.triggers) for e in doc.events)
        totals["event arguments"] += sum(len(e.arguments) for e in doc.events)
        totals["events with 2+ triggers (coreference)"] += sum(
            1 for e in doc.events if len(e.triggers) > 1
        )
        totals["attributed events"] += sum(1 for e in doc.events if e.attributed_to)
        for e in doc.events:
            event_types[e.type] += 1
            event_triggers[e.type] += len(e.triggers)
            realis[e.realis] += 1
            roles.update(a.role for a in e.arguments)
    return {
        "totals": dict(totals),
        "zones": {k: zones[k] for k in inv.ZONE_TYPES},
        "entity_types": {k: entity_types[k] for k in inv.ENTITY_TYPES},
        "mention_types": {k: mention_types[k] for k in inv.ENTITY_TYPES},
        "mention_levels": {k: levels[k] for k in inv.MENTION_LEVELS},
        "type_level": {
            t: {lv: type_level[(t, lv)] for lv in inv.MENTION_LEVELS} for t in inv.ENTITY_TYPES
        },
        "relations": {k: relations[k] for k in inv.RELATION_TYPES},
        "stances": {k: stances[k] for k in inv.STANCE_LABELS},
        "event_types": {k: event_types[k] for k in inv.EVENT_TYPES},
        "event_triggers": {k: event_triggers[k] for k in inv.EVENT_TYPES},
        "event_roles": {k: roles[k] for k in inv.EVENT_ROLES},
        "event_realis": {k: realis[k] for k in inv.EVENT_REALIS},
    }


def _is_number(cell: object) -> bool:
    if isinstance(cell, int | float):
        return True
    try:
        float(str(cell))
    except ValueError:
        return str(cell) == "n/a"
    return True


def markdown_table(header: Sequence[str], body: Sequence[Sequence[object]]) -> str:
    """Return a GitHub markdown table; numeric columns are right-aligned."""
    align = [
        "---:" if k > 0 and body and all(_is_number(row[k]) for row in body) else "---"
        for k in range(len(header))
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in body]
    return "\n".join(lines)


def render_stats(stats: dict[str, Any]) -> str:
    """Return the card's composition section body (markdown tables)."""
    t = stats["totals"]
    parts = [markdown_table(["count", "value"], [[k, v] for k, v in t.items()])]
    parts.append(markdown_table(["zone type", "zones"], list(stats["zones"].items())))
    rows = [
        [
            typ,
            stats["entity_types"][typ],
            *stats["type_level"][typ].values(),
            stats["mention_types"][typ],
        ]
        for typ in inv.ENTITY_TYPES
    ]
    rows.append(
        [
            "all",
            sum(stats["entity_types"].values()),
            *stats["mention_levels"].values(),
            sum(stats["mention_types"].values()),
        ]
    )
    parts.append(markdown_table(["entity type", "entities", "NAM", "NOM", "PRO", "mentions"], rows))
    parts.append(markdown_table(["relation type", "relations"], list(stats["relations"].items())))
    parts.append(markdown_table(["stance label", "stances"], list(stats["stances"].items())))
    parts.append(
        markdown_table(
            ["event type", "events", "triggers"],
            [[k, v, stats["event_triggers"][k]] for k, v in stats["event_types"].items()],
        )
    )
    parts.append(markdown_table(["argument role", "arguments"], list(stats["event_roles"].items())))
    parts.append(markdown_table(["realis", "events"], list(stats["event_realis"].items())))
    return "\n\n".join(parts)
