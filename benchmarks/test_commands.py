"""The scaling and side-by-side commands run (quick sizes) and the README matches their results."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import growth  # noqa: E402
import peer  # noqa: E402
import preannotation  # noqa: E402
import report  # noqa: E402
import scaling  # noqa: E402

from sahel_corpus.sections import get_section  # noqa: E402
from sahel_corpus.tokenize import word_count  # noqa: E402
from synthetic import article, articles  # noqa: E402


def test_synthetic_articles_are_deterministic_and_varied() -> None:
    fresh = subprocess.run(
        [sys.executable, "-c", "from synthetic import article; print(article(3), end='')"],
        capture_output=True,
        text=True,
        check=True,
        cwd=HERE,
        env={**os.environ, "PYTHONHASHSEED": "12345"},
    )
    assert fresh.stdout == article(3)  # the same article in another process
    assert article(3) != article(4)
    assert article(0) == (
        HERE.parent / "corpus" / "sources" / "documents" / "000_b8e6d3e9cdabb873.txt"
    ).read_text(encoding="utf-8")
    assert [r["id"] for r in articles(2, seed=1)] == ["synthetic-1-0", "synthetic-1-1"]


def test_readme_sections_match_the_saved_results() -> None:
    text = (HERE / "README.md").read_text(encoding="utf-8")
    for name, body in report.render_sections(HERE).items():
        assert get_section(text, name) == body, name


def _iob2(path: Path, n: int, seed: int) -> Path:
    """A small generated IOB2 file: names of people, groups and places in a few templates."""
    rng = random.Random(seed)
    people = [["Ama", "Keita"], ["Baba", "Traore"], ["Hawa", "Diallo"], ["Issa", "Maiga"]]
    groups, places = ["JNIM", "ECOWAS", "FAMa"], ["Gao", "Mopti", "Kidal", "Segou"]
    sentences = []
    for k in range(n):
        per, org, loc = rng.choice(people), rng.choice(groups), rng.choice(places)
        lines = [f"{per[0]} B-PER", f"{per[1]} I-PER", "said O", f"{org} B-ORG"]
        lines += ["left O" if k % 2 else "entered O", f"{loc} B-LOC", "on O", "Monday O", ". O"]
        sentences.append("\n".join(lines))
    path.write_text("\n\n".join(sentences) + "\n", encoding="utf-8")
    return path


def test_scaling_growth_peer_and_preannotation_commands_run(tmp_path: Path) -> None:
    shutil.copy(HERE / "README.md", tmp_path / "README.md")
    (tmp_path / "root").mkdir()
    shutil.copy(HERE.parent / "README.md", tmp_path / "root" / "README.md")
    train, dev, test = (_iob2(tmp_path / f"{n}.conll", k, k) for n, k in
                        (("train", 40), ("dev", 10), ("test", 12)))  # fmt: skip
    assert scaling.main(["--sizes", "1", "2", "--out", str(tmp_path)]) == 0
    assert growth.main(["--sizes", "2000", "8000", "--out", str(tmp_path)]) == 0
    common = ["--source", "generated", "--max-steps", "30", "--patience", "10"]
    files = ["--train", str(train), "--dev", str(dev), "--test", str(test)]
    assert (
        peer.main(["dataset", "tiny", *files, *common, "--repeats", "1", "--out", str(tmp_path)])
        == 0
    )
    assert peer.main(["pipeline", "--text", str(test), "--name", "generated", "--repeats", "1",
                      "--out", str(tmp_path)]) == 0  # fmt: skip
    for name in ("scaling.json", "scaling.md", "scaling.png", "peer.json", "growth.json"):
        assert (tmp_path / name).is_file(), name
    data = json.loads((tmp_path / "peer.json").read_text(encoding="utf-8"))
    tiny = data["datasets"]["tiny"]
    assert tiny["sentences"] == {"train": 40, "dev": 10, "test": 12}
    assert tiny["test_entities"] == 36
    assert set(tiny["f1"]) == {"crf", "textbook-crf", "spacy", "memorization"}
    assert tiny["f1"]["crf"] > 0.5  # every test name occurs in training
    assert tiny["speed"]["crf"]["runs"] == 1 and tiny["speed"]["crf"]["median"] > 0
    assert data["pipeline"]["words"] == 12 * 8  # white-space words: the period joins "Monday."
    text = (tmp_path / "README.md").read_text(encoding="utf-8")
    sections = report.render_sections(tmp_path)
    for name in ("peer-datasets", "pipeline", "growth"):
        assert get_section(text, name) == sections[name], name
    assert "| 2 |" in get_section(text, "scaling")

    pre = ["--ner-train", str(train), "--ner-map", "PER=PER,ORG=ORG,LOC=GPE", "--name", "generated"]
    assert preannotation.main([*pre, "--out", str(tmp_path / "root")]) == 0
    result = json.loads((tmp_path / "root" / "preannotation.json").read_text(encoding="utf-8"))
    assert result["gold_mentions"] == 119 and result["proposed"] > 0
    readme = (tmp_path / "root" / "README.md").read_text(encoding="utf-8")
    assert get_section(readme, "preannotation") == report.render_preannotation(result)


def test_the_ray_scaling_command_runs_both_engines(tmp_path: Path) -> None:
    try:
        import ray  # noqa: F401
    except ImportError:
        if os.environ.get("SAHEL_RAY") == "required":
            pytest.fail("SAHEL_RAY=required, but Ray is missing: pip install 'sahel-corpus[ray]'")
        pytest.skip("Ray is not installed (pip install 'sahel-corpus[ray]'; CI does)")
    import ray_scaling

    shutil.copy(HERE / "README.md", tmp_path / "README.md")
    assert ray_scaling.main(["--sizes", "6", "--out", str(tmp_path)]) == 0
    data = json.loads((tmp_path / "ray_scaling.json").read_text(encoding="utf-8"))
    runs = {(r["engine"], r["workers"]): r for r in data["results"]}
    assert set(runs) == {("local", 1), ("ray", 1), ("ray", 2)}
    assert {r["documents"] for r in runs.values()} == {6}
    assert len(runs[("ray", 2)]["peak_mb"]) == 2 and len(runs[("ray", 1)]["peak_mb"]) == 1
    for r in runs.values():  # a process's own memory is part of its resident memory
        assert len(r["own_mb"]) == len(r["peak_mb"])
        assert all(0 < own <= peak for own, peak in zip(r["own_mb"], r["peak_mb"], strict=True))
    text = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert get_section(text, "ray-scaling") == report.render_sections(tmp_path)["ray-scaling"]
    assert (tmp_path / "ray_scaling.png").is_file()
    # --append adds a size with some of the runs, keeping the rows measured before
    assert (
        ray_scaling.main(["--sizes", "3", "--runs", "local:1", "--append", "--out", str(tmp_path)])
        == 0
    )
    data = json.loads((tmp_path / "ray_scaling.json").read_text(encoding="utf-8"))
    assert [(r["articles"], r["engine"], r["workers"]) for r in data["results"]] == [
        (3, "local", 1),
        (6, "local", 1),
        (6, "ray", 1),
        (6, "ray", 2),
    ]
    commands = report.result_commands(data)
    assert len(commands) == 2 and "--append" in commands[0] and "--append" not in commands[1]
    text = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert get_section(text, "ray-scaling") == report.render_sections(tmp_path)["ray-scaling"]


def test_the_throughput_command_times_every_path_on_the_same_words(tmp_path: Path) -> None:
    import throughput

    shutil.copy(HERE / "README.md", tmp_path / "README.md")
    assert throughput.main(["--articles", "4", "--repeats", "2", "--out", str(tmp_path)]) == 0
    data = json.loads((tmp_path / "throughput.json").read_text(encoding="utf-8"))
    assert list(data["paths"]) == ["memory", "files", "collection"]
    words = sum(word_count(r["text"]) for r in articles(4))
    for r in data["paths"].values():
        assert r["words"] == words and r["runs"] == 2 and r["min"] <= r["median"] <= r["max"]
        ref = r["reference"]
        assert ref["runs"] == 2 and 0 < ref["min"] <= ref["median"] <= ref["max"]
    text = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert get_section(text, "throughput") == report.render_throughput(data)
    assert f"{data['paths']['files']['reference']['median']:,}" in get_section(text, "throughput")
    assert "(collection)" in get_section(text, "targets")


def test_a_throughput_run_without_reference_times_says_so() -> None:
    data = {
        "meta": {"command": "python benchmarks/throughput.py", "machine": "m", "articles": 1},
        "paths": {
            "memory": {"words": 10, "median": 5, "min": 4, "max": 6, "runs": 1},
            "files": {
                "words": 10,
                "median": 5,
                "min": 4,
                "max": 6,
                "runs": 1,
                "reference": {"median": 20, "min": 20, "max": 20, "runs": 1},
            },
        },
    }
    rows = report.render_throughput(data).splitlines()[-2:]
    assert rows[0].endswith("| not measured (older run) | n/a |")
    assert rows[1].endswith("| 20 | 0.2500 |")


def test_the_repository_readme_shows_the_saved_preannotation_figures() -> None:
    readme = (HERE.parent / "README.md").read_text(encoding="utf-8")
    for name, body in report.render_root_sections(HERE).items():
        assert get_section(readme, name) == body, name
