"""Import and export of annotation files in other tools' formats.

Each format module has ``export_document`` and ``import_document`` (or only
one of them) and a module constant ``NOT_CARRIED`` that names the layers the
format cannot carry.
"""

from __future__ import annotations

__all__: list[str] = []
