"""The counselor's card builder: one page, pre-checked, one click to make the card.

/cards/new?client=<id> lists the client's accepted referrals and nearby benefits/ID services
(app.public.card_builder), already checked; "Make the card" saves it and shows the code, QR,
print view, PDF and a revoke button. Access follows the client: `client.view`.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.extensions import db
from app.permissions import authorize, requires
from app.public.card_builder import card_offers, choices_from_keys, find_services
from app.public.card_view import public_card_url
from app.public.cards import cards_for_client, create_card, is_active, revoke_card
from app.public.forms import CardBuilderForm
from app.public.models import DischargeCard
from app.public.qr import qr_svg
from app.public.routes import bp
from app.referrals.models import Client
from app.unit_of_work import form_renderer, on_domain_error


def _client_or_404(client_id: str | None) -> Client:
    client = db.session.get(Client, client_id) if client_id else None
    if client is None:
        abort(404)
    authorize("client.view", client)
    return client


def _card_or_404(card_id: str) -> DischargeCard:
    card = db.session.get(DischargeCard, card_id)
    if card is None:
        abort(404)
    authorize("client.view", card.client)
    return card


@bp.route("/cards/new", methods=["GET", "POST"])
@requires("client.view")
def card_new():  # noqa: ANN201
    client = _client_or_404(request.args.get("client"))
    added = request.args.getlist("add")
    offers = card_offers(client, added)
    form = CardBuilderForm()
    form.services.choices = [SelectChoice(offer.key, offer.service.name) for offer in offers]

    def page() -> str:
        return render_template(
            "cards/new.html",
            form=form,
            client=client,
            offers=offers,
            added=[offer.service.id for offer in offers if offer.reason == "Added by you"],
            find=request.args.get("find", ""),
            found=find_services(request.args.get("find", "")),
            existing=cards_for_client(client),
            is_active=is_active,
        )

    if request.method == "GET":
        form.services.data = [offer.key for offer in offers if offer.checked]
        preferred = client.preferred_language if client.preferred_language in ("en", "es") else "en"
        form.language.data = preferred
        return page()
    if not form.validate_on_submit():
        return page(), 422 if form.errors else 200
    on_domain_error(form_renderer(form, page))
    card = create_card(
        choices_from_keys(form.services.data or [], offers),
        language=form.language.data,
        client=client,
        actor=current_user._get_current_object(),
    )
    flash("Card made. Print it or download the PDF below.", "success")
    return redirect(url_for("public.card_detail", card_id=card.id))


@bp.get("/cards/<card_id>")
@requires("client.view")
def card_detail(card_id: str):  # noqa: ANN201
    card = _card_or_404(card_id)
    from app.public.cards import format_code

    url = public_card_url(card.code)
    return render_template(
        "cards/show.html",
        card=card,
        code=format_code(card.code),
        url=url,
        qr=qr_svg(url),
        active=is_active(card),
    )


@bp.post("/cards/<card_id>/revoke")
@requires("client.view")
def card_revoke(card_id: str):  # noqa: ANN201
    card = _card_or_404(card_id)
    revoke_card(card, current_user._get_current_object())
    flash("The card is revoked. Its code no longer works.", "success")
    return redirect(url_for("public.card_detail", card_id=card.id))
