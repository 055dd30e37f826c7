"""A self-contained static HTML view of one annotated document.

:func:`render_html` returns one page with inline CSS and a small inline
script, and loads nothing from anywhere (a Content-Security-Policy forbids it).
The page shows the title and metadata, the text by zones (boilerplate greyed
out, headings styled), every mention as a span coloured by entity type with
its level (NAM, NOM or PRO) as a superscript and as a border style (solid,
dashed, dotted), nested mentions as nested spans, event triggers underlined
and tagged with their event type, then a table of relations, a table of
stances and a table of events. Machine-made items are marked with an
asterisk and a hatched background.

Hovering a mention highlights its entity's coreference chain and shows the
entity's attributes in the side panel; hovering a relation or stance row
highlights its evidence sentences (and the proposition of a proposition
target); hovering a trigger or an event row lights every trigger of the event
(its coreferent triggers together), the sentences that hold them and its
arguments' entities; a click pins the selection, a second click releases it.
A selection can be set when the page opens, with
``render_html(doc, select="e2")`` or with the URL fragment ``#select=e2`` (an
entity, relation, stance or event id).

The DOM is easy to query: mentions carry ``data-mention``, ``data-entity``,
``data-type`` and ``data-level``; sentences ``data-sentence``; zones
``data-zone``; proposition pieces ``data-props`` (stance ids); trigger pieces
``data-event``, ``data-trigger`` and ``data-event-type``; table rows
``data-relation``, ``data-stance`` or ``data-event`` and ``data-evidence``;
side-panel cards ``data-card``. Selected mentions get the class ``sel``,
highlighted evidence sentences ``ev``, highlighted proposition pieces
``prop-on``, the triggers of a selected event ``trg-on``.

Examples
--------
>>> from sahel_corpus.model import Document, DocumentMeta, Entity, Mention
>>> meta = DocumentMeta("d1", "d1.txt", "", "A <b>", "P", None, None, "en", "", "", "1.0",
...                     (), "draft")
>>> doc = Document(meta, "Mali & co", entities=(Entity("e1", "GPE", kb_id="Mali"),),
...                mentions=(Mention("m1", "e1", 0, 4, "Mali", "NAM"),))
>>> page = render_html(doc)
>>> page.count('data-mention="m1"'), "A &lt;b&gt;" in page, "Mali</span> &amp; co" in page
(1, True, True)
>>> wikipedia_url("Ber, Mali")
'https://en.wikipedia.org/wiki/Ber,_Mali'
"""

from __future__ import annotations

import html
import itertools
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from urllib.parse import quote

from .errors import FormatError, WriteError
from .fileio import write_atomic
from .model import Document, Event, Mention, Relation, Sentence, Span, Stance, Zone
from .schema import AUTHOR

__all__ = ["PALETTE", "ShowError", "render_html", "wikipedia_url", "write_html"]

#: The colour of each entity type (borders, legend, superscripts); the span
#: background is a light tint of it. Types missing here are drawn in grey.
PALETTE: dict[str, str] = {
    "PER": "#c62828",
    "ORG": "#1565c0",
    "GPE": "#2e7d32",
    "LOC": "#795548",
    "FAC": "#7b1fa2",
    "NORP": "#c2185b",
    "LAW": "#9e9d24",
    "DATE": "#00838f",
    "CARDINAL": "#ef6c00",
}
_OTHER_COLOUR = "#757575"

_LEVEL_BORDERS = {"NAM": "solid", "NOM": "dashed", "PRO": "dotted"}

_ZONE_TAGS = {"HEADLINE": "h2", "SUBHEADING": "h3", "BODY": "p", "BOILERPLATE": "p"}

_LABEL_CLASSES = {"FAVOR": "favor", "AGAINST": "against", "NEUTRAL": "neutral"}

# Nesting ranks: a zone holds sentences, a sentence holds mentions, mentions nest.
_ZONE, _SENTENCE, _MENTION, _ROOT = 0, 1, 2, -1


class ShowError(FormatError):
    """Raised when a document's spans cannot be drawn as nested elements."""

    default_code = "show"


def _e(value: object) -> str:
    """Escape any value for HTML text or a double-quoted attribute."""
    return html.escape(str(value), quote=True)


def wikipedia_url(kb_id: str) -> str:
    """Return the English Wikipedia address of a page title (a ``kb_id``)."""
    return "https://en.wikipedia.org/wiki/" + quote(kb_id.replace(" ", "_"), safe="_,()'!-.:/")


