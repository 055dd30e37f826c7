"""Import and export of annotation in other tools' formats, through one registry.

Every module of this package registers one :class:`Format` when it is
imported: its name, a reader (a tool's file into a
:class:`~sahel_corpus.model.Document`) and/or a writer (a document into files
in a folder), the layers it carries, what it cannot carry, and how to count
what an import would lose of an existing document. The command line finds
formats here by name (:func:`get`), so a new format is one new module.
Readers raise a :class:`~sahel_corpus.errors.FormatError` subclass naming
the file and the place; writers write atomically.

Examples
--------
>>> sorted(FORMATS)
['brat', 'conll', 'docbin', 'labelstudio', 'xmi']
>>> get("xmi").reads, get("conll").reads
(True, False)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..errors import UsageError
from ..model import Document, DocumentMeta

__all__ = ["FORMATS", "Annotation", "Format", "ImportOptions", "get", "register"]


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """What some readers need besides the file: brat's ``.txt``, XMI's type system."""

    text: Path | None = None
    typesystem: Path | None = None
    normalise_newlines: bool = False


Reader = Callable[[Path, DocumentMeta, ImportOptions], Document]


class Annotation(Protocol):
    """One document's annotation read from a file that holds many (a project export)."""

    @property
    def doc_id(self) -> str: ...

    @property
    def annotator(self) -> str: ...

    @property
    def document(self) -> Document: ...


ManyReader = Callable[[Path, Callable[[str], DocumentMeta], ImportOptions], Sequence[Annotation]]
Writer = Callable[[Document, Path], list[Path]]
LossCounter = Callable[[Document, Document], dict[str, int]]


def _no_losses(existing: Document, imported: Document) -> dict[str, int]:
    return {}


@dataclass(frozen=True)
class Format:
    """One tool format.

    ``carries`` names the layers (of :data:`sahel_corpus.model.LAYERS`) the format holds;
    ``not_carried`` describes what it cannot hold; ``losses`` counts, for an
    import over an existing document, what of the existing document the
    imported one lacks because the format cannot carry it (by kind, such as
    ``stances`` or ``actor-categories``).
    """

    name: str
    description: str
    carries: tuple[str, ...]
    not_carried: tuple[str, ...]
    read: Reader | None = None
    write: Writer | None = None
    #: For a format whose files hold many documents or several annotators' work:
    #: every annotation in a file, each with its document id and annotator.
    read_many: ManyReader | None = None
    #: What of a document an export leaves out beyond ``not_carried`` (named, one per line).
    left_out: Callable[[Document], list[str]] | None = None
    losses: LossCounter = field(default=_no_losses)

    @property
    def reads(self) -> bool:
        return self.read is not None

    @property
    def writes(self) -> bool:
        return self.write is not None

    def summary(self) -> str:
        """One line: what the format carried and what it did not."""
        carried = ", ".join(self.carries) or "nothing"
        return f"{self.name} carries {carried}; not carried: {'; '.join(self.not_carried)}"


FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    """Add a format to the registry (each format module calls this once)."""
    FORMATS[fmt.name] = fmt
    return fmt


def get(name: str) -> Format:
    """The registered format of this name."""
    try:
        return FORMATS[name]
    except KeyError:
        raise UsageError(
            f"got format {name!r}, expected one of {', '.join(sorted(FORMATS))}", code="format"
        ) from None


from . import brat, conll, labelstudio, spacy_docbin, xmi  # noqa: E402,F401  (each registers)
