"""The official scorer: gold against itself, rows in each config's format, bad predictions."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from _paths import CORPUS, DOC_ID
from sahel_corpus import schema as inv
from sahel_corpus.cli import main
from sahel_corpus.errors import AnnotationError, DataError
from sahel_corpus.evaluation import evaluate_documents, evaluate_rows, restrict_to_fold
from sahel_corpus.sources import read_document, read_documents
from sahel_corpus.views import rows

GOLD = read_documents(CORPUS)
PASS_A = CORPUS / "sources" / "passes" / f"{DOC_ID}.a.json"


def _all_scores(result: dict[str, Any]) -> list[float]:
    """Every headline score of an evaluation."""
    out = []
    for layer, key in (
        ("ner", "micro_f1"),
        ("ner", "macro_f1"),
        ("ner", "nervaluate_strict"),
        ("mentions", "f1"),
        ("coreference", "muc_f1"),
        ("coreference", "b_cubed_f1"),
        ("coreference", "ceaf_e_f1"),
        ("coreference", "conll_f1"),
        ("linking", "accuracy"),
        ("relations", "f1"),
        ("relations", "tacred_micro_f1"),
        ("stance", "macro_f1"),
        ("stance", "semeval_f1"),
        ("events", "trigger_identification"),
        ("events", "trigger_classification"),
        ("events", "argument_identification"),
        ("events", "argument_classification"),
    ):
        if layer in result and key in result[layer]:
            value = result[layer][key]
            out.append(value["f1"] if isinstance(value, dict) else value)
    if "mentions" in result:
        out.append(result["mentions"]["with_level"]["f1"])
    if "relations" in result:
        out.append(result["relations"]["evidence"]["f1"])
    return out


def test_gold_against_itself_scores_one_in_every_layer() -> None:
    result = evaluate_documents(GOLD, GOLD)
    scores = _all_scores(result)
    assert len(scores) == 18 and set(scores) == {1.0}
    events = result["events"]
    assert events["realis_kappa"] == 1.0 and events["coreference"]["conll_f1"] == 1.0


@pytest.mark.parametrize(
    "config", ["ner", "mentions", "relations", "stance", "events", "event_triggers"]
)
def test_gold_rows_of_each_config_score_one(config: str) -> None:
    result = evaluate_rows(GOLD, json.loads(json.dumps(rows(config, GOLD))), config)
    assert result["format"] == config
    scores = _all_scores(result)
    assert scores and set(scores) == {1.0}, result


def test_class_indices_are_read_as_labels() -> None:
    ner = rows("ner", GOLD)
    as_ints = [
        {"id": r["id"], "ner_tags": [inv.NER_TAGS.index(t) for t in r["ner_tags"]]} for r in ner
    ]
    assert evaluate_rows(GOLD, as_ints)["ner"]["micro_f1"] == 1.0


def test_a_second_pass_scores_below_one_and_the_command_prints_tables(
    capsys: pytest.CaptureFixture[str],
) -> None:
    result = evaluate_documents(GOLD, [read_document(PASS_A)])
    assert result["relations"]["f1"] < 1.0
    assert main(["evaluate", str(CORPUS), str(PASS_A)]) == 0
    out = capsys.readouterr().out
    for title in ("NER", "Mentions", "Coreference", "Entity linking", "Relations", "Stance"):
        assert title in out
    assert "Events (11 gold, 0 predicted, 0 matched)" in out  # pass A has no event layer


def test_missing_predictions_count_as_nothing_found() -> None:
    result = evaluate_documents(GOLD, [])
    assert result["mentions"]["f1"] == 0.0 and result["mentions"]["gold"] == 119
    assert result["ner"]["micro_f1"] == 0.0
    missing_rows = evaluate_rows(GOLD, [], kind="relations")
    assert missing_rows["relations"]["f1"] == 0.0
    assert result["events"]["trigger_classification"]["f1"] == 0.0
    assert result["events"]["trigger_classification"]["recall"] == 0.0


def _event_row(doc_id: str, event: Any) -> dict[str, Any]:
    return {
        "document_id": doc_id,
        "type": event.type,
        "realis": event.realis,
        "triggers": [{"start": t.start, "end": t.end} for t in event.triggers],
        "arguments": [{"role": a.role, "entity": a.entity} for a in event.arguments],
    }


def test_event_measures_count_as_ace_papers_do() -> None:
    """Worked by hand: one trigger dropped, one retyped, one argument's role changed."""
    gold = GOLD[0]
    events = list(gold.events)
    rows_ = [_event_row(gold.id, e) for e in events]
    n_triggers = sum(len(e.triggers) for e in events)
    n_args = sum(len(e.arguments) for e in events)
    multi = next(i for i, e in enumerate(events) if len(e.triggers) > 1)
    rows_[multi]["triggers"] = rows_[multi]["triggers"][:-1]  # one trigger fewer
    single = next(i for i, e in enumerate(events) if len(e.triggers) == 1 and e.arguments)
    other = next(t for t in inv.EVENT_TYPES if t != events[single].type)
    rows_[single]["type"] = other  # its trigger and its arguments lose the type
    argued = next(i for i, e in enumerate(events) if e.arguments and i != single)
    roles = [r for r in inv.EVENT_ROLES if r != events[argued].arguments[0].role]
    rows_[argued]["arguments"][0]["role"] = roles[0]  # identified, not classified
    result = evaluate_rows(GOLD, rows_, kind="events")["events"]
    ident = result["trigger_identification"]
    assert ident["precision"] == 1.0
    assert ident["recall"] == round((n_triggers - 1) / n_triggers, 4)
    cls = result["trigger_classification"]
    assert cls["precision"] == round((n_triggers - 2) / (n_triggers - 1), 4)
    lost = len(events[single].arguments)
    arg_id = result["argument_identification"]
    assert arg_id["recall"] == round((n_args - lost) / n_args, 4)
    arg_cls = result["argument_classification"]
    assert arg_cls["recall"] == round((n_args - lost - 1) / n_args, 4)
    assert result["matched_events"] == len(events)


