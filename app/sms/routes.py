"""Text messages: the care team's actions on a person's page, and Twilio's two webhooks.

The webhooks are public but signed (X-Twilio-Signature with the auth token) and are the only
routes here without CSRF; an unsigned or wrongly signed call gets 403 and changes nothing.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from app.audit.services import record as audit
from app.extensions import csrf, db
from app.permissions import PUBLIC, authorize, requires
from app.public.cards import newest_active_card
from app.referrals.models import Client
from app.sms import keywords, twilio
from app.sms.consent import normalize_phone, record_text_consent, revoke_text_consent
from app.sms.forms import ActionForm, TextConsentForm
from app.sms.news import text_card
from app.sms.outbox import INBOUND_PATH, STATUS_PATH, record_status
from app.unit_of_work import form_renderer, on_domain_error

bp = Blueprint("sms", __name__)


def _client(client_id: str) -> Client:
    client = db.session.get(Client, client_id)
    if client is None:
        abort(404)
    authorize("consent.manage", client)
    return client


def _back(client: Client) -> Response:
    return redirect(url_for("referrals.client", client_id=client.id) + "#texts")


@bp.route("/referrals/clients/<client_id>/texts/consent", methods=["GET", "POST"])
@requires("consent.manage")
def consent(client_id: str):  # noqa: ANN201
    client = _client(client_id)
    form = TextConsentForm()

    def page() -> str:
        return render_template("sms/consent_form.html", form=form, client=client)

    if request.method == "GET":
        form.phone.data = client.contact_phone or ""
        return page()
    if not form.validate():
        return page(), 422
    on_domain_error(form_renderer(form, page))
    record_text_consent(client, form.phone.data, current_user)
    flash("Consent to texts recorded.", "success")
    return _back(client)


@bp.post("/referrals/clients/<client_id>/texts/stop")
@requires("consent.manage")
def revoke(client_id: str):  # noqa: ANN201
    client = _client(client_id)
    if not ActionForm().validate():
        abort(400)
    revoke_text_consent(client, current_user)
    flash("Texts stopped. Nothing more will be sent to this person.", "success")
    return _back(client)


@bp.post("/referrals/clients/<client_id>/texts/card")
@requires("consent.manage")
def send_card(client_id: str):  # noqa: ANN201
    client = _client(client_id)
    if not ActionForm().validate():
        abort(400)
    card = newest_active_card(client)
    if card is None:
        flash("This person has no discharge card that works now. Make one first.", "error")
        return _back(client)
    message = text_card(client, card, current_user)
    if message is None:
        flash("The person has not agreed to texts, or has stopped them.", "error")
        return _back(client)
    audit("sms.card", message, current_user, client_id=client.id, details={"card_id": card.id})
    flash("The card's link will be sent by text.", "success")
    return _back(client)


def _signed() -> dict[str, str]:
    """The POST parameters of a correctly signed Twilio call; 403 otherwise."""
    params = {key: request.form[key] for key in request.form}
    base = (current_app.config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    url = (base + request.full_path) if base else request.url
    url = url.rstrip("?")
    if not twilio.valid_signature(url, params, request.headers.get("X-Twilio-Signature")):
        abort(403)
    return params


@bp.post(STATUS_PATH)
@requires(PUBLIC)
@csrf.exempt
def status_callback():  # noqa: ANN201
    params = _signed()
    sid = params.get("MessageSid") or params.get("SmsSid") or ""
    status = (params.get("MessageStatus") or params.get("SmsStatus") or "").lower()
    record_status(sid, status, params.get("ErrorCode") or None)
    return Response(status=204)


@bp.post(INBOUND_PATH)
@requires(PUBLIC)
@csrf.exempt
def inbound():  # noqa: ANN201
    params = _signed()
    number = normalize_phone(params.get("From"))
    reply = keywords.handle(number, params.get("Body") or "") if number else None
    return Response(keywords.twiml(reply), mimetype="text/xml")


@bp.app_template_global()
def texts_panel(client: Client) -> dict:
    """What the client page shows about texts (the care team only: the page checks)."""
    from app.sms.consent import current_consent
    from app.sms.outbox import messages_for

    return {
        "consent": current_consent(client),
        "messages": messages_for(client, limit=20),
        "card": newest_active_card(client),
        "form": ActionForm(),
    }
