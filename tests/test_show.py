"""The static HTML view: structure, escaping and determinism, then the page in headless Chromium."""

from __future__ import annotations

import hashlib
import subprocess
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from _fresh import in_fresh_process
from _paths import CORPUS, DOC_ID
from sahel_corpus.model import (
    Document,
    DocumentMeta,
    Entity,
    Mention,
    Relation,
    Sentence,
    Span,
    Stance,
    Zone,
)
from sahel_corpus.show import ShowError, render_html, wikipedia_url, write_html
from sahel_corpus.sources import read_document

CHROMIUM = Path("/usr/bin/chromium")
VOID = {"meta", "br", "hr", "img", "input", "link", "wbr"}


# ---------------------------------------------------------------- a small DOM


@dataclass(eq=False)
class Node:
    tag: str
    attrs: dict[str, str]
    parent: Node | None = None
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self) -> list[Node]:
        out: list[Node] = [self]
        for c in self.children:
            if isinstance(c, Node):
                out.extend(c.iter())
        return out

    def find_all(self, attr: str, value: str | None = None) -> list[Node]:
        return [
            n for n in self.iter() if attr in n.attrs and (value is None or n.attrs[attr] == value)
        ]

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def ancestors(self) -> list[Node]:
        out = []
        node = self.parent
        while node is not None:
            out.append(node)
            node = node.parent
        return out


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Node(tag, {k: v or "" for k, v in attrs}, self.current))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        assert self.current.tag == tag, f"got </{tag}>, expected </{self.current.tag}>"
        assert self.current.parent is not None
        self.current = self.current.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse(page: str) -> Node:
    builder = TreeBuilder()
    builder.feed(page)
    builder.close()
    assert builder.current is builder.root, "unclosed elements"
    return builder.root


def one(root: Node, attr: str, value: str) -> Node:
    found = root.find_all(attr, value)
    assert len(found) == 1, f"{attr}={value}: got {len(found)} elements, expected 1"
    return found[0]


# ---------------------------------------------------------------- documents


@pytest.fixture(scope="module")
def gold() -> Document:
    return read_document(CORPUS / "sources" / "documents" / f"{DOC_ID}.json")


def tiny_document(text: str = "if a<b && c>d then \"q\" 'x'") -> Document:
    meta = DocumentMeta(
        id="t1",
        text_file="t1.txt",
        text_sha256="",
        title="<script>alert(1)</script> & co",
        publisher='P "quoted" <pub>',
        url="javascript:alert(1)",
        published=None,
        language="en",
        text_licence="<b>licence</b>",
        annotation_licence="CC-BY-4.0",
        guideline_version="1.0",
        annotators=("a<1>",),
        status="draft",
    )
    return Document(
        meta=meta,
        text=text,
        zones=(Zone("z1", "BODY", 0, len(text), text),),
        sentences=(Sentence("s1", "z1", 0, len(text), text),),
        entities=(
            Entity("e1", "PER", kb_id='A "B" & <C>'),
            Entity("e2", "ORG", machine=True),
        ),
        mentions=(
            Mention("m1", "e1", 3, 6, text[3:6], "NAM"),
            Mention("m2", "e2", 3, 13, text[3:13], "NOM", machine=True),
        ),
        relations=(Relation("r1", "MEMBER_OF", "e1", "e2", ("s1",), machine=True),),
        stances=(Stance("st1", "AUTHOR", "FAVOR", ("s1",), target_span=Span(10, 13, text[10:13])),),
    )


# ---------------------------------------------------------------- the HTML string


def test_every_mention_is_one_element_with_its_text(gold: Document) -> None:
    root = parse(render_html(gold))
    assert len(root.find_all("data-mention")) == len(gold.mentions)
    for m in gold.mentions:
        node = one(root, "data-mention", m.id)
        assert node.attrs["data-entity"] == m.entity
        assert node.attrs["data-level"] == m.level
        assert node.attrs["data-type"] == gold.entity(m.entity).type
        assert node.text() == m.text


def test_nested_mentions_are_nested_elements(gold: Document) -> None:
    root = parse(render_html(gold))
    node = {m.id: one(root, "data-mention", m.id) for m in gold.mentions}
    by_id = {m.id: m for m in gold.mentions}
    nested = 0
    for a in gold.mentions:
        for b in gold.mentions:
            if a is b:
                continue
            inside = a.start <= b.start and b.end <= a.end and (a.start, a.end) != (b.start, b.end)
            if inside:
                assert node[a.id] in node[b.id].ancestors(), f"{b.id} not inside {a.id}"
                nested += 1
    assert nested > 0
    for m in gold.mentions:
        for anc in node[m.id].ancestors():
            if "data-mention" in anc.attrs:
                outer = by_id[anc.attrs["data-mention"]]
                assert outer.start <= m.start and m.end <= outer.end
    # one known case: MINUSMA's long name holds "United Nations", inside the NOM mention m14
    assert node["m14"] in node["m17"].ancestors() and node["m16"] in node["m17"].ancestors()


