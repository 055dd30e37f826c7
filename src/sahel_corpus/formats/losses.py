"""What an import would lose of the document it replaces, counted by kind.

A format that cannot carry part of the annotation (INCEpTION's XMI has no
stances, actor categories or attribution) would silently drop it when its
file is imported over an existing document. :func:`count_losses` compares
the existing document with the imported one, after aligning their entities
by shared mention spans, and counts for each kind the items of the existing
document whose information the imported one lacks. ``import`` refuses while
any count is above zero, unless the user names the kind with ``--drop``.

Examples
--------
>>> from sahel_corpus.model import DocumentMeta, Document, Entity, Mention
>>> meta = DocumentMeta("d", "d.txt", "0" * 64, "t", "p", None, None, "en", "l", "l", "1",
...                     (), "draft")
>>> old = Document(meta, "Mali", entities=(Entity("e1", "GPE", "FOREIGN_STATE"),),
...                mentions=(Mention("m1", "e1", 0, 4, "Mali", "NAM"),))
>>> new = Document(meta, "Mali", entities=(Entity("e7", "GPE"),),
...                mentions=(Mention("m1", "e7", 0, 4, "Mali", "NAM"),))
>>> count_losses(old, new, ("actor-categories", "stances"))
{'actor-categories': 1, 'stances': 0}
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..agreement import align_entities
from ..model import Document, Stance
from ..schema import is_symmetric

__all__ = ["LOSS_KINDS", "count_losses"]


def _entity_attribute(attribute: str) -> Callable[[Document, Document, dict[str, str]], int]:
    def count(old: Document, new: Document, to_new: dict[str, str]) -> int:
        lost = 0
        new_entities = {e.id: e for e in new.entities}
        for e in old.entities:
            value = getattr(e, attribute)
            if value is None:
                continue
            match = new_entities.get(to_new.get(e.id, ""))
            if match is None or getattr(match, attribute) != value:
                lost += 1
        return lost

    return count


def _relation_key(r_type: str, head: str, tail: str) -> tuple[str, str, str]:
    if is_symmetric(r_type):
        head, tail = sorted((head, tail))
    return (r_type, head, tail)


def _relation_attribute(attribute: str) -> Callable[[Document, Document, dict[str, str]], int]:
    def count(old: Document, new: Document, to_new: dict[str, str]) -> int:
        new_relations = {_relation_key(r.type, r.head, r.tail): r for r in new.relations}
        lost = 0
        for r in old.relations:
            value = getattr(r, attribute)
            if not value:
                continue
            key = _relation_key(r.type, to_new.get(r.head, ""), to_new.get(r.tail, ""))
            match = new_relations.get(key)
            if match is None or getattr(match, attribute) != value:
                lost += 1
        return lost

    return count


def _stances(old: Document, new: Document, to_new: dict[str, str]) -> int:
    def key(s: Stance, rename: Callable[[str], str]) -> tuple[object, ...]:
        span = (s.target_span.start, s.target_span.end) if s.target_span else None
        target = rename(s.target_entity) if s.target_entity else None
        return (rename(s.holder), target, span, s.label)

    kept = {key(s, lambda x: x) for s in new.stances}
    return sum(1 for s in old.stances if key(s, lambda x: to_new.get(x, x)) not in kept)


def _machine_flags(old: Document, new: Document, to_new: dict[str, str]) -> int:
    def flagged(doc: Document) -> int:
        layers = (doc.entities, doc.mentions, doc.relations, doc.stances)
        return sum(1 for layer in layers for item in layer if item.machine)

    return max(0, flagged(old) - flagged(new))


def _zone_types(old: Document, new: Document, to_new: dict[str, str]) -> int:
    zones = {(z.start, z.end, z.type) for z in new.zones}
    return sum(1 for z in old.zones if (z.start, z.end, z.type) not in zones)


def _mention_levels(old: Document, new: Document, to_new: dict[str, str]) -> int:
    levels = {(m.start, m.end): m.level for m in new.mentions}
    return sum(1 for m in old.mentions if m.span in levels and levels[m.span] != m.level)


#: Each kind of loss and how to count it: (old, new, old entity id -> new entity id) -> count.
LOSS_KINDS: dict[str, Callable[[Document, Document, dict[str, str]], int]] = {
    "stances": _stances,
    "actor-categories": _entity_attribute("actor_category"),
    "kb-ids": _entity_attribute("kb_id"),
    "normalized-dates": _entity_attribute("normalized"),
    "attribution": _relation_attribute("attributed_to"),
    "relation-evidence": _relation_attribute("evidence"),
    "machine-flags": _machine_flags,
    "zone-types": _zone_types,
    "mention-levels": _mention_levels,
}


def count_losses(old: Document, new: Document, kinds: Sequence[str]) -> dict[str, int]:
    """How many items of ``old`` lose their information of each kind in ``new``."""
    to_new = {a: b for b, a in align_entities(old, new).items()}
    return {kind: LOSS_KINDS[kind](old, new, to_new) for kind in kinds}
