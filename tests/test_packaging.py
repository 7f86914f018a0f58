"""Packaging metadata that installs without deprecation warnings (15.10)."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch

from packaging.requirements import Requirement

from tests.helpers import ROOT

PYPROJECT = ROOT / "pyproject.toml"


def test_license_is_an_spdx_string_with_a_setuptools_that_reads_it():
    data = tomllib.loads(PYPROJECT.read_text("utf-8"))
    assert data["project"]["license"] == "MIT"
    [setuptools] = [Requirement(r) for r in data["build-system"]["requires"]]
    # setuptools 77 is the first to accept an SPDX string for project.license.
    assert setuptools.name == "setuptools" and not setuptools.specifier.contains("76.9")


def test_the_wheel_leaves_out_the_test_harness_and_the_research():
    data = tomllib.loads(PYPROJECT.read_text("utf-8"))
    include = data["tool"]["setuptools"]["packages"]["find"]["include"]
    tooling_packages = ("harness", "harness.run", "research", "research.crossval", "tests", "bench")
    for tooling in (*tooling_packages, "functional", "functional.generate"):
        assert not any(fnmatch(tooling, pattern) for pattern in include), tooling
