"""Baseline extractors for the corpus tasks (named entities, relations, stance).

The estimators follow scikit-learn conventions: ``fit`` returns the
estimator, fitted state ends in ``_``.
"""

from __future__ import annotations

__all__: list[str] = []