def test_zones_and_sentences_keep_the_text(gold: Document) -> None:
    root = parse(render_html(gold))
    for z in gold.zones:
        node = one(root, "data-zone", z.id)
        assert node.text() == z.text
        assert node.attrs["data-zone-type"] == z.type
    for s in gold.sentences:
        assert one(root, "data-sentence", s.id).text() == s.text
    assert one(root, "data-zone", "z1").tag == "h2"
    assert one(root, "data-zone", "z6").tag == "h3"
    assert "boilerplate" in one(root, "data-zone", "z3").classes()


def test_text_and_metadata_are_escaped() -> None:
    doc = tiny_document()
    page = render_html(doc)
    assert "<script>alert" not in page
    assert "<b>licence" not in page and "<pub>" not in page
    assert 'href="javascript:' not in page
    root = parse(page)
    assert one(root, "data-zone", "z1").text() == doc.text
    assert one(root, "data-mention", "m1").text() == "a<b"
    assert one(root, "data-mention", "m2").text() == "a<b && c>d"
    h1 = [n for n in root.iter() if n.tag == "h1"]
    assert [n.text() for n in h1] == [doc.meta.title]
    links = [n.attrs["href"] for n in root.iter() if n.tag == "a"]
    assert links == [wikipedia_url('A "B" & <C>')]
    assert "a&lt;b &amp;&amp; c&gt;d" in page


def test_nesting_and_propositions_in_a_small_document() -> None:
    root = parse(render_html(tiny_document()))
    m1, m2 = one(root, "data-mention", "m1"), one(root, "data-mention", "m2")
    assert m2 in m1.ancestors()
    props = root.find_all("data-props", "st1")
    assert "".join(p.text() for p in props) == "c>d"
    assert all(m2 in p.ancestors() for p in props)


def test_machine_items_are_marked() -> None:
    root = parse(render_html(tiny_document()))
    assert "machine" in one(root, "data-mention", "m2").classes()
    assert "machine" not in one(root, "data-mention", "m1").classes()
    assert "machine" in one(root, "data-relation", "r1").classes()
    assert "machine" not in one(root, "data-stance", "st1").classes()
    assert "machine*" in one(root, "data-card", "e2").text()


def test_tables_name_the_entities(gold: Document) -> None:
    root = parse(render_html(gold))
    assert len(root.find_all("data-relation")) == len(gold.relations)
    assert len(root.find_all("data-stance")) == len(gold.stances)
    r1 = one(root, "data-relation", "r1")
    assert r1.attrs["data-evidence"] == "s1 s2 s4"
    cells = [c.text() for c in r1.children if isinstance(c, Node)]
    assert cells[:5] == ["r1", "MINUSMAe2", "PART_OF", "UNe1", "s1, s2, s4"]
    st1 = [c.text() for c in one(root, "data-stance", "st1").children if isinstance(c, Node)]
    assert st1[1:3] == ["juntae23", "FAVOR"] and "the withdrawal of MINUSMA" in st1[3]
    st11 = [c.text() for c in one(root, "data-stance", "st11").children if isinstance(c, Node)]
    assert st11[1] == "AUTHOR"


def test_entity_card_links_to_wikipedia(gold: Document) -> None:
    root = parse(render_html(gold))
    card = one(root, "data-card", "e2")
    assert "hidden" in card.attrs
    links = [n.attrs["href"] for n in card.iter() if n.tag == "a"]
    assert links == [
        "https://en.wikipedia.org/wiki/"
        "United_Nations_Multidimensional_Integrated_Stabilization_Mission_in_Mali"
    ]
    assert "INTERNATIONAL" in card.text() and f"chain ({len(gold.mentions_of('e2'))}" in card.text()


def test_page_loads_nothing(gold: Document) -> None:
    page = render_html(gold)
    root = parse(page)
    tags = {n.tag for n in root.iter()}
    assert not tags & {"link", "img", "iframe", "object", "embed"}
    assert all("src" not in n.attrs for n in root.iter())
    assert "url(" not in page and "@import" not in page and "fetch(" not in page
    assert "default-src 'none'" in page


def test_output_is_deterministic(gold: Document, tmp_path: Path) -> None:
    again = read_document(CORPUS / "sources" / "documents" / f"{DOC_ID}.json")
    assert render_html(gold) == render_html(again)
    assert render_html(gold, select="e2") == render_html(again, select="e2")
    elsewhere = in_fresh_process(
        "import hashlib\n"
        "from _paths import CORPUS, DOC_ID\n"
        "from sahel_corpus.show import render_html\n"
        "from sahel_corpus.sources import read_document\n"
        "doc = read_document(CORPUS / 'sources' / 'documents' / f'{DOC_ID}.json')\n"
        "print(hashlib.sha256(render_html(doc).encode()).hexdigest())"
    )
    assert elsewhere.strip() == hashlib.sha256(render_html(gold).encode()).hexdigest()
    write_html(gold, tmp_path / "a.html")
    write_html(again, tmp_path / "b.html")
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()
    assert (tmp_path / "a.html").read_bytes() == render_html(gold).encode("utf-8")


