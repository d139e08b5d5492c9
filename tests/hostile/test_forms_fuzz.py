"""Property: no HTML form answers a 5xx, whatever is posted to it.

Walks every POST route of the app that is not the token API (tests/test_route_permissions.py
lists them with the roles let through), signs in as a role that may post, and posts extreme
numbers, impossible dates, NUL and control characters, huge values, repeated keys and absurd
FieldList indices next to plausible values (so some posts pass validation and reach the
services). Derandomized and bounded so it runs the same in CI, on SQLite and (with
TEST_DATABASE_URL) on PostgreSQL.
"""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.referrals.workflow import Action
from tests.hostile.test_field_bounds import _all_form_classes
from tests.test_route_permissions import ALLOWED, ROLES, ROUTES, _login

EXAMPLES_PER_ROUTE = 10
SKIP = {"accounts.logout"}  # would sign the shared client out; it reads no fields

HOSTILE = [
    "²",
    "٣",
    "9" * 5000,
    "99999999999999999999",
    "2147483648",
    "-9223372036854775809",
    "-1",
    "0",
    "1e309",
    "nan",
    "inf",
    "-0",
    "9999-12-31",
    "0001-01-01",
    "10000-01-01",
    "2026-02-30",
    "0000-00-00",
    "24:61",
    "line\r\nline\ttab",
    "x" * 20_000,
    "\n".join(["item"] * 5000),
    "𝟘𝟙𝟚",
    "\u202eevil",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "{{7*7}}",
    "../../etc/passwd",
    " ",
    "null",
]
CONTROL = ["\x00", "a\x00b", "\x1b[2J", "\x7f", "\x01"]  # the guard answers these 400
PLAUSIBLE = ["", "1", "3", "10", "yes", "no", "on", "true", "active", "voice", "other", "en"]
PLAUSIBLE_DATES = ["2026-01-05", "1980-05-17", "10:30"]
ODD_KEYS = ["phones-99999999999999999999-number", "phones-0-number", "phones-1-type", "a[b][c][d]"]


def _field_names() -> list[str]:
    """Every field name any form of the app reads, step forms with their action prefix."""
    names: set[str] = set()
    for cls in _all_form_classes():
        fields = [name for name, _ in getattr(cls, "_unbound_fields", None) or []]
        names.update(fields)
        if cls.__name__.endswith("Form") and "version" in fields:
            names.update(f"{action.value}-{name}" for action in Action for name in fields)
    return sorted(names)


def _post_routes() -> list[tuple[str, object, str]]:
    """(endpoint, path builder, a role that may post) for every HTML POST route."""
    out = []
    for endpoint, spec in sorted(ROUTES.items()):
        for method, path, expected in spec if isinstance(spec, list) else [spec]:
            if method != "POST" or endpoint.startswith("api.") or endpoint in SKIP:
                continue
            allowed = [r for r in ROLES if expected[r] in (ALLOWED, 404)]
            role = "admin" if "admin" in allowed else allowed[0] if allowed else "anonymous"
            if endpoint == "referrals.referral_step" and "provider_a" in allowed:
                role = "provider_a"
            out.append((endpoint, path, role))
    return out


class _FormReader(HTMLParser):
    """The names on a page's forms and the values the page would post unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list) -> None:  # noqa: ANN001
        attr = dict(attrs)
        name = attr.get("name")
        if tag not in {"input", "select", "textarea"} or not name:
            return
        self.names.add(name)
        kind = attr.get("type", "text")
        if kind in {"checkbox", "radio"} and "checked" not in attr:
            return
        if attr.get("value") is not None and kind not in {"submit", "button"}:
            self.values.setdefault(name, attr["value"])


def _read(html: str) -> _FormReader:
    reader = _FormReader()
    reader.feed(html)
    return reader


def _values(ids: list[str]) -> st.SearchStrategy:
    one = st.one_of(
        st.sampled_from(HOSTILE),
        st.sampled_from(PLAUSIBLE + PLAUSIBLE_DATES + ids),
        st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=40),
    )
    return st.one_of(one, st.lists(one, min_size=2, max_size=4))


def _poster(client, url: str, endpoint: str, names: list[str], ids: list[str], base: dict):  # noqa: ANN001,ANN202
    @settings(
        max_examples=EXAMPLES_PER_ROUTE,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        form=st.dictionaries(
            st.sampled_from(names + ODD_KEYS), _values(ids), min_size=1, max_size=12
        ),
        poison=st.one_of(st.none(), st.none(), st.none(), st.sampled_from(CONTROL)),
        where=st.sampled_from(names + ODD_KEYS),
    )
    def post(form: dict, poison: str | None, where: str) -> None:
        form = {**base, **form}  # what the page would post, with some fields made hostile
        if poison is not None:  # one post in four carries a control character somewhere
            form = {**form, where: f"ok{poison}"}
        response = client.post(url, data=form)
        shown = {k: str(v)[:60] for k, v in form.items()}
        assert response.status_code < 500, (endpoint, shown)

    return post


def test_no_form_post_answers_5xx(app, world):  # noqa: ANN001
    ids = [
        str(x.id)
        for x in (world.org_a, world.service_a, world.location_a, world.facility, world.client)
    ] + [str(world.users["counselor"].id), str(world.member.id)]
    clients = {}
    for role in ROLES:
        clients[role] = app.test_client()
        if role != "anonymous":
            _login(clients[role], world.users[role])
    everywhere = set(_field_names()) | set(ODD_KEYS)
    for page in (f"/referrals/{world.referral.id}", f"/referrals/clients/{world.client.id}"):
        everywhere |= _read(clients["admin"].get(page).get_data(as_text=True)).names
    checked = 0
    for endpoint, path, role in _post_routes():
        client, url = clients[role], path(world)
        page = client.get(url)
        reader = _read(page.get_data(as_text=True) if page.status_code == 200 else "")
        names = sorted(reader.names or everywhere)
        # Every field at once with a NUL: refused whole, before any query (a 500 on PostgreSQL).
        response = client.post(url, data={**reader.values, **{n: "ok\x00" for n in names}})
        assert response.status_code < 500, endpoint
        _poster(client, url, endpoint, names, ids, reader.values)()
        checked += 1
    assert checked >= 30
