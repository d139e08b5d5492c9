"""A discharge card by its code: the live page (with the person's plan, when they have one), a
print view, the PDF, and the person's answers on their plan's items. No login.

Every lookup, found or not, counts against one shared limit per address (CARD_LOOKUP_RATE_LIMIT,
default 30 a minute), so codes cannot be guessed by trying many. An unknown, revoked or expired
code gets the same friendly page with the public search.
"""

from __future__ import annotations

from flask import Response, current_app, redirect, render_template, request, url_for

from app.domain_errors import DomainError
from app.extensions import limiter
from app.i18n import LANGUAGES, use_page_language
from app.permissions import PUBLIC, requires
from app.plans.answers import AlreadyAnswered, NotAnswerable, item_on_card, record_answer
from app.plans.person_view import (
    answer_choices,
    answer_words,
    person_plan_for_card,
    person_title,
)
from app.public.card_cache import cached, card_cache, card_key
from app.public.card_pdf import card_pdf
from app.public.card_view import card_view, public_card_url
from app.public.cards import find_active_card, format_code, normalize_code
from app.public.forms import CardLookupForm, PlanAnswerForm
from app.public.qr import qr_svg
from app.public.routes import bp, public_not_found, top_need_areas
from app.unit_of_work import on_domain_error


def _card_limit() -> str:
    return current_app.config.get("CARD_LOOKUP_RATE_LIMIT", "30 per minute")


def _answer_limit() -> str:
    return current_app.config.get("PLAN_ANSWER_RATE_LIMIT", "20 per hour; 60 per day")


card_lookup_limit = limiter.shared_limit(_card_limit, scope="card-lookup")


def _private(response: Response) -> Response:
    """Cards are for their holder: never stored by shared caches, not indexed."""
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _revalidated(response: Response, etag: str) -> Response:
    """The card's PDF (a download the holder keeps anyway): their own browser may keep it but
    must ask each time (ETag, 304 when nothing changed); shared caches never store it."""
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Vary"] = "Accept-Language, Cookie"
    response.set_etag(etag)
    return response


def _not_modified(etag: str) -> Response | None:
    """304 when the browser holds this version."""
    if etag in request.if_none_match:
        return _revalidated(Response(status=304), etag)
    return None


def _missing(code: str | None) -> Response:
    form = CardLookupForm(formdata=None, code=code or "")
    html = render_template("public/card_missing.html", form=form, areas=top_need_areas())
    return _private(Response(html, status=404))


@bp.get("/card")
@requires(PUBLIC)
@card_lookup_limit
def card_lookup():  # noqa: ANN201
    form = CardLookupForm(request.args)
    if "code" not in request.args:
        return render_template("public/card_lookup.html", form=form)
    if not form.validate():
        return render_template("public/card_lookup.html", form=form), 422
    code = normalize_code(form.code.data)
    if code is None or find_active_card(code) is None:
        return _missing(form.code.data)
    return redirect(url_for("public.card", code=format_code(code)))


def _load(code: str):  # noqa: ANN202
    card = find_active_card(code)
    if card is not None:
        use_page_language(card.language)
    return card


def _card_page(code: str, template: str) -> Response:
    """The live card (page or print view), or the friendly page for an unknown code.

    What it shows is built once per change (app.public.card_cache). The page may show the
    person's plan and appointment times, and carries answer forms with a CSRF token: never
    stored, by shared caches or the browser ("private, no-store")."""
    found = _load(code)
    if found is None:
        return _missing(code)
    url = public_card_url(found.code)
    key = card_key(found, url)
    view = cached("view", key, lambda: card_view(found))
    context = {"card": view, "qr": qr_svg(url, cached=card_cache() is not None)}
    if template == "public/card.html":
        plan = cached("plan", key, lambda: person_plan_for_card(found)) if found.client_id else None
        context.update(plan=plan, answers=answer_choices())
    return _private(Response(render_template(template, **context)))


@bp.get("/card/<code>")
@requires(PUBLIC)
@card_lookup_limit
def card(code: str):  # noqa: ANN201
    return _card_page(code, "public/card.html")


@bp.get("/card/<code>/print")
@requires(PUBLIC)
@card_lookup_limit
def card_print(code: str):  # noqa: ANN201
    return _card_page(code, "cards/print.html")


@bp.get("/card/<code>/pdf")
@requires(PUBLIC)
@card_lookup_limit
def card_pdf_download(code: str):  # noqa: ANN201
    found = _load(code)
    if found is None:
        return _missing(code)
    key = card_key(found, public_card_url(found.code))
    lang = request.args.get("lang") if request.args.get("lang") in LANGUAGES else None
    etag = key.etag("pdf", lang or "")
    if unchanged := _not_modified(etag):
        return unchanged
    view = cached("view", key, lambda: card_view(found))
    body = cached("pdf", key, lambda: card_pdf(view))
    name = f"card-{view.code}{'-' + lang if lang else ''}.pdf"
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return _revalidated(response, etag)


@bp.post("/card/<code>/items/<item_id>/answer")
@requires(PUBLIC)
@card_lookup_limit
@limiter.limit(_answer_limit)
def card_answer(code: str, item_id: str):  # noqa: ANN201
    """ "I went" / "I could not go" / "I need help with this" on one item of the card's plan."""
    found = _load(code)
    if found is None:
        return _missing(code)
    item = item_on_card(found, item_id)
    if item is None:
        return _private(Response(*public_not_found()))
    form = PlanAnswerForm()

    def page(outcome: str, status: int) -> Response:
        html = render_template(
            "public/card_answer.html",
            code=format_code(found.code),
            title=person_title(item),
            outcome=outcome,
            answer=answer_words(form.answer.data) if outcome == "thanks" else None,
        )
        return _private(Response(html, status=status))

    if not form.validate():
        return page("invalid", 422)

    def refused(error: DomainError) -> Response | None:
        if error.status == 404:
            return _private(Response(*public_not_found()))
        outcome = {AlreadyAnswered: "already", NotAnswerable: "closed"}.get(type(error), "invalid")
        return page(outcome, error.status)

    on_domain_error(refused)
    record_answer(found, item, form.answer.data)
    return page("thanks", 200)