def test_fold_restriction_keeps_only_that_folds_sentences() -> None:
    fold = restrict_to_fold(GOLD, 0)
    assert fold and all(len(d.sentences) < len(GOLD[0].sentences) for d in fold)
    result = evaluate_documents(fold, fold)
    assert result["mentions"]["f1"] == 1.0


def test_predictions_for_another_text_or_document_are_refused() -> None:
    other = replace(GOLD[0], meta=replace(GOLD[0].meta, id="other"))
    with pytest.raises(DataError) as err:
        evaluate_documents(GOLD, [other])
    assert err.value.code == "unknown-document"
    changed = replace(GOLD[0], text=GOLD[0].text.replace("Mali", "Mala", 1))
    with pytest.raises(AnnotationError) as err2:
        evaluate_documents(GOLD, [changed])
    assert err2.value.code == "different-texts"


@pytest.mark.parametrize(
    ("rows_", "code"),
    [
        ([{"something": 1}], "row-format"),
        ([{"id": f"{DOC_ID}/s1", "ner_tags": ["B-XYZ"]}], "tag-count"),
        ([{"id": "nope/s1", "ner_tags": []}], "unknown-document"),
        ([{"document_id": DOC_ID, "start": 0, "end": 2, "type": "ALIEN"}], "row-label"),
        ([{"document_id": DOC_ID, "start": "0", "end": 2, "type": "ORG"}], "row-format"),
        ([{"document_id": DOC_ID, "type": "ATTACK", "triggers": []}], "row-format"),
        (
            [{"document_id": DOC_ID, "type": "PICNIC", "triggers": [{"start": 0, "end": 2}]}],
            "row-label",
        ),
        (
            [
                {
                    "document_id": DOC_ID,
                    "type": "ATTACK",
                    "triggers": [{"start": 0, "end": 2}],
                    "arguments": [{"role": "HOST", "entity": "e1"}],
                }
            ],
            "row-label",
        ),
        ([{"id": f"{DOC_ID}/s1", "event_tags": ["B-ATTACK"]}], "tag-count"),
        (
            [
                {"document_id": DOC_ID, "start": 0, "end": 2, "type": "ORG"},
                {"document_id": DOC_ID, "head": "e1", "tail": "e2", "type": "PART_OF"},
            ],
            "row-format",
        ),
    ],
)
def test_bad_rows_get_a_coded_error(rows_: list[dict[str, Any]], code: str) -> None:
    with pytest.raises(DataError) as err:
        evaluate_rows(GOLD, rows_, "p.jsonl")
    assert err.value.code == code


