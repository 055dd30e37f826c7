"""Label Studio operations through label-studio-sdk, run with the tools environment's Python.

    python ls_client.py BASE TOKEN create-project CONFIG_XML TITLE   -> prints the project id
    python ls_client.py BASE TOKEN import PROJECT TASKS_JSON         -> prints the task ids
    python ls_client.py BASE TOKEN save TASK BODY_JSON               -> updates its annotation
    python ls_client.py BASE TOKEN annotate TASK BODY_JSON           -> adds one more annotation
    python ls_client.py BASE TOKEN export PROJECT OUT_JSON           -> writes the JSON export

``save`` sends the body the labeling page sends when an annotator presses
Update (a PATCH of the task's annotation); ``export`` is the project's
"JSON" export, as a contributor downloads it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from label_studio_sdk import LabelStudio


def main(argv: list[str]) -> int:
    base, token, command, *args = argv
    ls = LabelStudio(base_url=base, api_key=token)
    if command == "create-project":
        config = Path(args[0]).read_text(encoding="utf-8")
        project = ls.projects.create(title=args[1], label_config=config)
        ls.projects.validate_label_config(id=project.id, label_config=config)
        print(project.id)
    elif command == "import":
        tasks = json.loads(Path(args[1]).read_text(encoding="utf-8"))
        ls.projects.import_tasks(id=int(args[0]), request=tasks)
        print(json.dumps([t.id for t in ls.tasks.list(project=int(args[0]))]))
    elif command == "save":
        body = json.loads(Path(args[1]).read_text(encoding="utf-8"))
        (annotation,) = ls.annotations.list(id=int(args[0]))
        ls.annotations.update(id=annotation.id, result=body["result"])
    elif command == "annotate":
        body = json.loads(Path(args[1]).read_text(encoding="utf-8"))
        ls.annotations.create(id=int(args[0]), result=body["result"])
    elif command == "export":
        tasks = ls.projects.exports.as_json(int(args[0]))
        Path(args[1]).write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    else:
        raise SystemExit(f"unknown command {command!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
