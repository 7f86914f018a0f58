"""Services raise domain errors only: HTTP errors are imported by views and ``errors.py`` alone."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.helpers import ROOT


def _http_error_classes() -> set[str]:
    """Every exception class ``moderation/errors.py`` defines: the HTTP errors."""
    import moderation.errors as errors

    return {
        name
        for name, obj in vars(errors).items()
        if isinstance(obj, type)
        and issubclass(obj, Exception)
        and obj.__module__ == errors.__name__
    }


def _http_imports(path: Path, http_errors: set[str]) -> list[str]:
    """The HTTP error classes (ours, Werkzeug's, ``abort``) a module imports."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("werkzeug.exceptions")]
            found += [a.name for a in node.names if a.name == "moderation.errors"]
        elif isinstance(node, ast.ImportFrom):
            names = {a.name for a in node.names}
            if node.module == "moderation.errors":
                found += sorted(names & http_errors)
            elif node.module == "werkzeug.exceptions" or (
                node.module in ("flask", "werkzeug") and names & {"abort", "exceptions"}
            ):
                found += [f"{node.module}: {', '.join(sorted(names))}"]
            elif node.module == "moderation" and "errors" in names:
                found.append("moderation.errors")
    return found


def test_services_raise_domain_errors_never_http_errors():
    http_errors = _http_error_classes()
    assert {"ApiError", "GoogleError"} <= http_errors
    offenders = {
        str(p.relative_to(ROOT)): found
        for p in (ROOT / "moderation").rglob("*.py")
        if p.name not in ("errors.py", "api.py", "auth.py")
        and not p.name.endswith("views.py")  # views.py, console/*_views.py
        and (found := _http_imports(p, http_errors))
    }
    assert offenders == {}
