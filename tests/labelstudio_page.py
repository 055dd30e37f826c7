"""What Label Studio's labeling page does to a task when an annotator presses Update."""

from __future__ import annotations

import copy
from typing import Any


def as_the_page_saves(task: dict[str, Any], edited_region: str | None = None) -> dict[str, Any]:
    """What Label Studio's labeling page sends on Update, as recorded from a real save.

    It drops the meta of every relation result, marks each result
    ``origin: manual``, and a region whose meta the annotator opened in the meta
    editor gets it back as one string, its lines joined by commas (its choices
    results carry a copy). The recorded body is ``fixtures/labelstudio/page-save.json``.
    """
    saved = copy.deepcopy(task)
    results: list[dict[str, Any]] = saved["annotations"][0]["result"]
    for result in results:
        result["origin"] = "manual"
        if result["type"] == "relation":
            result.pop("meta", None)
    if edited_region is not None:
        lines = next(r for r in results if r.get("id") == edited_region)["meta"]["text"]
        for result in results:
            if result.get("id") == edited_region:
                result["meta"] = {"text": [",".join(lines)]}
    return saved