def _tint(colour: str, keep: float) -> str:
    """Return ``colour`` (``#rrggbb``) mixed with white, keeping ``keep`` of it.

    >>> _tint("#000000", 0.25)
    '#bfbfbf'
    """
    channels = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(255 - (255 - c) * keep):02x}" for c in channels)


def _type_class(entity_type: str) -> str:
    """Return the CSS class of an entity type (``t-other`` for unknown types)."""
    return f"t-{entity_type}" if entity_type in PALETTE else "t-other"


# ---------------------------------------------------------------- span tree


@dataclass(frozen=True, slots=True)
class _Node:
    """One element of the text: the root, a zone, a sentence or a mention."""

    start: int
    end: int
    rank: int
    order: int
    item: Zone | Sentence | Mention | None
    children: list[_Node] = field(default_factory=list)

    def label(self) -> str:
        if self.item is None:
            return "the text"
        kind = {_ZONE: "zone", _SENTENCE: "sentence", _MENTION: "mention"}[self.rank]
        return f"{kind} {self.item.id} [{self.start}, {self.end})"


def _span_tree(doc: Document) -> _Node:
    """Nest zones, sentences and mentions into one tree; raise :class:`ShowError` if they cross."""
    root = _Node(0, len(doc.text), _ROOT, -1, None)
    items: list[_Node] = []
    objects: list[tuple[int, int, Zone | Sentence | Mention]] = [
        *((_ZONE, i, z) for i, z in enumerate(doc.zones)),
        *((_SENTENCE, i, s) for i, s in enumerate(doc.sentences)),
        *((_MENTION, i, m) for i, m in enumerate(doc.mentions)),
    ]
    for rank, i, obj in objects:
        node = _Node(obj.start, obj.end, rank, i, obj)
        if not 0 <= obj.start <= obj.end <= len(doc.text):
            raise ShowError(
                f"document {doc.id}: {node.label()}: got offsets outside the text, "
                f"expected 0 <= start <= end <= {len(doc.text)}"
            )
        items.append(node)
    items.sort(key=lambda n: (n.start, -n.end, n.rank, n.order))
    stack = [root]
    for node in items:
        while not (stack[-1].start <= node.start and node.end <= stack[-1].end):
            closed = stack.pop()
            if closed.start < node.end and node.start < closed.end:
                raise ShowError(
                    f"document {doc.id}: {node.label()} crosses {closed.label()}: "
                    "got crossing spans, expected nested or disjoint spans",
                    code="show-crossing",
                )
        parent = stack[-1]
        if not (node.rank > parent.rank or node.rank == parent.rank == _MENTION):
            raise ShowError(
                f"document {doc.id}: {node.label()} lies inside {parent.label()}: "
                "got a wrong nesting, expected zones to hold sentences and sentences mentions"
            )
        parent.children.append(node)
        stack.append(node)
    return root


# ---------------------------------------------------------------- the text


def _text_pieces(doc: Document, start: int, end: int) -> str:
    """Return ``text[start:end]`` escaped, proposition targets wrapped in ``data-props``
    and event triggers in ``data-event`` (pieces, so that they may cross mentions)."""
    props = [
        (s.id, s.target_span)
        for s in doc.stances
        if s.target_span is not None and s.target_span.start < end and start < s.target_span.end
    ]
    triggers = [(e, t) for e in doc.events for t in e.triggers if t.start < end and start < t.end]
    cuts = {start, end}
    for span in [*(sp for _, sp in props), *(t for _, t in triggers)]:
        cuts.update(c for c in (span.start, span.end) if start < c < end)
    bounds = sorted(cuts)
    out = []
    for a, b in itertools.pairwise(bounds):
        piece = _e(doc.text[a:b])
        ids = [sid for sid, span in props if span.start <= a and b <= span.end]
        if ids:
            piece = f'<span class="prop" data-props="{_e(" ".join(ids))}">{piece}</span>'
        for e, t in triggers:
            if t.start <= a and b <= t.end:
                machine = " machine" if e.machine else ""
                title = f"{t.id} · {e.id} {e.type} {e.realis}"
                piece = (
                    f'<span class="trg{machine}" data-event="{_e(e.id)}" data-trigger='
                    f'"{_e(t.id)}" data-event-type="{_e(e.type)}" title="{_e(title)}">'
                    f"{piece}</span>"
                )
        out.append(piece)
    return "".join(out)


