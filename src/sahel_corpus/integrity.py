"""Content fingerprints of the built data files, and the check that files are what was built.

Every data file is named ``<split>-<fingerprint>.parquet``, where the
fingerprint is the first 16 hex digits of the SHA-256 of the file's bytes.
:func:`verify_corpus` recomputes each fingerprint and compares it with the
name, so a flipped byte, a truncated download or a hand-edited file is
found before anyone trains on it. ``sahel-corpus verify`` and
:func:`sahel_corpus.loaders.load_config` run it.

Examples
--------
>>> fingerprint(b"abc")
'ba7816bf8f01cfea'
>>> fingerprint_of_name("test-ba7816bf8f01cfea.parquet")
'ba7816bf8f01cfea'
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import DataError

__all__ = [
    "DataFileProblem",
    "check_data_files",
    "data_files",
    "fingerprint",
    "fingerprint_of_name",
    "verify_corpus",
]

_NAME = re.compile(r"^[a-z]+-([0-9a-f]{16})\.parquet$")


def fingerprint(data: bytes) -> str:
    """The short content fingerprint that data file names carry."""
    return hashlib.sha256(data).hexdigest()[:16]


def fingerprint_of_name(name: str) -> str | None:
    """The fingerprint a data file's name claims, or None if the name carries none."""
    match = _NAME.match(name)
    return match.group(1) if match else None


@dataclass(frozen=True, slots=True)
class DataFileProblem:
    """A data file that is not what was built: the file, what was found, what was expected."""

    path: Path
    message: str

    def format(self) -> str:
        return f"{self.path}: {self.message}"


def data_files(corpus_dir: str | Path, config: str | None = None) -> list[Path]:
    """The parquet files of a built corpus (of one config), sorted."""
    data = Path(corpus_dir) / "data"
    pattern = f"{config}/*.parquet" if config else "*/*.parquet"
    return sorted(data.glob(pattern))


def verify_corpus(corpus_dir: str | Path, config: str | None = None) -> list[DataFileProblem]:
    """Every data file whose content does not match the fingerprint in its name."""
    problems = []
    for path in data_files(corpus_dir, config):
        claimed = fingerprint_of_name(path.name)
        if claimed is None:
            problems.append(
                DataFileProblem(
                    path, "got a name without a fingerprint, expected <split>-<16 hex>.parquet"
                )
            )
            continue
        actual = fingerprint(path.read_bytes())
        if actual != claimed:
            problems.append(
                DataFileProblem(
                    path,
                    f"got content with fingerprint {actual}, expected {claimed} as built: the "
                    "file changed after the build (damaged, truncated or edited); rebuild it "
                    "with `sahel-corpus build` or download it again",
                )
            )
    return problems


def check_data_files(corpus_dir: str | Path, config: str | None = None) -> None:
    """Raise :class:`~sahel_corpus.errors.DataError` naming every damaged data file."""
    problems = verify_corpus(corpus_dir, config)
    if problems:
        raise DataError("\n".join(p.format() for p in problems), code="data-file-changed")