def test_the_command_reads_json_lines_and_names_the_bad_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "mentions.jsonl"
    good.write_text(
        "\n".join(json.dumps(r) for r in rows("mentions", GOLD)) + "\n", encoding="utf-8"
    )
    assert main(["evaluate", str(CORPUS), str(good), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["mentions"]["f1"] == 1.0
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1}\n{not json\n', encoding="utf-8")
    assert main(["evaluate", str(CORPUS), str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error [jsonl]: ") and "line 2" in err
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    assert main(["evaluate", str(CORPUS), str(empty)]) == 1
    assert "error [row-format]: " in capsys.readouterr().err
    assert main(["evaluate", str(CORPUS), str(empty), "--rows", "stance"]) == 0
    assert main(["evaluate", str(CORPUS), str(tmp_path / "none")]) == 2
    assert "error [no-input]: " in capsys.readouterr().err


def test_the_readme_rows_are_rows_the_scorer_reads() -> None:
    """Each example row of the README (but the elided ner row) scores as a true positive."""
    import re

    readme = (CORPUS.parent / "README.md").read_text(encoding="utf-8")
    block = re.findall(r"```json\n(.*?)```", readme.split("<!-- rows-example -->", 1)[1], re.S)[0]
    lines = [line for line in block.splitlines() if "..." not in line]
    assert len(lines) == 4
    for line in lines:
        result = evaluate_rows(GOLD, [json.loads(line)])
        layer = {"mentions": "mentions", "relations": "relations", "stance": "stance"}
        if result["format"] == "events":
            events = result["events"]
            assert events["trigger_classification"]["precision"] == 1.0
            assert events["argument_classification"]["precision"] == 1.0
            continue
        scores = result[layer[result["format"]]]
        assert scores["precision"] == 1.0 if "precision" in scores else scores["macro_f1"] > 0


def test_whole_document_rows_scored_on_one_fold_count_only_that_fold(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for config, layer, key in (
        ("events", "events", "trigger_classification"),
        ("event_triggers", "events", "trigger_classification"),
        ("ner", "ner", "micro_f1"),
    ):
        path = tmp_path / f"{config}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in rows(config, GOLD)), "utf-8")
        for fold in (0, 4):
            argv = ["evaluate", str(CORPUS), str(path), "--fold", str(fold), "--format", "json"]
            assert main(argv) == 0, config
            score = json.loads(capsys.readouterr().out)[layer][key]
            assert (score["f1"] if isinstance(score, dict) else score) == 1.0, (config, fold)


@pytest.mark.parametrize(
    ("row", "code"),
    [
        ({"triggers": [{"start": 99990, "end": 99998}]}, "row-offset"),
        ({"triggers": [{"start": 508, "end": 500}]}, "row-offset"),
        ({"arguments": [{"role": "AGENT", "entity": "e999"}]}, "row-reference"),
        ({"attributed_to": "e999"}, "row-reference"),
    ],
)
def test_impossible_event_rows_are_refused(row: dict[str, Any], code: str) -> None:
    base = {"document_id": DOC_ID, "type": "DEATH", "triggers": [{"start": 575, "end": 582}]}
    with pytest.raises(DataError) as err:
        evaluate_rows(GOLD, [{**base, **row}], "p.jsonl")
    assert err.value.code == code


def test_event_trigger_rows_must_be_strict_iob2_and_once_each() -> None:
    good = rows("event_triggers", GOLD)[0]
    stray = {"id": good["id"], "event_tags": ["I-DEATH", *good["event_tags"][1:]]}
    with pytest.raises(DataError) as err:
        evaluate_rows(GOLD, [stray], "p.jsonl")
    assert err.value.code == "iob2-continuation"
    twice = {"id": good["id"], "event_tags": good["event_tags"]}
    with pytest.raises(DataError) as err2:
        evaluate_rows(GOLD, [twice, twice], "p.jsonl")
    assert err2.value.code == "row-duplicate"


def test_predictions_that_share_no_trigger_or_mention_score_zero_not_an_error() -> None:
    gold = GOLD[0]
    moved = tuple(
        replace(
            e,
            triggers=tuple(replace(t, start=0, end=2, text=gold.text[:2]) for t in e.triggers[:1]),
        )
        for e in gold.events[:1]
    )
    scores = evaluate_documents(GOLD, [replace(gold, events=moved)])["events"]
    assert scores["trigger_identification"]["f1"] == 0.0
    assert scores["coreference"]["conll_f1"] == 0.0