def _open_tag(doc: Document, node: _Node, types: dict[str, str]) -> tuple[str, str]:
    """Return the opening and closing tags of a zone, sentence or mention node."""
    item = node.item
    if isinstance(item, Zone):
        tag = _ZONE_TAGS.get(item.type, "div")
        return (
            f'<{tag} class="zone {_e(item.type.lower())}" data-zone="{_e(item.id)}"'
            f' data-zone-type="{_e(item.type)}">',
            f"</{tag}>",
        )
    if isinstance(item, Sentence):
        return (
            f'<span class="s" data-sentence="{_e(item.id)}" title="{_e(item.id)}">',
            "</span>",
        )
    assert isinstance(item, Mention)
    etype = types.get(item.entity, "?")
    machine = " machine" if item.machine else ""
    level = item.level if item.level in _LEVEL_BORDERS else "other"
    title = f"{item.id} · {item.entity} {etype} {item.level}" + (
        " · machine-made" if item.machine else ""
    )
    return (
        f'<span class="m {_type_class(etype)} l-{level}{machine}" data-mention="{_e(item.id)}"'
        f' data-entity="{_e(item.entity)}" data-type="{_e(etype)}" data-level="{_e(item.level)}"'
        f' title="{_e(title)}">',
        "</span>",
    )


def _render_node(doc: Document, node: _Node, types: dict[str, str]) -> str:
    """Return the HTML of a node's content: its text with its children's elements."""
    out = []
    pos = node.start
    for child in node.children:
        out.append(_text_pieces(doc, pos, child.start))
        opening, closing = _open_tag(doc, child, types)
        out.append(opening + _render_node(doc, child, types) + closing)
        pos = child.end
    out.append(_text_pieces(doc, pos, node.end))
    return "".join(out)


def _article(doc: Document) -> str:
    """Return the article: one block per zone; text outside zones goes in ``unzoned`` blocks."""
    types = {e.id: e.type for e in doc.entities}
    root = _span_tree(doc)
    blocks: list[str] = []
    run: list[str] = []

    def flush() -> None:
        content = "".join(run)
        if content.strip():
            blocks.append(f'<div class="zone unzoned">{content}</div>')
        run.clear()

    pos = 0
    for child in root.children:
        run.append(_text_pieces(doc, pos, child.start))
        opening, closing = _open_tag(doc, child, types)
        element = opening + _render_node(doc, child, types) + closing
        if child.rank == _ZONE:
            flush()
            blocks.append(element)
        else:
            run.append(element)
        pos = child.end
    run.append(_text_pieces(doc, pos, len(doc.text)))
    flush()
    return '<article id="text">\n' + "\n".join(blocks) + "\n</article>"


# ---------------------------------------------------------------- header and legend


def _header(doc: Document) -> str:
    """Return the page header: title and metadata."""
    m = doc.meta
    url = (
        f'<a href="{_e(m.url)}" rel="noreferrer">{_e(m.url)}</a>'
        if m.url and m.url.startswith(("https://", "http://"))
        else _e(m.url or "—")
    )
    rows = [
        ("document", _e(m.id)),
        ("publisher", _e(m.publisher)),
        ("published", _e(m.published or "—")),
        ("url", url),
        ("language", _e(m.language)),
        ("status", _e(m.status)),
        ("guideline", _e(m.guideline_version)),
        ("annotators", _e(", ".join(m.annotators) or "—")),
        ("text licence", _e(m.text_licence)),
        ("annotation licence", _e(m.annotation_licence)),
        (
            "layers",
            _e(
                f"{len(doc.zones)} zones, {len(doc.sentences)} sentences, "
                f"{len(doc.entities)} entities, {len(doc.mentions)} mentions, "
                f"{len(doc.relations)} relations, {len(doc.stances)} stances, "
                f"{len(doc.events)} events"
            ),
        ),
    ]
    meta = "".join(f"<div><dt>{k}</dt><dd>{v}</dd></div>" for k, v in rows)
    return f'<header>\n<h1>{_e(m.title)}</h1>\n<dl class="meta">{meta}</dl>\n{_legend()}\n</header>'