def test_crossing_mentions_are_refused() -> None:
    doc = tiny_document()
    crossing = Mention("m3", "e1", 5, 8, doc.text[5:8], "NOM")
    with pytest.raises(ShowError) as err:
        render_html(replace(doc, mentions=(*doc.mentions, crossing)))
    assert err.value.code == "show-crossing"


def test_unknown_selection_is_refused() -> None:
    with pytest.raises(ShowError) as err:
        render_html(tiny_document(), select="e9")
    assert err.value.code == "select"


# ---------------------------------------------------------------- headless Chromium

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="/usr/bin/chromium is missing (install Debian's chromium; CI does)",
)


def dump_dom(page: Path, profile: Path, fragment: str = "") -> Node:
    """Return the DOM of a page after its scripts ran, as Chromium serialises it."""
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--dump-dom",
        page.resolve().as_uri() + fragment,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    root = parse(done.stdout)
    body = [n for n in root.iter() if n.tag == "body"]
    assert len(body) == 1 and body[0].attrs.get("data-ready") == "1", "the script did not finish"
    return root


def with_class(root: Node, name: str) -> list[Node]:
    return [n for n in root.iter() if name in n.classes()]


def visible_cards(root: Node) -> list[str]:
    return [n.attrs["data-card"] for n in root.find_all("data-card") if "hidden" not in n.attrs]


@needs_chromium
def test_browser_selects_an_entity_chain(gold: Document, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    write_html(gold, page, select="e2")
    root = dump_dom(page, tmp_path / "profile")
    assert len(root.find_all("data-mention")) == len(gold.mentions)
    selected = with_class(root, "sel")
    assert all("data-mention" in n.attrs for n in selected)
    assert sorted(n.attrs["data-mention"] for n in selected) == sorted(
        m.id for m in gold.mentions_of("e2")
    )
    assert visible_cards(root) == ["e2"]
    assert with_class(root, "ev") == [n for n in with_class(root, "ev") if "data-legend" in n.attrs]


@needs_chromium
def test_browser_fragment_selects_a_stance(gold: Document, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    write_html(gold, page)
    root = dump_dom(page, tmp_path / "profile", "#select=st1")
    evidence = [
        n.attrs["data-sentence"] for n in with_class(root, "ev") if "data-sentence" in n.attrs
    ]
    assert evidence == ["s12"]
    lit = [n for n in with_class(root, "prop-on") if "data-props" in n.attrs]
    assert "".join(n.text() for n in lit) == "the withdrawal of MINUSMA"
    assert [n.attrs["data-stance"] for n in with_class(root, "row-sel")] == ["st1"]
    assert with_class(root, "sel") == []
    assert visible_cards(root) == ["st1"]


@needs_chromium
def test_browser_fragment_selects_a_relation(gold: Document, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    write_html(gold, page, select="e3")
    root = dump_dom(page, tmp_path / "profile", "#select=r19")
    evidence = [
        n.attrs["data-sentence"] for n in with_class(root, "ev") if "data-sentence" in n.attrs
    ]
    assert evidence == ["s1", "s2", "s4", "s11"]
    assert [n for n in with_class(root, "prop-on") if "data-props" in n.attrs] == []
    assert with_class(root, "sel") == []
    assert visible_cards(root) == ["r19"]


@needs_chromium
def test_browser_page_without_selection(gold: Document, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    write_html(gold, page)
    root = dump_dom(page, tmp_path / "profile")
    assert with_class(root, "sel") == [] and visible_cards(root) == []
    for z in gold.zones:
        assert one(root, "data-zone", z.id).text() == z.text
    assert len(root.find_all("data-sentence")) == len(gold.sentences)


def test_every_trigger_is_drawn_with_its_event(gold: Document) -> None:
    page = render_html(gold)
    root = parse(page)
    for event in gold.events:
        for t in event.triggers:
            pieces = [n for n in root.find_all("data-trigger") if n.attrs["data-trigger"] == t.id]
            assert "".join(n.text() for n in pieces) == t.text
            assert {n.attrs["data-event"] for n in pieces} == {event.id}
            assert {n.attrs["data-event-type"] for n in pieces} == {event.type}
    rows = root.find_all("data-event")
    assert [n.attrs["data-event"] for n in rows if n.tag == "tr"] == [e.id for e in gold.events]
    assert f"{len(gold.events)} events" in page


@needs_chromium
def test_browser_selects_an_event_with_its_coreferent_triggers(
    gold: Document, tmp_path: Path
) -> None:
    event = max(gold.events, key=lambda e: len(e.triggers))
    assert len(event.triggers) > 1
    page = tmp_path / "page.html"
    write_html(gold, page)
    root = dump_dom(page, tmp_path / "profile", f"#select={event.id}")
    lit = [n for n in with_class(root, "trg-on") if "data-trigger" in n.attrs]
    assert sorted({n.attrs["data-trigger"] for n in lit}) == sorted(t.id for t in event.triggers)
    assert [n.attrs["data-event"] for n in with_class(root, "row-sel")] == [event.id]
    selected = {n.attrs["data-entity"] for n in with_class(root, "sel") if "data-entity" in n.attrs}
    assert selected == {a.entity for a in event.arguments}
    assert visible_cards(root) == [event.id]
