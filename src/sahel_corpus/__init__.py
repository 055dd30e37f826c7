"""sahel-corpus: an annotated corpus of conflict news from the Sahel.

The package validates and builds the corpus (``sahel_corpus.validate``,
``sahel_corpus.build``), loads it (``sahel_corpus.loaders``) and measures
agreement between annotation passes (``sahel_corpus.agreement``). The
command line is ``sahel-corpus``.
"""

from __future__ import annotations

__all__ = ["CORPUS_VERSION", "__version__"]

#: Version of the package and of the corpus data it builds (semantic versioning).
__version__ = "0.2.0"
CORPUS_VERSION = __version__
