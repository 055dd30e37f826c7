"""The dataset card: its figures come from the commands that compute them."""

from __future__ import annotations

import yaml

from _paths import CORPUS, DOC_ID
from sahel_corpus.agreement import agreement, render_agreement, render_event_agreement
from sahel_corpus.schema import (
    ENTITY_TYPES,
    NER_TAGS,
    RELATION_TYPES,
    SCHEMA_VERSION,
    STANCE_LABELS,
)
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
    paths = pass_paths(CORPUS, DOC_ID)
    a, b = (read_document(p) for p in paths if ".events-" not in p.name)
    assert render_agreement([agreement(a, b)]) in CARD
    ea, eb = (read_document(p) for p in paths if ".events-" in p.name)
    events = render_event_agreement(agreement(ea, eb)["events"])
    assert "Events (passes events-a and events-b;" in CARD
    assert events in CARD and "| 11 | 11 | 1.000 | 1.000 | 0.982 |" in events


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
    assert (meta["license"], meta["license_link"]) == ("other", "LICENSE.md")
    assert meta["license_name"] == "cc-by-4.0-annotations-publisher-texts"
    assert (CORPUS / meta["license_link"]).is_file()
    defaults = [c["config_name"] for c in meta["configs"] if c.get("default")]
    assert defaults == ["ner"]


def test_card_and_package_share_one_semantic_version() -> None:
    import re

    from sahel_corpus import __version__

    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)
    assert _front_matter()["version"] == __version__
    assert f"Corpus version {__version__}, annotation schema {SCHEMA_VERSION}." in CARD
    changelog = (CORPUS.parent / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{__version__}]" in changelog


def test_every_column_of_every_config_is_described_in_the_card() -> None:
    from sahel_corpus.views import FIELD_DESCRIPTIONS, features

    fields = CARD.split("## Data fields", 1)[1].split("### Labels", 1)[0]
    for config in CONFIGS:
        assert set(FIELD_DESCRIPTIONS[config]) == set(features(config)), config
        section = fields.split(f"`{config}`:", 1)[1].split("\n\n`", 1)[0]
        for column, meaning in FIELD_DESCRIPTIONS[config].items():
            assert f"| `{column}` |" in section and meaning in section, (config, column)


def test_every_class_label_has_an_id_table_and_a_label_file() -> None:
    import json

    from sahel_corpus.views import class_labels

    labels = CARD.split("### Labels", 1)[1].split("## Dataset description", 1)[0]
    for config in CONFIGS:
        maps = json.loads((CORPUS / "data" / config / "label2id.json").read_text("utf-8"))
        assert maps == {
            column: {name: i for i, name in enumerate(names)}
            for column, names in class_labels(config).items()
        }
        for column in maps:
            assert f"`{config}.{column}`" in labels, (config, column)
    for i, tag in enumerate(NER_TAGS):
        assert f"| {i} | `{tag}` |" in labels


def test_the_card_has_the_sections_peers_have() -> None:
    for heading in (
        "## Data instances",
        "## Data fields",
        "### Labels",
        "### Personal and sensitive information",
        "### Who are the annotators",
        "### Out-of-scope use",
        "## Contact",
        "## Citation",
        "## Licence",
    ):
        assert heading in CARD, heading
    assert "url    = {https://github.com/sahel-corpus/sahel-corpus}" in CARD
    for config in CONFIGS:
        assert f"`{config}` (first row of `train`):" in CARD


def test_links_in_the_card_work_from_its_own_folder() -> None:
    """A Hub repository is rooted at corpus/: relative links must resolve there."""
    import re

    for target in re.findall(r"\]\(([^)#]+)\)", CARD):
        if not target.startswith("https://"):
            assert (CORPUS / target).exists(), target


def test_unrecorded_metadata_is_explained_not_left_null() -> None:
    doc = read_documents(CORPUS)[0]
    assert doc.meta.url is None and doc.meta.published is None
    assert "| not recorded | not recorded |" in CARD
    assert f'"not recorded": the publication date or address of "{doc.id}"' in CARD
    licence = (CORPUS / "LICENSE.md").read_text(encoding="utf-8")
    assert doc.meta.text_licence in licence
