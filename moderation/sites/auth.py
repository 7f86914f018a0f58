"""The signed-webhook guard: a view runs only for a request signed by its site."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app, g, request

from moderation.api import Access
from moderation.exceptions import Unauthenticated
from moderation.extensions import db
from moderation.limits import check_failed_auth, check_site_rate, count_failed_auth
from moderation.signing import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    SignatureError,
    mismatch,
    request_target,
    verify,
)
from moderation.sites.service import get_site, valid_secrets

F = TypeVar("F", bound=Callable[..., Any])


def signed_by_site(view: F) -> F:
    """Load ``g.site`` from the ``site`` URL part and verify the HMAC signature."""

    @functools.wraps(view)
    def wrapper(*args: Any, site: str, **kwargs: Any) -> Any:
        check_failed_auth()
        found = get_site(db.session, site)
        try:
            # An unknown site is checked like a pre-v2 one, so its answers match a real site's.
            legacy = found.legacy_signatures if found else True
            _verify_request(valid_secrets(found), legacy)
            if found is None:  # unreachable: nobody holds that secret
                raise mismatch()
        except SignatureError as exc:
            count_failed_auth()
            raise Unauthenticated(exc.message, code=exc.code) from exc
        check_site_rate(found.slug)
        g.site = found
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


SITE = Access("site", signed_by_site)


def _verify_request(secrets_now: list[str], legacy: bool) -> None:
    verify(
        secrets_now,
        timestamp=request.headers.get(TIMESTAMP_HEADER),
        signature=request.headers.get(SIGNATURE_HEADER),
        method=request.method,
        target=request_target(request.environ),
        body=request.get_data(cache=True),
        legacy=legacy,
        tolerance=current_app.config["SIGNATURE_TOLERANCE_SECONDS"],
    )
