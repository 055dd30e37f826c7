"""Generated sections inside hand-written markdown, between HTML comment markers.

Examples
--------
>>> text = "a\\n<!-- x:start -->\\nold\\n<!-- x:end -->\\nb"
>>> replace_section(text, "x", "new")
'a\\n<!-- x:start -->\\nnew\\n<!-- x:end -->\\nb'
>>> get_section(text, "x")
'old'
"""

from __future__ import annotations

from .errors import DataError

__all__ = ["get_section", "markers", "replace_section"]


def markers(name: str) -> tuple[str, str]:
    """The start and end markers of a section."""
    return f"<!-- {name}:start -->", f"<!-- {name}:end -->"


def get_section(text: str, name: str) -> str | None:
    """Return the body of a section, or None if the text has no such section."""
    start, end = markers(name)
    if start not in text or end not in text:
        return None
    return text.split(start, 1)[1].split(end, 1)[0].strip("\n")


def replace_section(text: str, name: str, body: str) -> str:
    """Return ``text`` with the section's body replaced; :class:`DataError` if it is missing."""
    start, end = markers(name)
    if start not in text or end not in text:
        raise DataError(
            f"got no {start} ... {end} section, expected one to replace", code="section-missing"
        )
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{start}\n{body}\n{end}{tail}"
