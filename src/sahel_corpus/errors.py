"""The project's exceptions: one root, one subclass per area, each raised with a stable code.

Every error the package raises on bad input is a :class:`SahelCorpusError`
with a kebab-case ``code`` that names what went wrong (tests and programs
match the code, never the prose). The area classes also inherit from the
built-in exception that fits, so ``except ValueError`` keeps working:

* :class:`AnnotationError`: an annotation or text file breaks the schema
  (the validator's findings ride along in ``findings``);
* :class:`FormatError`: a file in another tool's format (brat, Label Studio,
  XMI, CoNLL) cannot be read or written;
* :class:`DataError`: a dataset, parquet file or IOB2 file cannot be used;
* :class:`BaselineError`: a baseline run that cannot go ahead as asked;
* :class:`UsageError`: command-line arguments that do not fit together;
* :class:`WriteError`: a write the project refuses, to keep a file from harm.

Messages follow the form "got X, expected Y" and start with the file (and
place) they are about.

Examples
--------
>>> err = DataError("train.conll: line 3: got one column, expected two", code="conll-columns")
>>> isinstance(err, ValueError), err.code
(True, 'conll-columns')
>>> str(err)
'train.conll: line 3: got one column, expected two'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = [
    "AnnotationError",
    "BaselineError",
    "DataError",
    "FormatError",
    "SahelCorpusError",
    "UsageError",
    "WriteError",
]


class SahelCorpusError(Exception):
    """The root of every error the project raises on bad input.

    Parameters
    ----------
    message : str
        What was found and what was expected, starting with the file it is about.
    code : str, optional
        A stable kebab-case identifier; the class default when omitted.
    """

    #: The code of errors raised without one.
    default_code = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code or self.default_code


class AnnotationError(SahelCorpusError, ValueError):
    """An annotation or text file that breaks the schema.

    ``findings`` holds the validator's findings when the error comes from
    validation (``code`` is then ``"invalid-annotation"``).
    """

    default_code = "invalid-annotation"

    def __init__(
        self, message: str, *, code: str | None = None, findings: Sequence[Any] = ()
    ) -> None:
        super().__init__(message, code=code)
        self.findings = tuple(findings)


class FormatError(SahelCorpusError, ValueError):
    """A file in another tool's format that cannot be read or written."""

    default_code = "format-error"


class DataError(SahelCorpusError, ValueError):
    """A dataset, parquet file or IOB2 file that cannot be used."""

    default_code = "data-error"


class BaselineError(SahelCorpusError, ValueError):
    """A baseline run that cannot go ahead as asked."""

    default_code = "baseline-error"


class UsageError(SahelCorpusError, ValueError):
    """Command-line arguments that do not fit together (exit status 2)."""

    default_code = "usage"


class WriteError(SahelCorpusError, OSError):
    """A write refused to keep a file from harm (an existing output, a source folder)."""

    default_code = "write-refused"
