"""Run code in a fresh Python process: determinism checked across processes, not within one."""

from __future__ import annotations

import os
import subprocess
import sys


def in_fresh_process(code: str, hash_seed: str = "12345") -> str:
    """The stdout of ``code`` run by a new interpreter with another string-hash seed."""
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    tests = os.path.dirname(os.path.abspath(__file__))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [tests, env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout
