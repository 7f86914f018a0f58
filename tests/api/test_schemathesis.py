"""Fuzz the whole HTTP API from its own OpenAPI document (schemathesis).

Every operation in ``/openapi.json`` gets positive and negative generated
requests against a fresh seeded app, signed and authorised on the way in (see
``SigningMiddleware``) so that they reach the views. Each response must not be
a 5xx, must use a documented status code and content type, and must match the
documented schema.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis import checks

from tests.api.conftest import KNOWN, RULES_DIR, SigningMiddleware
from tests.helpers import make_app

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]


def _document() -> dict[str, Any]:
    """``/openapi.json`` as the app serves it (building it touches no database)."""
    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(f"sqlite:///{tmp}/unused.sqlite", Path(tmp), RULES_DIR=str(RULES_DIR))
        response = app.test_client().get("/openapi.json")
        assert response.status_code == 200
        return response.json  # type: ignore[no-any-return]


schema = schemathesis.openapi.from_dict(_document())


@schema.hook
def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any] | None) -> Any:
    """Aim at rows that exist (all of them, or some), so that requests get past the 404s."""
    if not path_parameters:
        return st.just(path_parameters)
    known = {name: KNOWN.get(name, [value]) for name, value in path_parameters.items()}
    return st.one_of(
        st.fixed_dictionaries({name: st.sampled_from(values) for name, values in known.items()}),
        st.fixed_dictionaries(
            {
                name: st.sampled_from([*known[name], value])
                for name, value in path_parameters.items()
            }
        ),
    )


def _aim_coverage_case(case: Any) -> None:
    """Aim the coverage phase's placeholder path parameters at the seeded rows.

    That phase builds deterministic cases (hooks do not apply) that vary one
    parameter or the body at a time, with the same placeholder in every other
    path parameter: without this, nearly all of them stop at "No site '0'".
    """
    meta = case.meta
    if meta is None or meta.phase.name != "coverage" or not case.path_parameters:
        return
    data = meta.phase.data
    varied = data.parameter if data.parameter_location == "path" else None
    case.path_parameters = {
        name: value if name == varied or name not in KNOWN else KNOWN[name][0]
        for name, value in case.path_parameters.items()
    }


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_answers_as_documented(case: Any, signed_app: SigningMiddleware) -> None:
    _aim_coverage_case(case)
    case.call_and_validate(app=signed_app, checks=CHECKS)
