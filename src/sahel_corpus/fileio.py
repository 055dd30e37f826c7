"""Reading and writing files safely: the one write helper of the package, and strict readers.

Every file the project writes goes through :func:`write_atomic` (or
:func:`atomic_output` for streamed output): the content goes to a temporary
file in the target's folder, is flushed to disk, and only then renamed over
the target. A full disk, a permission error or Ctrl-C part-way leaves the
old file exactly as it was and no temporary file behind. Each completed
write is recorded in :data:`JOURNAL`, so an interrupted command can say what
it changed.

Readers turn every way a file can be unreadable into a project error that
names the file and the place: :func:`read_utf8` (with the byte offset and
line of a byte that is not UTF-8) and :func:`parse_json` (malformed JSON,
nesting too deep for the parser, integers too long to convert).

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> path = write_atomic(folder / "a.txt", "Mali\\n")
>>> path.read_text(encoding="utf-8"), [p.name for p in folder.iterdir()]
('Mali\\n', ['a.txt'])
>>> parse_json('{"a": [1, 2]}', "x.json")
{'a': [1, 2]}
>>> try:
...     parse_json('{"a": 1,}', "x.json")
... except DataError as err:
...     print(err.code, "|", err)
json-syntax | x.json: line 1, column 9: got malformed JSON (Expecting property name enclosed \
in double quotes), expected a JSON document
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from .errors import DataError, SahelCorpusError

__all__ = [
    "JOURNAL",
    "atomic_output",
    "iter_jsonl",
    "parse_json",
    "read_bytes",
    "read_json",
    "read_utf8",
    "sync_folders",
    "write_atomic",
]

#: Paths completely written by this process, in order (for the Ctrl-C report).
JOURNAL: list[Path] = []


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_output(
    path: str | Path, binary: bool = False, *, sync_folder: bool = True
) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path``; on success rename it over ``path``.

    The folder must exist. If the block raises (anything, Ctrl-C included),
    the temporary file is removed and ``path`` is left as it was. Text mode
    writes UTF-8 with LF line ends. The file is flushed to disk before the
    rename, and the folder's entry after it; a caller that writes many files
    into one folder may pass ``sync_folder=False`` and call :func:`sync_folders`
    once they are all renamed.
    """
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        mode = target.stat().st_mode & 0o7777 if target.exists() else 0o666 & ~_umask()
        os.chmod(tmp, mode)
        handle: IO[Any] = (
            os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        )
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if sync_folder:
        sync_folders([target.parent])
    JOURNAL.append(target)


def sync_folders(folders: Iterable[Path]) -> None:
    """Flush each folder's entries (renamed files) to disk, where the system allows it."""
    for folder in dict.fromkeys(folders):
        with contextlib.suppress(OSError):
            fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def write_atomic(
    path: str | Path, data: bytes | str, *, mkdir: bool = False, sync_folder: bool = True
) -> Path:
    """Write ``data`` (bytes, or text as UTF-8 with LF) to ``path`` atomically; return the path.

    With ``mkdir`` the parent folders are created first; ``sync_folder`` as
    in :func:`atomic_output`.
    """
    target = Path(path)
    if mkdir:
        target.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(target, binary=isinstance(data, bytes), sync_folder=sync_folder) as handle:
        handle.write(data)
    return target


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_bytes(
    path: str | Path, what: str = "a file", error: type[SahelCorpusError] = DataError
) -> bytes:
    """Read a file's bytes; a missing file or a folder is an ``error`` naming the path."""
    p = Path(path)
    if p.is_dir():
        raise error(f"{p}: got a folder, expected {what}", code="not-a-file")
    if not p.is_file():
        raise error(f"{p}: got no such file, expected {what}", code="file-missing")
    return p.read_bytes()


def decode_utf8(raw: bytes, name: str, error: type[SahelCorpusError] = DataError) -> str:
    """Decode UTF-8 strictly; a bad byte is an error naming its line and byte offset."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        raise error(
            f"{name}: line {line}, byte {err.start}: got byte {raw[err.start]:#04x} that is "
            "not UTF-8, expected UTF-8 text",
            code="text-encoding",
        ) from None


def read_utf8(path: str | Path, what: str = "a UTF-8 text file") -> str:
    """Read a UTF-8 file (bytes as they are: no newline conversion, a BOM kept)."""
    return decode_utf8(read_bytes(path, what), str(path))


def iter_jsonl(
    path: str | Path, what: str = "a JSON Lines file"
) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line number, object)`` of each non-blank line of a JSON Lines file, read line by line.

    A missing file, a line that is not UTF-8, not JSON or not an object is a
    :class:`~sahel_corpus.errors.DataError` naming the file and the line.
    """
    p = Path(path)
    if not p.is_file():
        read_bytes(p, what)  # raises the missing-file or folder error
    with p.open("rb") as f:
        for number, raw in enumerate(f, 1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                raise DataError(
                    f"{p}: line {number}, byte {err.start}: got byte {raw[err.start]:#04x} "
                    "that is not UTF-8, expected UTF-8 text",
                    code="text-encoding",
                ) from None
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as err:
                raise DataError(
                    f"{p}: line {number}: got text that is not JSON ({err.msg}), expected one "
                    "JSON object per line",
                    code="jsonl",
                ) from None
            if not isinstance(row, dict):
                raise DataError(
                    f"{p}: line {number}: got {type(row).__name__}, expected a JSON object",
                    code="jsonl",
                )
            yield number, row


def parse_json(
    text: str,
    name: str,
    *,
    object_pairs_hook: Callable[[list[tuple[str, Any]]], Any] | None = None,
    parse_float: Callable[[str], Any] | None = None,
    error: type[SahelCorpusError] = DataError,
) -> Any:
    """Parse JSON text; every way it can fail is an ``error`` naming ``name`` and the place.

    The parser builds no reference cycles, so the cyclic garbage collector is
    paused meanwhile: on a large file its passes would otherwise grow with the
    heap and make parsing superlinear.
    """
    try:
        with _collector_paused():
            return json.loads(text, object_pairs_hook=object_pairs_hook, parse_float=parse_float)
    except json.JSONDecodeError as err:
        raise error(
            f"{name}: line {err.lineno}, column {err.colno}: got malformed JSON ({err.msg}), "
            "expected a JSON document",
            code="json-syntax",
        ) from None
    except RecursionError:
        raise error(
            f"{name}: got JSON nested too deeply to read, expected a JSON document of "
            "reasonable depth",
            code="json-syntax",
        ) from None
    except ValueError as err:  # an integer with more digits than Python converts
        if "digits" not in str(err):
            raise
        raise error(
            f"{name}: got an integer too long to convert ({str(err).split(':')[0]}), expected "
            "numbers of ordinary size",
            code="json-syntax",
        ) from None


def read_json(
    path: str | Path, what: str = "a JSON file", error: type[SahelCorpusError] = DataError
) -> Any:
    """Read and parse a UTF-8 JSON file (see :func:`parse_json`)."""
    raw = read_bytes(path, what, error)
    return parse_json(decode_utf8(raw, str(path), error), str(path), error=error)
