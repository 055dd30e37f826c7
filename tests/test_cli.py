"""The command line's reporting commands: stats, agree, schema and all."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from _paths import CORPUS, DOC_ID
from sahel_corpus.cli import COMMANDS, main
from sahel_corpus.sections import get_section

PASSES = CORPUS / "sources" / "passes"


def test_stats_counts_the_first_article(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--corpus", str(CORPUS), "--format", "json"]) == 0
    totals = json.loads(capsys.readouterr().out)["totals"]
    # the gold annotation's published composition (issue 2's closing figures)
    assert (totals["documents"], totals["sentences"]) == (1, 25)
    assert (totals["entities"], totals["mentions"]) == (47, 119)
    assert (totals["relations"], totals["stances"]) == (33, 12)
    assert totals["nested mentions"] == 28


def test_stats_markdown_is_the_cards_composition(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--corpus", str(CORPUS)]) == 0
    card = (CORPUS / "README.md").read_text(encoding="utf-8")
    assert capsys.readouterr().out.strip() in card


def test_agree_prints_the_cards_agreement_table(capsys: pytest.CaptureFixture[str]) -> None:
    a, b = PASSES / f"{DOC_ID}.a.json", PASSES / f"{DOC_ID}.b.json"
    assert main(["agree", str(a), str(b)]) == 0
    out = capsys.readouterr().out.strip()
    card = (CORPUS / "README.md").read_text(encoding="utf-8")
    assert out and out in card
    assert main(["agree", str(a), str(b), "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["mentions"]["all"]["exact_f1"] == 0.9916
    assert result["coreference"]["conll_f1"] == 0.9812


def test_agree_of_a_pass_with_itself_is_perfect(capsys: pytest.CaptureFixture[str]) -> None:
    a = PASSES / f"{DOC_ID}.a.json"
    assert main(["agree", str(a), str(a), "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["mentions"]["all"]["exact_f1"] == 1.0
    assert result["relations"]["all"]["f1"] == 1.0
    assert result["stance"]["kappa"] == 1.0


def test_schema_prints_the_shipped_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    shipped = Path(__file__).parents[1] / "src/sahel_corpus/schemas/annotation-1.1.schema.json"
    out = capsys.readouterr().out
    assert out == shipped.read_text(encoding="utf-8")
    assert json.loads(out)["properties"]["schema_version"]["enum"] == ["1.0", "1.1"]


def test_all_runs_the_main_job(
    tmp_path: Path, hf_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpus"
    for part in ("sources", "data"):
        shutil.copytree(CORPUS / part, corpus / part)
    for name in ("README.md", "LICENSE.md"):
        shutil.copy(CORPUS / name, corpus / name)
    out = tmp_path / "baselines"
    assert main(["all", "--corpus", str(corpus), "--output", str(out)]) == 0
    printed = capsys.readouterr().out
    headings = [line for line in printed.splitlines() if line.startswith("== ")]
    assert headings == [
        "== validate",
        "== build",
        "== load",
        "== statistics",
        "== agreement",
        "== baselines",
    ]
    assert "0 changed" in printed  # the committed build is current
    assert "ner: train 15, validation 5, test 5 rows" in printed
    table = (out / "results.md").read_text(encoding="utf-8").strip()
    assert table == get_section((CORPUS / "README.md").read_text(encoding="utf-8"), "baselines")
    assert set(json.loads((out / "metrics.json").read_text())) == {
        "ner",
        "re",
        "stance",
        "event-triggers",
        "event-arguments",
        "realis",
    }


def test_every_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    for name in COMMANDS:
        with pytest.raises(SystemExit) as exit_:
            main([name, "--help"])
        assert exit_.value.code == 0
        assert capsys.readouterr().out.startswith(f"usage: sahel-corpus {name}")
    with pytest.raises(SystemExit):
        main(["all", "--help"])
    assert "baselines" in capsys.readouterr().out  # `all --help` says it runs them
