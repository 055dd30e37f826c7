"""A Label Studio server for tests: started on 127.0.0.1 with SQLite in a folder, then stopped.

Label Studio lives in its own virtual environment (it pins many packages of
its own); ``tools_venv()`` finds it (``$SAHEL_TOOLS_VENV``, else ``.venv-tools``
at the repository's root, which ``.ci/run`` creates). Only ``requests`` and
the standard library are used here, so the helper runs in either environment.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
USER = "annotator@example.org"
PASSWORD = "annotate-pass-1"


def tools_venv() -> Path | None:
    """The virtual environment with label-studio and label-studio-sdk, if there is one."""
    path = Path(os.environ.get("SAHEL_TOOLS_VENV", ROOT / ".venv-tools"))
    return path if (path / "bin" / "label-studio").is_file() else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Server:
    """A running server: its address and a personal access token for the SDK."""

    base: str
    token: str
    session: requests.Session


def _login(base: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{base}/user/login/", timeout=30)
    session.post(
        f"{base}/user/login/",
        data={
            "email": USER,
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies.get("csrftoken"),
        },
        headers={"Referer": f"{base}/user/login/"},
        timeout=30,
    ).raise_for_status()
    return session


@contextmanager
def label_studio(venv: Path, data_dir: Path, timeout: float = 300) -> Iterator[Server]:
    """Start Label Studio (SQLite in ``data_dir``) on a free local port; stop it afterwards."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "LABEL_STUDIO_USERNAME": USER,
        "LABEL_STUDIO_PASSWORD": PASSWORD,
        "LATEST_VERSION_CHECK": "false",
        "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir),
    }
    log = (data_dir / "server.log").open("w")
    proc = subprocess.Popen(
        [
            str(venv / "bin" / "label-studio"),
            "start",
            "--no-browser",
            "--port",
            str(port),
            "--internal-host",
            "127.0.0.1",
            "--data-dir",
            str(data_dir),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=data_dir,
    )
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"Label Studio stopped; see {data_dir / 'server.log'}")
            try:
                if requests.get(f"{base}/health", timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"Label Studio did not start in {timeout} s")
            time.sleep(2)
        session = _login(base)
        response = session.post(
            f"{base}/api/token/",
            headers={"X-CSRFToken": session.cookies.get("csrftoken", ""), "Referer": base},
            timeout=30,
        )
        response.raise_for_status()
        yield Server(base, response.json()["token"], session)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