def _legend() -> str:
    """Return the legend: one swatch per entity type, the level styles and the other marks."""
    types = "".join(f'<span class="m {_type_class(t)} l-NAM">{_e(t)}</span> ' for t in PALETTE)
    levels = "".join(
        f'<span class="m t-other l-{lv}" data-level="{lv}">{style}</span> '
        for lv, style in _LEVEL_BORDERS.items()
    )
    marks = (
        '<span class="m t-other l-NAM machine" data-level="NAM">machine-made</span> '
        '<span class="s ev" data-legend="1">evidence sentence</span> '
        '<span class="prop prop-on">proposition</span> '
        '<span class="trg" data-event-type="TYPE">event trigger</span> '
        '<span class="boilerplate-key">boilerplate</span>'
    )
    return (
        '<div class="legend"><span class="key">types</span> '
        f'{types}<span class="key">levels</span> {levels}<span class="key">marks</span> {marks}'
        "</div>"
    )


# ---------------------------------------------------------------- tables


def _name(doc: Document, ref: str | None) -> str:
    """Return a chip with the canonical name of an entity (or AUTHOR, or a dash)."""
    if ref is None:
        return '<span class="none">—</span>'
    if ref == AUTHOR:
        return '<span class="author">AUTHOR</span>'
    types = {e.id: e.type for e in doc.entities}
    if ref not in types:
        return f'<span class="missing">{_e(ref)} (missing)</span>'
    return (
        f'<span class="chip {_type_class(types[ref])}" data-ref="{_e(ref)}">'
        f"{_e(doc.canonical_name(ref))}<small>{_e(ref)}</small></span>"
    )


def _made_by(machine: bool) -> str:
    return '<span class="badge">machine*</span>' if machine else "manual"


def _relation_row(doc: Document, r: Relation) -> str:
    machine = ' class="machine"' if r.machine else ""
    return (
        f'<tr data-relation="{_e(r.id)}" data-evidence="{_e(" ".join(r.evidence))}"{machine}>'
        f"<td>{_e(r.id)}</td><td>{_name(doc, r.head)}</td><td>{_e(r.type)}</td>"
        f"<td>{_name(doc, r.tail)}</td><td>{_e(', '.join(r.evidence))}</td>"
        f"<td>{_name(doc, r.attributed_to)}</td><td>{_made_by(r.machine)}</td></tr>"
    )


def _stance_target(doc: Document, s: Stance) -> str:
    if s.target_span is not None:
        span = s.target_span
        return (
            f'<q class="proposition">{_e(span.text)}</q> <small>[{span.start}, {span.end})</small>'
        )
    return _name(doc, s.target_entity)


def _stance_row(doc: Document, s: Stance) -> str:
    machine = ' class="machine"' if s.machine else ""
    label = _LABEL_CLASSES.get(s.label, "neutral")
    return (
        f'<tr data-stance="{_e(s.id)}" data-evidence="{_e(" ".join(s.evidence))}"{machine}>'
        f"<td>{_e(s.id)}</td><td>{_name(doc, s.holder)}</td>"
        f'<td><span class="label {label}">{_e(s.label)}</span></td>'
        f"<td>{_stance_target(doc, s)}</td><td>{_e(', '.join(s.evidence))}</td>"
        f"<td>{_name(doc, s.attributed_to)}</td><td>{_made_by(s.machine)}</td></tr>"
    )


def _trigger_sentences(doc: Document, e: Event) -> list[str]:
    """The ids of the sentences that hold the event's triggers, in text order, once each."""
    found = [doc.sentence_of(t.start, t.end) for t in sorted(e.triggers, key=lambda t: t.start)]
    return list(dict.fromkeys(s.id for s in found if s is not None))


def _arguments(doc: Document, e: Event) -> str:
    if not e.arguments:
        return '<span class="none">—</span>'
    return " ".join(
        f'<span class="role">{_e(a.role)}</span> {_name(doc, a.entity)}' for a in e.arguments
    )


def _triggers(e: Event) -> str:
    return ", ".join(f"<q>{_e(t.text)}</q> <small>{_e(t.id)}</small>" for t in e.triggers)


def _event_row(doc: Document, e: Event) -> str:
    machine = ' class="machine"' if e.machine else ""
    evidence = " ".join(_trigger_sentences(doc, e))
    return (
        f'<tr data-event="{_e(e.id)}" data-evidence="{_e(evidence)}"{machine}>'
        f'<td>{_e(e.id)}</td><td><span class="etype">{_e(e.type)}</span></td>'
        f"<td>{_triggers(e)}</td><td>{_arguments(doc, e)}</td><td>{_e(e.realis)}</td>"
        f"<td>{_name(doc, e.attributed_to)}</td><td>{_made_by(e.machine)}</td></tr>"
    )


