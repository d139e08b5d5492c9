"""Public pages for returning citizens (no login): home, search results, friendly errors.

The service page and problem reports live in routes_service.py, the card pages in
routes_cards.py, the counselor's card builder in routes_builder.py and the admins' problem
queue in routes_admin.py (imported at the end so they register on this blueprint).
"""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user
from markupsafe import Markup

from app.accounts.landing import home_endpoint, home_link_label
from app.directory.taxonomy import need_areas
from app.pagination import parse_page
from app.permissions import PUBLIC, requires
from app.public import search_view as sv
from app.public.listing import compact_hours, need_area_name
from app.public.search_cache import Asked, cached_page
from app.public.wording import plain
from app.search.hidden import REFUSES
from app.search.zero_results import record_zero_result

bp = Blueprint("public", __name__)

PER_PAGE = sv.PER_PAGE
MAX_TEXT = 200


def top_need_areas() -> list[dict]:
    return [
        {"code": term.code, "name": need_area_name(term)}
        for term in need_areas()
        if term.parent_id is None
    ]


@bp.context_processor
def public_helpers() -> dict:
    return {
        "compact_hours": compact_hours,
        "who_for_groups": sv.WHO_FOR,
        "sorts": sv.SORTS,
        "badges": sv.BADGES,
        "translated": _translated,
    }


def _translated(badges: dict) -> dict[str, str]:
    """Each badge's text in the page's language, once (a page shows it on many results)."""
    return {code: str(badge.text) for code, badge in badges.items()}


bp.add_app_template_filter(plain, "plain")


def staff_home(user) -> dict | None:  # noqa: ANN001
    """Name and the link to the user's own start page; None for visitors (the usual page)."""
    if not user.is_authenticated:
        return None
    return {"name": user.name, "url": url_for(home_endpoint(user)), "label": home_link_label(user)}


@bp.get("/")
@requires(PUBLIC)
def home():  # noqa: ANN201
    return render_template(
        "public/home.html", areas=top_need_areas(), staff_home=staff_home(current_user)
    )


def _page_number() -> int:
    return min(parse_page(request.args.get("page", "1")), 500)


def _search_error(error) -> str:  # noqa: ANN001
    if error.parameter == "near":
        return _("We could not find that town or ZIP code. Check the spelling and try again.")
    if error.parameter == "need":
        return _("Choose a need from the list.")
    return _("We could not run this search. Please try again.")


@bp.get("/search")
@requires(PUBLIC)
def search_page():  # noqa: ANN201
    from app.search import SearchError

    text = request.args.get("q", "").strip()[:MAX_TEXT]
    near = request.args.get("near", "").strip()[:100]
    need = request.args.get("need", "").strip()[:100]
    who = sv.chosen_groups(request.args.getlist("who"))
    sort = sv.sort_for(request.args.get("sort", "").strip(), near)
    fields = {"q": text, "near": near, "need": need, "who": who}
    # Links to other pages of these results carry only what was asked (not a default sort).
    linked = {**fields, "sort": sort if sort != sv.sort_for("", near) else ""}
    context = {**fields, "sort": sort, "results": None, "link_args": sv.link_args(linked)}
    asked = None
    if text or near or need:
        asked = Asked(text, near, need, tuple(who), sort, _page_number())
    try:
        page = cached_page(asked, lambda minute: sv.public_page(asked, minute, top_need_areas))
    except SearchError as error:
        context.update(areas=top_need_areas(), error=_search_error(error))
        return render_template("public/results.html", **context), 422
    context["areas"] = page.areas
    counted = page.counted
    if counted is None:
        return render_template("public/results.html", **context)
    if counted.total == 0 and not counted.fallback:  # a plain fallback's zero is not a real one
        # Counted for the unmet-need reports like staff searches (words, need, town or ZIP only).
        record_zero_result(sv.search_request(asked), "public", throttle_key=get_remote_address())
    body = page.body
    found = page.found if body is None else None  # set after the body: one of them is there
    if body is None and found is not None:  # once per kept page: all it shows is in its key
        results, names, calls = found
        body = Markup(  # noqa: S704 - rendered by an autoescaping template
            render_template(
                "public/_results_body.html",
                **{
                    **context,
                    "results": results,
                    "names": names,
                    "need_name": next((a["name"] for a in page.areas if a["code"] == need), None),
                    "calls": calls,
                    "refused": counted.hidden.get(REFUSES, 0),
                },
            )
        )
        page.rendered(body)
    return render_template("public/results.html", body=body or page.body, **context)


@bp.errorhandler(429)
def too_many(error):  # noqa: ANN001,ANN201
    """Public pages answer a rate limit with a calm page, not an error screen."""
    return render_template("public/too_many.html"), 429


def public_not_found():  # noqa: ANN201
    return render_template("public/not_found.html"), 404


from app.public import (  # noqa: E402, F401
    routes_admin,
    routes_builder,
    routes_cards,
    routes_service,
)
