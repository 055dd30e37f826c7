"""Every docstring example in the package runs."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import sahel_corpus


def _modules() -> list[str]:
    """Every module of the package and of its subpackages (the baselines and loaders
    live in folders of their own)."""
    names = {m.name for m in pkgutil.walk_packages(sahel_corpus.__path__, "sahel_corpus.")}
    for sub in ("sahel_corpus.baselines", "sahel_corpus.loaders", "sahel_corpus.formats"):
        package = importlib.import_module(sub)
        names.add(sub)
        names |= {m.name for m in pkgutil.walk_packages(package.__path__, f"{sub}.")}
    return sorted(names)


MODULES = _modules()


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