def _tables(doc: Document) -> str:
    """Return the relation, stance and event tables."""
    relations = "\n".join(_relation_row(doc, r) for r in doc.relations)
    stances = "\n".join(_stance_row(doc, s) for s in doc.stances)
    events = "\n".join(_event_row(doc, e) for e in doc.events)
    return (
        '<section id="relations">\n<h2>Relations</h2>\n<table>\n<thead><tr><th>id</th>'
        "<th>head</th><th>type</th><th>tail</th><th>evidence</th><th>attributed to</th>"
        f"<th>made by</th></tr></thead>\n<tbody>\n{relations}\n</tbody>\n</table>\n</section>\n"
        '<section id="stances">\n<h2>Stances</h2>\n<table>\n<thead><tr><th>id</th>'
        "<th>holder</th><th>label</th><th>target</th><th>evidence</th><th>attributed to</th>"
        f"<th>made by</th></tr></thead>\n<tbody>\n{stances}\n</tbody>\n</table>\n</section>\n"
        '<section id="events">\n<h2>Events</h2>\n<table>\n<thead><tr><th>id</th>'
        "<th>type</th><th>triggers</th><th>arguments</th><th>realis</th><th>attributed to</th>"
        f"<th>made by</th></tr></thead>\n<tbody>\n{events}\n</tbody>\n</table>\n</section>"
    )


# ---------------------------------------------------------------- side-panel cards


def _entity_card(doc: Document, entity_id: str) -> str:
    e = doc.entity(entity_id)
    kb = f'<a href="{_e(wikipedia_url(e.kb_id))}">{_e(e.kb_id)}</a>' if e.kb_id else "—"
    chain = "".join(
        f"<li>{_e(m.text)} <small>{_e(m.level)} · {_e(m.id)}"
        f"{' · machine*' if m.machine else ''}</small></li>"
        for m in doc.mentions_of(e.id)
    )
    rows = [
        ("type", _e(e.type)),
        ("actor category", _e(e.actor_category or "—")),
        ("kb_id", kb),
        ("normalized", _e(e.normalized or "—")),
        ("made by", _made_by(e.machine)),
    ]
    fields_ = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    return (
        f'<div class="card" data-card="{_e(e.id)}" data-card-kind="entity" hidden>'
        f"<h3>{_name(doc, e.id)}</h3><dl>{fields_}</dl>"
        f"<h4>chain ({len(doc.mentions_of(e.id))} mentions)</h4><ol>{chain}</ol></div>"
    )


def _evidence_list(doc: Document, evidence: tuple[str, ...], target: Span | None) -> str:
    """Return the evidence sentences as a list, the proposition target marked."""
    items = []
    for sid in evidence:
        sentence = doc.sentence_by_id.get(sid)
        if sentence is None:
            items.append(f"<li><b>{_e(sid)}</b> (missing)</li>")
            continue
        text = _e(sentence.text)
        if target is not None and sentence.start <= target.start and target.end <= sentence.end:
            a, b = target.start - sentence.start, target.end - sentence.start
            text = (
                f"{_e(sentence.text[:a])}<mark>{_e(sentence.text[a:b])}</mark>"
                f"{_e(sentence.text[b:])}"
            )
        items.append(f"<li><b>{_e(sid)}</b> {text}</li>")
    return '<ol class="evidence">' + "".join(items) + "</ol>"


def _relation_card(doc: Document, r: Relation) -> str:
    return (
        f'<div class="card" data-card="{_e(r.id)}" data-card-kind="relation" hidden>'
        f"<h3>{_e(r.id)}: {_name(doc, r.head)} {_e(r.type)} {_name(doc, r.tail)}</h3>"
        f"<dl><dt>attributed to</dt><dd>{_name(doc, r.attributed_to)}</dd>"
        f"<dt>made by</dt><dd>{_made_by(r.machine)}</dd></dl>"
        f"<h4>evidence</h4>{_evidence_list(doc, r.evidence, None)}</div>"
    )


def _stance_card(doc: Document, s: Stance) -> str:
    return (
        f'<div class="card" data-card="{_e(s.id)}" data-card-kind="stance" hidden>'
        f"<h3>{_e(s.id)}: {_name(doc, s.holder)} {_e(s.label)} {_stance_target(doc, s)}</h3>"
        f"<dl><dt>attributed to</dt><dd>{_name(doc, s.attributed_to)}</dd>"
        f"<dt>made by</dt><dd>{_made_by(s.machine)}</dd></dl>"
        f"<h4>evidence</h4>{_evidence_list(doc, s.evidence, s.target_span)}</div>"
    )


