"""Run the bad-input catalogue against an installed ``sahel-corpus`` and print the outcomes.

    python tests/badinput_report.py                      # this checkout's .venv
    python tests/badinput_report.py --venv OTHER/.venv   # another installation

Each case runs in a fresh copy of the workspace, as a separate process, with
a time limit. The output is a markdown table of outcomes per group of
commands, then one line per case.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from badinput import CASES, OUTCOMES, Result, Run, build_workspace, classify, digest


def _result(proc: subprocess.CompletedProcess[str]) -> Result:
    return Result(
        proc.returncode, proc.stdout, proc.stderr, "Traceback (most recent" in proc.stderr
    )


def runner(venv: Path, timeout: float) -> tuple[object, object]:
    exe, python = venv / "bin" / "sahel-corpus", venv / "bin" / "python"
    env = {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1"}

    def cli(argv: list[str], cwd: Path) -> Result:
        try:
            proc = subprocess.run(
                [str(exe), *argv], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env
            )
        except subprocess.TimeoutExpired:
            return Result(None, "", "", timeout=True)
        return _result(proc)

    def api(snippet: str, cwd: Path) -> Result:
        code = (
            "import sys\ntry:\n"
            + "".join(f"    {line}\n" for line in snippet.splitlines())
            + "except (OSError, ValueError) as err:\n"
            "    print(f'error: {type(err).__name__}: {err}', file=sys.stderr)\n"
            "    raise SystemExit(1)\n"
        )
        try:
            proc = subprocess.run(
                [str(python), "-c", code],
                cwd=cwd,
                capture_output=True,
                text=True,
                timeout=timeout,
                env=env,
            )
        except subprocess.TimeoutExpired:
            return Result(None, "", "", timeout=True)
        return _result(proc)

    return cli, api


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--venv", type=Path, default=Path(__file__).resolve().parents[1] / ".venv")
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--only", default=None, help="run only cases whose group starts with this")
    args = parser.parse_args(argv)
    cli, api = runner(args.venv, args.timeout)
    rows: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        template = build_workspace(Path(tmp) / "template", cli)  # type: ignore[arg-type]
        for k, case in enumerate(CASES):
            if args.only and not case.group.startswith(args.only):
                continue
            ws = Path(tmp) / f"case-{k}"
            shutil.copytree(template, ws)
            run: Run = case.make(ws)
            before = digest(run.protected)
            result = cli(run.argv, ws) if run.argv is not None else api(run.api, ws)  # type: ignore[operator]
            outcome = classify(run, result, before)
            last = (result.stderr.strip().splitlines() or [""])[-1][:160]
            rows.append((case.group, case.name, outcome, last))
            print(f"{outcome:18} {case.group:20} {case.name}", file=sys.stderr)
            shutil.rmtree(ws, ignore_errors=True)
    groups = list(dict.fromkeys(g for g, *_ in rows))
    print("| commands | " + " | ".join(OUTCOMES) + " | cases |")
    print("|---|" + "---:|" * (len(OUTCOMES) + 1))
    total: Counter[str] = Counter()
    for g in groups:
        c = Counter(o for gg, _, o, _ in rows if gg == g)
        total.update(c)
        print(f"| {g} | " + " | ".join(str(c[o]) for o in OUTCOMES) + f" | {sum(c.values())} |")
    print("| all | " + " | ".join(str(total[o]) for o in OUTCOMES) + f" | {sum(total.values())} |")
    print()
    for g, name, outcome, last in rows:
        print(f"- {g}: {name}: **{outcome}**: `{last}`")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
