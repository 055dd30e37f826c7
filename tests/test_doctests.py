"""Every docstring example in the package runs."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import sahel_corpus

MODULES = sorted(m.name for m in pkgutil.walk_packages(sahel_corpus.__path__, "sahel_corpus."))


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_public_modules_declare_all() -> None:
    for name in MODULES:
        module = importlib.import_module(name)
        if name.endswith("__main__"):
            continue
        assert hasattr(module, "__all__"), name
