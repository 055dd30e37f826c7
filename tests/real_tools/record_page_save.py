"""Record what Label Studio's labeling page sends when an annotator saves (a one-off).

    .venv/bin/sahel-corpus export tests/fixtures/valid/mini.json --format labelstudio -o /tmp/ls
    .venv-tools/bin/python tests/real_tools/record_page_save.py /tmp/ls

needs the tools environment with playwright (``pip install playwright``) and
Debian's chromium. It starts a Label Studio server, creates the project from
the exported configuration, imports the exported task, opens the task's
labeling page in headless Chromium, selects the first mention, opens its
meta editor and leaves it unchanged (Enter), presses Update, and writes the
request body the page sends to ``tests/fixtures/labelstudio/page-save.json``
(with the task it was recorded on, ``exported-task.json``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from labelstudio_server import PASSWORD, ROOT, USER, label_studio, tools_venv
from playwright.sync_api import sync_playwright

FIXTURES = ROOT / "tests" / "fixtures" / "labelstudio"
CLIENT = Path(__file__).with_name("ls_client.py")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main(exported: Path) -> int:
    venv = tools_venv()
    if venv is None:
        raise SystemExit("no tools environment: create .venv-tools with label-studio")
    task_file = next(p for p in exported.glob("*.json"))
    with tempfile.TemporaryDirectory() as tmp, label_studio(venv, Path(tmp)) as server:
        python = str(venv / "bin" / "python")

        def client(*args: str) -> str:
            done = subprocess.run(
                [python, str(CLIENT), server.base, server.token, *args],
                capture_output=True,
                text=True,
                check=True,
            )
            return done.stdout.strip()

        project = client("create-project", str(exported / "label-config.xml"), "recording")
        (task,) = json.loads(client("import", project, str(task_file)))
        bodies: list[str] = []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1600, "height": 1400})
            page.on(
                "request",
                lambda r: (
                    bodies.append(r.post_data or "")
                    if "/api/annotations/" in r.url and r.method == "PATCH"
                    else None
                ),
            )
            page.goto(f"{server.base}/user/login/")
            page.fill("input[name=email]", USER)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            page.goto(f"{server.base}/projects/{project}/data?task={task}")
            page.wait_for_selector(".lsf-tree-title", timeout=60_000)
            first_mention = page.locator(".lsf-tree-title").nth(6)  # zones and sentences first
            first_mention.click()
            page.get_by_role("button", name="Edit region's meta").click()
            page.locator("textarea").press("Enter")
            page.wait_for_timeout(1000)
            page.locator('button:has-text("Update")').first.click()
            page.wait_for_timeout(3000)
            browser.close()
    if not bodies:
        raise SystemExit("the page sent no annotation update")
    FIXTURES.mkdir(parents=True, exist_ok=True)
    body = json.loads(bodies[-1])
    (FIXTURES / "page-save.json").write_text(
        json.dumps(body, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    shutil.copy(task_file, FIXTURES / "exported-task.json")
    print(f"recorded {len(body['result'])} results to {FIXTURES / 'page-save.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1])))
