"""The scorers on small cases worked out by hand: exact values to four places, the empty and
undefined cases, strict IOB2, the stance labels in use, coreference, entity alignment."""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace

import pytest

from sahel_corpus.errors import DataError
from sahel_corpus.model import Argument, Document, DocumentMeta, Entity, Event, Mention, Trigger
from sahel_corpus.schema import EVENT_REALIS
from sahel_corpus.scoring import (
    NEGATIVE,
    STANCE_LABELS,
    align_entities,
    align_events,
    coreference_scores,
    entity_relation_scores,
    event_scores,
    kappa,
    ner_scores,
    realis_scores,
    span_prf,
    stance_scores,
    strict_f1,
    tacred_scores,
)

ZERO = {"precision": 0.0, "recall": 0.0, "f1": 0.0}

#: Two sentences, four gold entities; three predictions, two of them right, one of the wrong
#: type on the right tokens (so the nervaluate schemes differ).
GOLD = [["B-PER", "I-PER", "O", "B-ORG", "O"], ["B-LOC", "O", "B-PER"]]
PRED = [["B-PER", "I-PER", "O", "B-LOC", "O"], ["B-LOC", "O", "O"]]


@pytest.fixture(autouse=True)
def _warnings_are_errors() -> Iterator[None]:
    """An undefined score is 0 by choice: no library may warn about it."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def _code(call: Callable[[], object]) -> str:
    with pytest.raises(DataError) as caught:
        call()
    assert re.fullmatch(r"got .+, expected .+", str(caught.value), re.DOTALL), caught.value
    return caught.value.code


# -- span_prf -----------------------------------------------------------------------------------


def test_span_prf_is_exact_to_four_places() -> None:
    assert span_prf({1, 2, 3}, {1, 2, 4}) == {"precision": 0.6667, "recall": 0.6667, "f1": 0.6667}
    assert span_prf({1, 2, 3}, {1}) == {"precision": 1.0, "recall": 0.3333, "f1": 0.5}
    assert span_prf({1}, {1, 2, 3}) == {"precision": 0.3333, "recall": 1.0, "f1": 0.5}


def test_span_prf_is_zero_where_undefined() -> None:
    assert span_prf(set(), set()) == ZERO
    assert span_prf({(0, 4, "GPE")}, set()) == ZERO  # nothing predicted: precision 0/0
    assert span_prf(set(), {(0, 4, "GPE")}) == ZERO  # nothing to find: recall 0/0


def test_span_prf_takes_any_iterables_and_ignores_repeats() -> None:
    scores = span_prf([(0, 4, "GPE"), (0, 4, "GPE")], iter([(0, 4, "GPE"), (5, 6, "ORG")]))
    assert scores == {"precision": 0.5, "recall": 1.0, "f1": 0.6667}


# -- strict_f1 and ner_scores -------------------------------------------------------------------


def test_strict_f1() -> None:
    assert strict_f1([["B-PER", "O", "B-ORG"]], [["B-PER", "O", "O"]]) == pytest.approx(2 / 3)
    assert strict_f1([["O", "O"]], [["O", "O"]]) == 0.0
    assert strict_f1([], []) == 0.0
    assert strict_f1([["B-PER"]], [["O"]]) == 0.0
    assert strict_f1([["O"]], [["B-PER"]]) == 0.0
    # strict IOB2: a span must start with B-, so "I-PER I-PER" is no entity at all
    assert strict_f1([["B-PER", "I-PER"]], [["I-PER", "I-PER"]]) == 0.0
    assert strict_f1((("B-PER", "I-PER"),), (("B-PER", "I-PER"),)) == 1.0


def test_ner_scores_worked_example() -> None:
    scores = ner_scores(GOLD, PRED, ["PER", "ORG", "LOC"])
    assert scores == {
        "micro_f1": 0.5714,  # 2 right of 3 predicted and 4 gold: 2 * 2 / (3 + 4)
        "macro_f1": 0.4444,  # (2/3 + 0 + 2/3) / 3
        "micro_precision": 0.6667,
        "micro_recall": 0.5,
        "per_type": {
            "LOC": {"precision": 0.5, "recall": 1.0, "f1": 0.6667, "support": 1},
            "ORG": {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1},
            "PER": {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 2},
        },
        "nervaluate": {
            "strict": 0.5714,
            "exact": 0.8571,  # the LOC for ORG has the right boundaries: 2 * 3 / (3 + 4)
            "partial": 0.8571,
            "ent_type": 0.5714,
        },
    }


def test_ner_scores_precision_and_recall_to_four_places() -> None:
    gold = [["B-PER", "O", "B-ORG", "O", "B-LOC"]]
    pred = [["B-PER", "O", "B-LOC", "O", "B-LOC"]]
    scores = ner_scores(gold, pred, ["PER", "ORG", "LOC"])
    assert scores["micro_precision"] == 0.6667 and scores["micro_recall"] == 0.6667
    assert scores["macro_f1"] == 0.5556  # (1 + 0 + 2/3) / 3
    assert scores["per_type"]["LOC"] == {
        "precision": 0.5,
        "recall": 1.0,
        "f1": 0.6667,
        "support": 1,
    }


def test_ner_scores_per_type_to_four_places() -> None:
    gold = [["B-LOC", "O", "B-LOC", "O", "B-LOC"]]
    pred = [["B-LOC", "O", "B-LOC", "B-LOC", "O"]]
    scores = ner_scores(gold, pred, ["LOC"])
    assert scores["per_type"] == {
        "LOC": {"precision": 0.6667, "recall": 0.6667, "f1": 0.6667, "support": 3}
    }


def test_ner_scores_of_predictions_where_the_gold_has_no_entity() -> None:
    scores = ner_scores([["O", "O"]], [["B-PER", "O"]], ["PER"])
    assert scores == {
        "micro_f1": 0.0,
        "macro_f1": 0.0,
        "micro_precision": 0.0,
        "micro_recall": 0.0,
        "per_type": {"PER": {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}},
        "nervaluate": {"strict": 0.0, "exact": 0.0, "partial": 0.0, "ent_type": 0.0},
    }


def test_ner_scores_are_strict_iob2() -> None:
    scores = ner_scores([["B-PER", "I-PER", "O"]], [["I-PER", "I-PER", "O"]], ["PER"])
    assert scores["micro_f1"] == 0.0
    assert scores["per_type"] == {"PER": {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}}


def test_ner_scores_without_entities_are_all_zero() -> None:
    expected = {
        "micro_f1": 0.0,
        "macro_f1": 0.0,
        "micro_precision": 0.0,
        "micro_recall": 0.0,
        "per_type": {},
        "nervaluate": {"strict": 0.0, "exact": 0.0, "partial": 0.0, "ent_type": 0.0},
    }
    assert ner_scores([["O", "O"], ["O"]], [["O", "O"], ["O"]], ["PER"]) == expected
    assert ner_scores([], [], []) == expected


def test_ner_scores_count_spurious_types_outside_the_list() -> None:
    scores = ner_scores([["B-PER", "O"]], [["B-PER", "B-MISC"]], ["PER"])
    assert scores["micro_f1"] == 0.6667
    assert scores["nervaluate"]["strict"] == 0.6667  # MISC costs precision here too
    assert scores["per_type"]["MISC"] == {
        "precision": 0.0,
        "recall": 0.0,
        "f1": 0.0,
        "support": 0,
    }


# -- tacred_scores ------------------------------------------------------------------------------


def test_tacred_scores_worked_example() -> None:
    y_true = ["A", NEGATIVE, "B", "A"]
    y_pred = ["A", "A", NEGATIVE, "B"]
    assert tacred_scores(y_true, y_pred) == {
        "micro_precision": 0.3333,
        "micro_recall": 0.3333,
        "micro_f1": 0.3333,
        "per_type": {
            "A": {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2},
            "B": {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1},
        },
    }


def test_tacred_per_type_scores_skip_the_negative_class_wherever_it_sorts() -> None:
    # "NONE" sorts between "ATTACKS" and "PART_OF": per-type rows must not shift onto it
    y_true = ["PART_OF", NEGATIVE, "ATTACKS", "PART_OF"]
    y_pred = ["PART_OF", "PART_OF", NEGATIVE, "ATTACKS"]
    assert tacred_scores(y_true, y_pred)["per_type"] == {
        "ATTACKS": {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1},
        "PART_OF": {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2},
    }


def test_tacred_scores_leave_the_negative_class_out() -> None:
    scores = tacred_scores(["x", "no", "no"], ["x", "no", "x"], negative="no")
    assert scores["micro_precision"] == 0.5 and scores["micro_recall"] == 1.0
    assert list(scores["per_type"]) == ["x"]


def test_tacred_scores_are_zero_where_undefined() -> None:
    assert tacred_scores(["A", NEGATIVE], [NEGATIVE, NEGATIVE]) == {
        "micro_precision": 0.0,
        "micro_recall": 0.0,
        "micro_f1": 0.0,
        "per_type": {"A": {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}},
    }
    assert tacred_scores([NEGATIVE], [NEGATIVE]) == {
        "micro_precision": 0.0,
        "micro_recall": 0.0,
        "micro_f1": 0.0,
        "per_type": {},
    }
    assert tacred_scores([], [])["per_type"] == {}


def test_tacred_scores_refuse_a_prediction_count_that_differs() -> None:
    assert _code(lambda: tacred_scores(["A", "B"], ["A"])) == "prediction-count"
    assert _code(lambda: tacred_scores([], [NEGATIVE])) == "prediction-count"


# -- entity_relation_scores ---------------------------------------------------------------------


def test_entity_relation_scores_keep_direction_of_other_types() -> None:
    gold = [("d", "e1", "ATTACKS", "e2"), ("d", "e1", "ALLIED_WITH", "e3")]
    pred = [("d", "e2", "ATTACKS", "e1"), ("d", "e3", "ALLIED_WITH", "e1")]
    assert entity_relation_scores(gold, pred) == ZERO
    both = entity_relation_scores(gold, pred, symmetric=["ALLIED_WITH"])
    assert both == {"precision": 0.5, "recall": 0.5, "f1": 0.5}


# -- stance_scores ------------------------------------------------------------------------------


def test_stance_scores_worked_example() -> None:
    y_true = ["FAVOR", "AGAINST", NEGATIVE, "FAVOR", "NEUTRAL"]
    y_pred = ["FAVOR", "FAVOR", "AGAINST", NEGATIVE, "NEUTRAL"]
    assert stance_scores(y_true, y_pred) == {
        "macro_f1": 0.5,  # (1/2 + 0 + 1) / 3
        "semeval_f1": 0.25,  # (1/2 + 0) / 2
        "per_label": {"FAVOR": 0.5, "AGAINST": 0.0, "NEUTRAL": 1.0},
    }


def test_stance_scores_average_only_the_labels_in_use() -> None:
    scores = stance_scores(["FAVOR", "FAVOR", "AGAINST"], ["FAVOR", NEGATIVE, "AGAINST"])
    assert scores == {
        "macro_f1": 0.8333,  # (2/3 + 1) / 2: NEUTRAL is used by neither side
        "semeval_f1": 0.8333,
        "per_label": {"FAVOR": 0.6667, "AGAINST": 1.0},
    }
    neutral = stance_scores(["NEUTRAL", NEGATIVE], ["NEUTRAL", NEGATIVE])
    assert neutral == {"macro_f1": 1.0, "semeval_f1": 0.0, "per_label": {"NEUTRAL": 1.0}}


def test_a_stance_only_predicted_is_in_use() -> None:
    scores = stance_scores([NEGATIVE, "FAVOR"], ["AGAINST", "FAVOR"])
    assert scores == {
        "macro_f1": 0.5,
        "semeval_f1": 0.5,
        "per_label": {"FAVOR": 1.0, "AGAINST": 0.0},
    }


def test_stance_scores_of_an_annotation_against_itself_are_one() -> None:
    labels = ["AGAINST", NEGATIVE, "FAVOR", "NEUTRAL", "AGAINST"]
    assert stance_scores(labels, list(labels)) == {
        "macro_f1": 1.0,
        "semeval_f1": 1.0,
        "per_label": dict.fromkeys(STANCE_LABELS, 1.0),
    }


def test_stance_scores_without_a_stance_are_zero() -> None:
    empty = {"macro_f1": 0.0, "semeval_f1": 0.0, "per_label": {}}
    assert stance_scores([], []) == empty
    assert stance_scores([NEGATIVE, NEGATIVE], [NEGATIVE, NEGATIVE]) == empty


def test_stance_scores_refuse_a_prediction_count_that_differs() -> None:
    assert _code(lambda: stance_scores(["FAVOR"], [])) == "prediction-count"


# -- coreference_scores -------------------------------------------------------------------------


def test_coreference_scores_worked_example() -> None:
    # key: one chain {1, 2, 3}; response splits it into {1, 2} and {3}
    # MUC: recall (3 - 2) / (3 - 1) = 1/2, precision 1 -> 2/3
    # B-cubed: recall (2/3 + 2/3 + 1/3) / 3 = 5/9, precision 1 -> 5/7
    # CEAF-e: best similarity 2 * 2 / (3 + 2) = 4/5; recall 4/5, precision 2/5 -> 8/15
    assert coreference_scores([{1, 2, 3}], [{1, 2}, {3}]) == {
        "muc_f1": 0.6667,
        "b_cubed_f1": 0.7143,
        "ceaf_e_f1": 0.5333,
        "conll_f1": 0.6381,  # (2/3 + 5/7 + 8/15) / 3
    }


def test_coreference_scores_of_a_moved_mention() -> None:
    # key {1, 2, 3} {4, 5}; response {1, 2} {3, 4, 5}: mention 3 changed chains
    # MUC: recall (1 + 1) / (2 + 1) = 2/3, precision (1 + 1) / (1 + 2) = 2/3
    # B-cubed: recall and precision (2/3 + 2/3 + 1/3 + 1 + 1) / 5 = 11/15
    # CEAF-e: (4/5 + 4/5) / 2 = 4/5 both ways
    assert coreference_scores([{1, 2, 3}, {4, 5}], [{1, 2}, {3, 4, 5}]) == {
        "muc_f1": 0.6667,
        "b_cubed_f1": 0.7333,
        "ceaf_e_f1": 0.8,
        "conll_f1": 0.7333,  # (2/3 + 11/15 + 4/5) / 3 = 11/15
    }


def test_coreference_scores_of_clusters_that_share_no_mention_are_zero_without_a_warning() -> None:
    # no mention in common: every recall and precision is 0, and their harmonic mean is 0
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning would be an error here
        assert coreference_scores([{1, 2}, {3}], [{4}, {5, 6}]) == {
            "muc_f1": 0.0,
            "b_cubed_f1": 0.0,
            "ceaf_e_f1": 0.0,
            "conll_f1": 0.0,
        }


# -- align_entities -----------------------------------------------------------------------------

META = DocumentMeta(
    id="d",
    text_file="d.txt",
    text_sha256="0" * 64,
    title="t",
    publisher="p",
    url=None,
    published=None,
    language="en",
    text_licence="CC-BY-4.0",
    annotation_licence="CC-BY-4.0",
    guideline_version="1.0",
    annotators=("a",),
    status="gold",
)
TEXT = "Gao. Kidal. Menaka. Ber. Anefis."


def _doc(chains: dict[str, list[tuple[int, int]]]) -> Document:
    entities = tuple(Entity(e, "GPE") for e in chains)
    mentions = tuple(
        Mention(f"m{i}", e, start, end, TEXT[start:end], "NAM")
        for i, (e, start, end) in enumerate(
            (e, start, end) for e, spans in chains.items() for start, end in spans
        )
    )
    return Document(meta=META, text=TEXT, entities=entities, mentions=mentions)


GAO, KIDAL, MENAKA, BER, ANEFIS = (0, 3), (5, 10), (12, 18), (20, 23), (25, 31)


def test_align_entities_maximises_shared_mentions_one_to_one() -> None:
    a = _doc({"a1": [GAO, KIDAL, MENAKA], "a2": [BER]})
    # shared spans: a1-b1 2, a1-b2 1, a2-b2 1; b3 shares none and stays unmatched
    b = _doc({"b1": [GAO, KIDAL], "b2": [MENAKA, BER], "b3": [ANEFIS]})
    assert align_entities(a, b) == {"b1": "a1", "b2": "a2"}


def test_align_entities_finds_the_one_best_matching() -> None:
    a = _doc({"a1": [GAO, KIDAL, MENAKA, BER], "a2": [ANEFIS]})
    b = _doc({"b1": [GAO, KIDAL], "b2": [MENAKA, BER, ANEFIS]})
    # a1 shares two spans with b1 and two with b2, a2 one with b2: a1-b1 + a2-b2 (3) is the
    # only maximum; a1-b2 would leave a2 with nothing (2)
    assert align_entities(a, b) == {"b1": "a1", "b2": "a2"}


def test_align_entities_leaves_entities_sharing_nothing_unmatched() -> None:
    a = _doc({"a1": [GAO], "a2": [KIDAL]})
    b = _doc({"b1": [GAO], "b2": [MENAKA]})
    assert align_entities(a, b) == {"b1": "a1"}
    assert align_entities(a, _doc({"b1": [BER]})) == {}


def test_align_entities_of_a_document_without_entities_is_empty() -> None:
    a = _doc({"a1": [GAO]})
    assert align_entities(a, _doc({})) == {}
    assert align_entities(_doc({}), a) == {}


# -- realis_scores and kappa --------------------------------------------------------------------


def test_realis_scores_worked_example() -> None:
    y_true = ["ACTUAL", "ACTUAL", "GENERIC", "OTHER"]
    y_pred = ["ACTUAL", "GENERIC", "GENERIC", "ACTUAL"]
    # ACTUAL 1/2, GENERIC 2/3, OTHER 0: macro (1/2 + 2/3 + 0) / 3
    assert realis_scores(y_true, y_pred) == {"accuracy": 0.5, "macro_f1": 0.3889}
    assert realis_scores(("GENERIC",), ("GENERIC",)) == {"accuracy": 1.0, "macro_f1": 1.0}


def test_realis_scores_average_only_the_labels_in_use() -> None:
    # ACTUAL 2/3, GENERIC 0; OTHER is used by neither side and left out of the average
    assert realis_scores(["ACTUAL", "GENERIC"], ["ACTUAL", "ACTUAL"]) == {
        "accuracy": 0.5,
        "macro_f1": 0.3333,
    }
    # a label only predicted is in use
    assert realis_scores(["ACTUAL", "ACTUAL"], ["ACTUAL", "OTHER"])["macro_f1"] == 0.3333
    # to four places: 2 of 3 right
    assert realis_scores(["ACTUAL"] * 3, ["ACTUAL", "ACTUAL", "OTHER"])["accuracy"] == 0.6667


def test_realis_scores_average_only_realis_labels() -> None:
    # "BOGUS" is no realis label: a wrong prediction for accuracy, but not averaged
    # (ACTUAL alone: 2/3), where scikit-learn's default labels would average it in (1/3)
    assert realis_scores(["ACTUAL", "BOGUS"], ["ACTUAL", "ACTUAL"]) == {
        "accuracy": 0.5,
        "macro_f1": 0.6667,
    }


def test_realis_scores_are_zero_without_events() -> None:
    assert realis_scores([], []) == {"accuracy": 0.0, "macro_f1": 0.0}


def test_realis_scores_refuse_a_prediction_count_that_differs() -> None:
    assert _code(lambda: realis_scores(["ACTUAL"], [])) == "prediction-count"
    assert _code(lambda: realis_scores([], ["ACTUAL"])) == "prediction-count"


def test_kappa_worked_examples() -> None:
    # agreement 3/4, chance (3/4 * 1/2 + 1/4 * 1/2) = 1/2: (3/4 - 1/2) / (1 - 1/2)
    assert kappa(["A", "A", "A", "B"], ["A", "A", "B", "B"], ["A", "B"]) == 0.5
    assert kappa(["A", "B"], ["B", "A"], ["A", "B"]) == -1.0
    assert kappa(["A", "A", "B", "C", "C"], ["A", "B", "B", "C", "A"], "ABC") == 0.4118


def test_kappa_counts_only_the_labels_given() -> None:
    x, y = ["A", "A", "B", "C", "C"], ["A", "B", "B", "C", "A"]
    assert kappa(x, y, ["A", "B"]) == 0.4  # the items labelled C by either side are left out


def test_kappa_of_nothing_is_none_and_of_one_label_throughout_is_one() -> None:
    assert kappa([], [], ["A"]) is None
    assert kappa(["A", "A"], ["A", "A"], ["A", "B"]) == 1.0
    assert kappa(["A"], ["A"], ["A"]) == 1.0


# -- align_events and event_scores --------------------------------------------------------------


def _event(
    eid: str,
    etype: str,
    realis: str,
    triggers: list[tuple[int, int]],
    arguments: Sequence[tuple[str, str]] = (),
    attributed_to: str | None = None,
) -> Event:
    return Event(
        id=eid,
        type=etype,
        realis=realis,
        triggers=tuple(
            Trigger(f"{eid}t{i}", start, end, TEXT[start:end])
            for i, (start, end) in enumerate(triggers)
        ),
        arguments=tuple(Argument(role, entity) for role, entity in arguments),
        attributed_to=attributed_to,
    )


def _with_events(doc: Document, events: list[Event]) -> Document:
    return replace(doc, events=tuple(events))


def test_align_events_maximises_shared_triggers_one_to_one() -> None:
    a = _with_events(
        _doc({}),
        [
            _event("g1", "ATTACK", "ACTUAL", [GAO, KIDAL, MENAKA]),
            _event("g2", "ATTACK", "ACTUAL", [BER]),
        ],
    )
    b = _with_events(
        _doc({}),
        [
            _event("p1", "ATTACK", "ACTUAL", [GAO, KIDAL]),
            _event("p2", "ATTACK", "ACTUAL", [MENAKA, BER]),
            _event("p3", "ATTACK", "ACTUAL", [ANEFIS]),
        ],
    )
    assert align_events(a, b) == {"p1": "g1", "p2": "g2"}
    assert align_events(a, _doc({})) == {}


#: Gold: three events; g1 with two arguments and attributed to a3.
GOLD_EVENTS = _with_events(
    _doc({"a1": [GAO], "a2": [KIDAL], "a3": [MENAKA]}),
    [
        _event("g1", "ATTACK", "ACTUAL", [BER], [("PLACE", "a1"), ("TARGET", "a2")], "a3"),
        _event("g2", "PROTEST", "GENERIC", [ANEFIS]),
        _event("g3", "MOVE", "OTHER", [KIDAL], attributed_to="a1"),
    ],
)
#: Predicted: p1 matches g1 (one argument right, one with the wrong role, two with entities
#: the gold lacks); p2 matches g2 with the wrong type; p3 matches g3, not attributed; p4 and
#: p5 match nothing, each with the same argument.
PRED_EVENTS = _with_events(
    _doc({"b1": [GAO], "b2": [KIDAL], "b3": [MENAKA], "b4": [ANEFIS], "b5": [BER]}),
    [
        _event(
            "p1",
            "ATTACK",
            "ACTUAL",
            [BER],
            [("PLACE", "b1"), ("AGENT", "b2"), ("TARGET", "b4"), ("TARGET", "b5")],
            "b3",
        ),
        _event("p2", "MOVE", "OTHER", [ANEFIS]),
        _event("p3", "MOVE", "OTHER", [KIDAL]),
        _event("p4", "ATTACK", "ACTUAL", [GAO], [("PLACE", "b1")]),
        _event("p5", "ATTACK", "ACTUAL", [MENAKA], [("PLACE", "b1")]),
    ],
)


def test_event_scores_worked_example() -> None:
    scores = event_scores([(GOLD_EVENTS, PRED_EVENTS)])
    # triggers: gold BER ANEFIS KIDAL; predicted those and GAO MENAKA; two of the types right
    assert scores["trigger_identification"] == {"precision": 0.6, "recall": 1.0, "f1": 0.75}
    assert scores["trigger_classification"] == {"precision": 0.4, "recall": 0.6667, "f1": 0.5}
    # arguments: gold (g1, a1, PLACE) (g1, a2, TARGET); predicted (g1, a1, PLACE)
    # (g1, a2, AGENT) (g1, b4?, TARGET) (g1, b5?, TARGET) (p4?, a1, PLACE) (p5?, a1, PLACE)
    assert scores["argument_identification"] == {
        "precision": 0.3333,
        "recall": 1.0,
        "f1": 0.5,
    }
    assert scores["argument_classification"] == {
        "precision": 0.1667,
        "recall": 0.5,
        "f1": 0.25,
    }
    # realis on the three matched events: ACTUAL/ACTUAL, GENERIC/OTHER, OTHER/OTHER
    assert scores["matched_events"] == 3
    assert scores["realis_accuracy"] == 0.6667
    assert scores["realis_kappa"] == kappa(
        ["ACTUAL", "GENERIC", "OTHER"], ["ACTUAL", "OTHER", "OTHER"], EVENT_REALIS
    )
    assert scores["realis_kappa"] == 0.5
    # attribution: p1 by b3 = a3 (right), p2 by nobody as g2 (right), p3 by nobody for a1
    assert scores["attribution_accuracy"] == 0.6667
    assert scores["gold_events"] == 3 and scores["predicted_events"] == 5


def test_event_scores_cluster_the_triggers_of_each_event() -> None:
    gold = _with_events(_doc({}), [_event("g1", "ATTACK", "ACTUAL", [GAO, KIDAL])])
    pred = _with_events(
        _doc({}),
        [_event("p1", "ATTACK", "ACTUAL", [GAO]), _event("p2", "ATTACK", "ACTUAL", [KIDAL])],
    )
    scores = event_scores([(gold, pred)])
    assert scores["coreference"] == coreference_scores(
        [{("d", *GAO), ("d", *KIDAL)}], [{("d", *GAO)}, {("d", *KIDAL)}]
    )
    assert scores["coreference"]["muc_f1"] == 0.0
    assert scores["trigger_classification"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}


def test_event_scores_attribution_to_an_unmatched_entity_is_wrong() -> None:
    gold = _with_events(
        _doc({"a1": [GAO]}), [_event("g1", "ATTACK", "ACTUAL", [BER], attributed_to="a1")]
    )
    pred = _with_events(
        _doc({"b1": [KIDAL]}), [_event("p1", "ATTACK", "ACTUAL", [BER], attributed_to="b1")]
    )
    assert event_scores([(gold, pred)])["attribution_accuracy"] == 0.0
    assert event_scores([(gold, gold)])["attribution_accuracy"] == 1.0


def test_event_scores_without_matched_events() -> None:
    gold = _with_events(_doc({}), [_event("g1", "ATTACK", "ACTUAL", [BER])])
    scores = event_scores([(gold, _doc({}))])
    assert scores["matched_events"] == 0
    assert scores["realis_accuracy"] == 0.0 and scores["attribution_accuracy"] == 0.0
    assert scores["realis_kappa"] is None
    assert scores["trigger_identification"] == ZERO
    assert scores["gold_events"] == 1 and scores["predicted_events"] == 0


def test_event_scores_keep_the_documents_of_a_pool_apart() -> None:
    # BER has an event in the gold of d and in the prediction of e: not found, not right
    other = replace(META, id="e")
    gold_d = _with_events(
        _doc({}),
        [_event("g1", "ATTACK", "ACTUAL", [BER]), _event("g2", "ATTACK", "ACTUAL", [GAO])],
    )
    pred_d = _with_events(_doc({}), [_event("p2", "ATTACK", "ACTUAL", [GAO])])
    gold_e = replace(_doc({}), meta=other)
    pred_e = replace(_with_events(_doc({}), [_event("p1", "ATTACK", "ACTUAL", [BER])]), meta=other)
    scores = event_scores([(gold_d, pred_d), (gold_e, pred_e)])
    assert scores["trigger_identification"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5}
    assert scores["gold_events"] == 2 and scores["predicted_events"] == 2
