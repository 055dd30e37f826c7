"""Deterministic synthetic articles derived from the first article of the corpus.

Article *i* keeps the headline, shuffles the order of the body paragraphs
and substitutes the article's names with others of the same kind, all from
``random.Random(seed * 1_000_003 + i)``; subheadings and boilerplate stay in
place. So every size of corpus has the real article's vocabulary, length and
layout, and a given article is the same in every run.
"""

from __future__ import annotations

import copy
import hashlib
import json
import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sahel_corpus.model import LAYERS

ROOT = Path(__file__).resolve().parents[1]
SEED_TEXT = ROOT / "corpus" / "sources" / "documents" / "000_b8e6d3e9cdabb873.txt"

#: Names of the article and the pools that replace them (same kind of referent).
SUBSTITUTIONS: dict[str, list[str]] = {
    "MINUSMA": ["MINUSMA", "MONUSCO", "MINUSCA", "UNMISS"],
    "Wagner": ["Wagner", "Africa Corps", "Sadat", "Redut"],
    "Ber": ["Ber", "Gao", "Kidal", "Menaka", "Tessalit", "Anefis", "Aguelhok", "Timbuktu"],
    "Mali": ["Mali", "Niger", "Burkina Faso", "Chad", "Mauritania"],
    "Malian": ["Malian", "Nigerien", "Burkinabe", "Chadian", "Mauritanian"],
    "Tuareg": ["Tuareg", "Fulani", "Arab", "Songhai"],
    "CMA": ["CMA", "CSP", "MNLA", "HCUA"],
    "France": ["France", "Germany", "Canada", "Belgium"],
    "Russia": ["Russia", "Turkey", "China", "Iran"],
    "AFP": ["AFP", "Reuters", "AP", "RFI"],
}
_NAME = re.compile(r"\b(" + "|".join(sorted(SUBSTITUTIONS, key=len, reverse=True)) + r")\b")


def article(i: int, seed: int = 0, text: str | None = None) -> str:
    """The *i*-th synthetic article (article 0 with seed 0 is the real one)."""
    base = text if text is not None else SEED_TEXT.read_text(encoding="utf-8")
    if i == 0 and seed == 0:
        return base
    rng = random.Random(seed * 1_000_003 + i)
    paragraphs = base.split("\n\n")
    body = [
        k
        for k, p in enumerate(paragraphs)
        if k > 0 and p.rstrip().endswith(".") and not p.startswith("This article was published")
    ]
    order = body[:]
    rng.shuffle(order)
    moved = list(paragraphs)
    for slot, source in zip(body, order, strict=True):
        moved[slot] = paragraphs[source]
    names = {name: rng.choice(pool) for name, pool in SUBSTITUTIONS.items()}
    return _NAME.sub(lambda m: names[m.group(1)], "\n\n".join(moved))


def articles(n: int, seed: int = 0) -> Iterator[dict[str, str]]:
    """``n`` rows ``{"id", "text"}``, generated lazily."""
    text = SEED_TEXT.read_text(encoding="utf-8")
    for i in range(n):
        yield {"id": f"synthetic-{seed}-{i}", "text": article(i, seed, text)}


def replicated_annotation(copies: int) -> tuple[str, dict[str, Any]]:
    """One long document: the annotated first article ``copies`` times, ids suffixed ``_<k>``.

    Returns the text and its annotation file's dictionary (valid, as the
    original is): every span shifted, every id and reference renamed.
    """
    source = ROOT / "corpus" / "sources" / "documents" / "000_b8e6d3e9cdabb873"
    text = source.with_suffix(".txt").read_text(encoding="utf-8")
    data = json.loads(source.with_suffix(".json").read_text(encoding="utf-8"))
    gap = "\n\n"
    layers: dict[str, list[dict[str, Any]]] = {k: [] for k in LAYERS}
    for k in range(copies):
        shift, suffix = k * (len(text) + len(gap)), f"_{k}"
        for layer in LAYERS:
            for item in data[layer]:
                layers[layer].append(_shifted(item, shift, suffix))
    full = gap.join([text] * copies)
    out = copy.deepcopy(data)
    out.update(layers)
    out["document"]["text_sha256"] = hashlib.sha256(full.encode("utf-8")).hexdigest()
    return full, out


_REFERENCES = ("id", "zone", "entity", "head", "tail", "holder", "attributed_to")


def _shifted(item: dict[str, Any], shift: int, suffix: str) -> dict[str, Any]:
    out = copy.deepcopy(item)
    for key in _REFERENCES:
        if isinstance(out.get(key), str) and out[key] != "AUTHOR":
            out[key] += suffix
    for span in (out, out.get("target", {})):
        if "start" in span:
            span["start"] += shift
            span["end"] += shift
    if "entity" in out.get("target", {}):
        out["target"]["entity"] += suffix
    if "evidence" in out:
        out["evidence"] = [e + suffix for e in out["evidence"]]
    if "triggers" in out:  # an event: its triggers are spans, its arguments name entities
        out["triggers"] = [_shifted(t, shift, suffix) for t in out["triggers"]]
        out["arguments"] = [{**a, "entity": a["entity"] + suffix} for a in out["arguments"]]
    return out
