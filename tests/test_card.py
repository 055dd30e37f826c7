"""The dataset card: its figures come from the commands that compute them."""

from __future__ import annotations

import yaml

from _paths import CORPUS, DOC_ID
from sahel_corpus.agreement import agreement, render_agreement
from sahel_corpus.schema import ENTITY_TYPES, NER_TAGS, RELATION_TYPES, STANCE_LABELS
from sahel_corpus.sources import pass_paths, read_document, read_documents
from sahel_corpus.stats import corpus_stats, render_stats
from sahel_corpus.views import CONFIGS

CARD = (CORPUS / "README.md").read_text(encoding="utf-8")


def _front_matter() -> dict:
    _, head, _ = CARD.split("---\n", 2)
    return yaml.safe_load(head)


def test_card_has_the_stats_of_the_sources() -> None:
    assert render_stats(corpus_stats(read_documents(CORPUS))) in CARD


def test_card_has_the_agreement_of_the_passes() -> None:
    a, b = (read_document(p) for p in pass_paths(CORPUS, DOC_ID))
    assert render_agreement([agreement(a, b)]) in CARD


def test_front_matter_lists_every_config_with_class_labels() -> None:
    meta = _front_matter()
    assert [c["config_name"] for c in meta["configs"]] == list(CONFIGS)
    infos = {i["config_name"]: i for i in meta["dataset_info"]}
    assert set(infos) == set(CONFIGS)
    ner = {f["name"]: f for f in infos["ner"]["features"]}
    names = ner["ner_tags"]["list"]["class_label"]["names"]
    assert [names[str(i)] for i in range(len(names))] == list(NER_TAGS)
    rel = {f["name"]: f for f in infos["relations"]["features"]}
    assert list(rel["type"]["dtype"]["class_label"]["names"].values()) == list(RELATION_TYPES)
    st = {f["name"]: f for f in infos["stance"]["features"]}
    assert list(st["label"]["dtype"]["class_label"]["names"].values()) == list(STANCE_LABELS)
    men = {f["name"]: f for f in infos["mentions"]["features"]}
    assert list(men["type"]["dtype"]["class_label"]["names"].values()) == list(ENTITY_TYPES)


def test_front_matter_has_the_hub_metadata() -> None:
    meta = _front_matter()
    for key in (
        "license",
        "language",
        "task_categories",
        "task_ids",
        "size_categories",
        "pretty_name",
        "annotations_creators",
        "language_creators",
        "source_datasets",
    ):
        assert meta[key], key
    assert meta["license"] == "cc-by-4.0"


def test_card_and_package_share_one_semantic_version() -> None:
    import re

    from sahel_corpus import __version__

    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)
    assert _front_matter()["version"] == __version__
    assert f"Corpus version {__version__}." in CARD
    changelog = (CORPUS.parent / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{__version__}]" in changelog