def _event_card(doc: Document, e: Event) -> str:
    return (
        f'<div class="card" data-card="{_e(e.id)}" data-card-kind="event" hidden>'
        f'<h3>{_e(e.id)}: <span class="etype">{_e(e.type)}</span></h3>'
        f"<dl><dt>triggers</dt><dd>{_triggers(e)}</dd>"
        f"<dt>arguments</dt><dd>{_arguments(doc, e)}</dd>"
        f"<dt>realis</dt><dd>{_e(e.realis)}</dd>"
        f"<dt>attributed to</dt><dd>{_name(doc, e.attributed_to)}</dd>"
        f"<dt>made by</dt><dd>{_made_by(e.machine)}</dd></dl>"
        f"<h4>sentences</h4>{_evidence_list(doc, tuple(_trigger_sentences(doc, e)), None)}</div>"
    )


def _aside(doc: Document) -> str:
    cards = [_entity_card(doc, e.id) for e in doc.entities]
    cards += [_relation_card(doc, r) for r in doc.relations]
    cards += [_stance_card(doc, s) for s in doc.stances]
    cards += [_event_card(doc, e) for e in doc.events]
    return (
        '<aside id="panel">\n<p class="hint">Hover a mention to see its entity and '
        "coreference chain, or a table row to see its evidence; click to pin, click again "
        "to release.</p>\n" + "\n".join(cards) + "\n</aside>"
    )


# ---------------------------------------------------------------- page


def _asset(name: str) -> str:
    """A file of the page's CSS or script, shipped in ``sahel_corpus/templates``."""
    return resources.files("sahel_corpus").joinpath("templates", name).read_text("utf-8")


def _type_css() -> str:
    """Return the colour variables of each entity type class."""
    rules = [
        f".{_type_class(t)}{{--c:{c};--bg:{_tint(c, 0.16)}}}"
        for t, c in [*PALETTE.items(), ("other", _OTHER_COLOUR)]
    ]
    return "\n".join(rules)


def _check_select(doc: Document, select: str | None, name: str) -> None:
    ids = [e.id for e in doc.entities] + [r.id for r in doc.relations]
    ids += [s.id for s in doc.stances] + [e.id for e in doc.events]
    if select is not None and select not in ids:
        raise ShowError(
            f"{name}: --select: got {select!r}, "
            "expected the id of an entity, relation, stance or event of the document",
            code="select",
        )


def render_html(doc: Document, select: str | None = None, name: str | None = None) -> str:
    """Return the self-contained HTML page of one document.

    Parameters
    ----------
    doc
        The document; its zones, sentences and mentions must nest (mentions
        nest or are disjoint, never cross), else :class:`ShowError`.
    select
        An entity, relation, stance or event id to show selected (pinned) when the
        page opens; a URL fragment ``#select=<id>`` overrides it.
    name
        The annotation file's name, for error messages (default: the document id).

    Returns
    -------
    str
        The page; the same document always gives the same string.
    """
    _check_select(doc, select, name or f"document {doc.id}")
    select_attr = f' data-select="{_e(select)}"' if select is not None else ""
    csp = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{_e(doc.meta.language)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(doc.meta.id)}: {_e(doc.meta.title)}</title>\n"
        f"<style>\n{_asset('show.css')}{_type_css()}\n</style>\n</head>\n"
        f'<body data-document="{_e(doc.meta.id)}"{select_attr}>\n'
        f"{_header(doc)}\n"
        f'<div class="layout">\n<main>\n{_article(doc)}\n{_tables(doc)}\n</main>\n'
        f"{_aside(doc)}\n</div>\n"
        f"<script>\n{_asset('show.js')}</script>\n</body>\n</html>\n"
    )


def write_html(
    doc: Document, path: str | Path, select: str | None = None, name: str | None = None
) -> Path:
    """Write :func:`render_html` of ``doc`` to ``path`` (UTF-8, LF), atomically.

    The folder must exist; an existing folder at ``path`` is refused.
    """
    path = Path(path)
    if path.is_dir():
        raise WriteError(f"{path}: got a folder, expected an HTML file name", code="output")
    if not path.parent.is_dir():
        raise WriteError(
            f"{path}: got no folder {path.parent}, expected an existing folder", code="output"
        )
    return write_atomic(path, render_html(doc, select, name))
