"""The signed-webhook guard: a view runs only for a request signed by its site."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app, g, request

from moderation.errors import ApiError
from moderation.extensions import db
from moderation.limits import check_site_rate
from moderation.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, SignatureError, verify
from moderation.sites.service import get_site_or_404, valid_secrets

F = TypeVar("F", bound=Callable[..., Any])


def signed_by_site(view: F) -> F:
    """Load ``g.site`` from the ``site`` URL part and verify the HMAC signature."""

    @functools.wraps(view)
    def wrapper(*args: Any, site: str, **kwargs: Any) -> Any:
        found = get_site_or_404(db.session, site)
        try:
            verify(
                valid_secrets(found),
                timestamp=request.headers.get(TIMESTAMP_HEADER),
                signature=request.headers.get(SIGNATURE_HEADER),
                body=request.get_data(cache=True),
                path=request.path,
                tolerance=current_app.config["SIGNATURE_TOLERANCE_SECONDS"],
            )
        except SignatureError as exc:
            raise ApiError(401, exc.code, exc.message) from exc
        check_site_rate(found.slug)
        g.site = found
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
