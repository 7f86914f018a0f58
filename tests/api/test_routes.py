"""Every route, with odd numbers and ids in its path, query, form and headers: never a 500.

Schemathesis covers the documented API from ``/openapi.json``; this covers every rule of
the URL map, the console's too, signed in as an admin, with the values that used to
crash: digits of other scripts ("²", "١٢"), ids over 64 bits, NUL, empty strings.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moderation.accounts.service import add_user, set_password
from moderation.extensions import db
from moderation.signing import signature_headers
from moderation.sites.service import add_site
from tests.console.conftest import PASSWORD, sign_in
from tests.helpers import SiteClient, make_app, payload

#: Streams (held open), static files, and the session's own end are left out.
SKIPPED = {"/console/events", "/console/logout", "/console/login"}
DIGITISH = st.text(alphabet="0123456789²³¹١٢٣۴०٠-", min_size=1, max_size=24)
ODD = st.sampled_from(
    ["²", "1796650²7", "١٢", "", " ", "-1", "0", str(2**31), str(2**63), str(2**64 + 1), "\x00"]
)
#: Values that reach past the 404s and 400s: the seeded rows and valid choices.
KNOWN: dict[str, list[str]] = {
    "site": ["demo"],
    "cid": ["c-1", "c-2"],
    "source": ["facebook"],
    "author_id": ["1", "u-1"],
    "item_id": ["1", "2"],
    "decision_id": ["1"],
    "sanction_id": ["1"],
    "name": ["pending", "reported"],
    "version": ["nope"],
    "plot": ["calibration"],
    "kind": ["ban", "suspend", "premoderate"],
    "action": ["approve", "reject"],
    "reason": ["insult", "spam"],
    "items": ["1", "2"],
    "hours": ["24"],
    "ids": ["1,2"],
    "after": ["1"],
    "queue": ["pending"],
    "limit": ["10"],
    "lang": ["fr", "en"],
}
FIELDS = [*KNOWN, "cursor", "since", "sort", "examples", "body", "text", "until"]


def value(name: str) -> st.SearchStrategy[str]:
    known = st.sampled_from(KNOWN.get(name, ["1"]))
    return st.one_of(known, DIGITISH, ODD, st.text(max_size=12))


#: What a client can put in a header (HTTP has no way to send CR or LF in one).
HEADER = value("timestamp").filter(lambda v: "\r" not in v and "\n" not in v)


def routes() -> list[tuple[str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(f"sqlite:///{tmp}/x.sqlite", Path(tmp))
        rules = list(app.url_map.iter_rules())
    return sorted(
        (rule.rule, method)
        for rule in rules
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
        if "static" not in rule.endpoint and rule.rule not in SKIPPED
    )


@pytest.fixture
def house(app, receiver):
    """A site with comments, an admin signed in to the console, and their bearer token."""
    created, secret = add_site(db.session, slug="demo", callback_url=receiver.url)
    receiver.secrets.append(secret)
    site = SiteClient(app.test_client(), created.slug, secret)
    _, token = add_user(db.session, name="root", role="admin")
    set_password(db.session, name="root", password=PASSWORD)
    db.commit()
    for cid, body in (("c-1", "Merci"), ("c-2", "Voir https://bit.ly/x idiot")):
        assert site.post(payload(cid, body)).status_code == 202
    console = sign_in(app, "root")
    return console, token, secret


def _url(rule: str, parts: dict[str, str]) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: quote(parts[m.group(1)], safe=""), rule)


@pytest.mark.parametrize(("rule", "method"), routes())
@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_route_answers_500(house, rule, method, data):
    console, token, secret = house
    names = re.findall(r"<(?:[^:<>]+:)?([^<>]+)>", rule)
    url = _url(rule, {n: data.draw(value(n), label=n) for n in names})
    chosen = data.draw(st.lists(st.sampled_from(FIELDS), max_size=4, unique=True), label="fields")
    fields = {n: data.draw(value(n), label=f"field {n}") for n in chosen}
    headers = {
        "Authorization": f"Bearer {token}",
        "X-CSRF-Token": console.csrf,
        "HX-Request": "true",
        "X-Moderation-Timestamp": data.draw(HEADER, label="timestamp"),
        "X-Moderation-Signature": "v2=" + "0" * 64,
    }
    if method == "GET":
        response = console.client.get(url, query_string=fields, headers=headers)
    elif url.startswith("/console/"):
        response = console.client.open(url, method=method, data=fields, headers=headers)
    else:
        raw = json.dumps(fields).encode()
        if data.draw(st.booleans(), label="signed"):
            headers.update(signature_headers(secret, method, url, raw))
        response = console.client.open(
            url, method=method, data=raw, headers={**headers, "Content-Type": "application/json"}
        )
    assert response.status_code < 500, (method, url, fields, response.get_data(as_text=True)[:300])


@pytest.mark.parametrize(
    ("path", "form"),
    [
        ("/console/decide", {"items": "²", "action": "approve"}),
        ("/console/decide", {"items": str(2**64), "action": "approve"}),
        ("/console/authors/1/sanctions", {"kind": "suspend", "hours": "²"}),
        ("/console/authors/1/sanctions", {"kind": "suspend", "hours": "١٢"}),
        (f"/console/authors/{2**64}/notes", {"body": "x"}),
        (f"/console/items/{2**64}/claim", {}),
        (f"/console/decisions/{2**70}/reverse", {}),
        (f"/console/authors/1/sanctions/{2**64}/lift", {}),
    ],
)
def test_odd_numbers_in_console_forms_and_paths_are_client_errors(house, path, form):
    console, _, _ = house
    response = console.post(path, form)
    # Ids over the column's range are 404; a bad item id is ignored (the toast counts it).
    assert response.status_code in (200, 400, 404), response.get_data(as_text=True)[:300]


@pytest.mark.parametrize(
    "path",
    [f"/console/authors/{2**64}", "/console/sync?ids=²,1&after=²", f"/console/sync?ids={2**64}"],
)
def test_odd_numbers_in_console_pages_are_client_errors_or_ignored(house, path):
    console, _, _ = house
    response = console.client.get(path)
    assert response.status_code in (200, 404), response.get_data(as_text=True)[:300]
