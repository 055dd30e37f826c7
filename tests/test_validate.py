"""The validator: the corpus passes, each check fails its own fixture, nothing is modified."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from _paths import CORPUS, FIXTURES
from sahel_corpus.cli import main
from sahel_corpus.validate import (
    CHECKS,
    RELEASE_CHECKS,
    Finding,
    validate_file,
    validate_paths,
)

INVALID = FIXTURES / "invalid"
NEAR_MISS = FIXTURES / "near-miss"
CHECK_IDS = sorted(CHECKS)


def test_corpus_sources_are_valid() -> None:
    report = validate_paths([CORPUS / "sources"])
    assert report.findings == []
    assert len(report.files) >= 3  # gold and two passes


def test_valid_fixture_has_no_findings() -> None:
    assert validate_paths([FIXTURES / "valid"]).findings == []


def test_every_check_id_is_kebab_case_and_has_a_fixture() -> None:
    for check in CHECK_IDS:
        assert check == check.lower() and " " not in check and "_" not in check
    assert sorted(p.name for p in INVALID.iterdir() if p.is_dir()) == CHECK_IDS


@pytest.mark.parametrize("check", CHECK_IDS)
def test_invalid_fixture_fails_its_check(check: str) -> None:
    report = validate_paths([INVALID / check], release=check in RELEASE_CHECKS)
    if check in RELEASE_CHECKS:
        assert validate_paths([INVALID / check]).ok  # a draft may break release checks
    found = {f.check for f in report.findings}
    assert check in found, report.format_text()
    for finding in report.findings:
        assert finding.file.startswith(str(INVALID / check))
        assert finding.pointer
        assert finding.message.startswith("got "), finding.message
        assert "expected" in finding.message, finding.message


def test_every_check_has_a_near_miss_that_validates() -> None:
    assert sorted(p.name for p in NEAR_MISS.iterdir() if p.is_dir()) == CHECK_IDS


@pytest.mark.parametrize("check", CHECK_IDS)
def test_near_miss_at_the_rules_boundary_validates(check: str) -> None:
    """A document at the edge of the rule (touching sentences, ...) breaks no rule."""
    report = validate_paths([NEAR_MISS / check], release=True)
    assert report.files, check
    assert report.ok, report.format_text()


def test_fixtures_match_their_generator(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.write_all(tmp_path)
    fresh = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    committed = {
        p.relative_to(FIXTURES): p.read_bytes()
        for p in FIXTURES.rglob("*")
        if p.is_file()
        and p.parent != FIXTURES
        # recorded from a real tool (tests/real_tools/record_page_save.py), not generated
        and p.relative_to(FIXTURES).parts[0] != "labelstudio"
    }
    assert fresh == committed


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_validator_never_modifies_files() -> None:
    before = _digest(INVALID)
    validate_paths([INVALID])
    assert _digest(INVALID) == before


def test_report_line_names_file_place_check_and_message() -> None:
    [finding] = validate_file(INVALID / "span-text" / "mini.json")
    assert finding == Finding(
        str(INVALID / "span-text" / "mini.json"),
        "/mentions/0/text",
        "span-text",
        'got "Wagnor", expected text[0:6] = "Wagner"',
    )


def test_json_syntax_error_has_line_and_column() -> None:
    [finding] = validate_file(INVALID / "json-syntax" / "mini.json")
    assert finding.pointer == "line 5, column 1"


def test_text_errors_name_the_text_file() -> None:
    [finding] = validate_file(INVALID / "text-line-ends" / "mini.json")
    assert finding.file.endswith("mini.txt")
    assert finding.pointer == "line 1, column 23"


def test_cli_exit_status_and_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(FIXTURES / "valid")]) == 0
    assert "no errors" in capsys.readouterr().out
    assert main(["validate", str(INVALID / "span-text"), str(INVALID / "duplicate-id")]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == ("4 file(s) checked: 4 error(s) (span-text: 2, duplicate-id: 2)")


def test_cli_json_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--format", "json", str(INVALID / "offset-range")]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["errors"] == 2  # the mention's and the trigger's fixture
    assert data["counts"] == {"offset-range": 2}
    pointers = sorted(f["pointer"] for f in data["findings"])
    assert pointers == ["/events/2/triggers/0", "/mentions/0"]


def test_missing_path_is_reported(tmp_path: Path) -> None:
    [finding] = validate_file(tmp_path / "absent.json")
    assert finding.check == "file-missing"


def test_machine_flag_is_optional_and_boolean(tmp_path: Path) -> None:
    import shutil

    from sahel_corpus.loaders import read_document
    from sahel_corpus.model import document_to_dict
    from sahel_corpus.sources import write_annotation

    shutil.copy(FIXTURES / "valid" / "mini.txt", tmp_path / "mini.txt")
    data = json.loads((FIXTURES / "valid" / "mini.json").read_text(encoding="utf-8"))
    for layer in ("entities", "mentions", "relations", "stances"):
        data[layer][0]["machine"] = True
    write_annotation(tmp_path / "mini.json", data)
    assert validate_file(tmp_path / "mini.json") == []
    doc = read_document(tmp_path / "mini.json")
    assert doc.mentions[0].machine and not doc.mentions[1].machine
    assert document_to_dict(doc) == data  # the flag survives; absent stays absent
    data["mentions"][0]["machine"] = "yes"
    write_annotation(tmp_path / "mini.json", data)
    [finding] = validate_file(tmp_path / "mini.json")
    assert finding.check == "json-schema" and finding.pointer == "/mentions/0/machine"


def test_a_schema_1_0_file_has_no_event_layer(tmp_path: Path) -> None:
    """No layer is not an empty layer (guidelines 12.8 j): 1.0 with `events` is refused."""
    data = json.loads((FIXTURES / "valid" / "mini.json").read_text(encoding="utf-8"))
    assert data["schema_version"] == "1.0"
    (tmp_path / "mini.txt").write_bytes((FIXTURES / "valid" / "mini.txt").read_bytes())
    data["events"] = []
    (tmp_path / "mini.json").write_text(json.dumps(data), encoding="utf-8")
    [finding] = validate_file(tmp_path / "mini.json")
    assert (finding.check, finding.pointer) == ("json-schema", "/")
    assert finding.message.startswith('got an events layer in a schema "1.0" file, expected none')
