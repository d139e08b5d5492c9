"""The signed-in user's personal API tokens: list, create (shown once), revoke.

Creating a token renders the page with the new token straight from the POST instead of
redirecting: the plaintext must never go into the (signed, not encrypted) session cookie that a
flash message would use, and it is shown exactly once. That response is marked no-store.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from app.accounts import api_tokens
from app.accounts.models import ApiToken
from app.accounts.routes import bp, form_status, show_error
from app.common import utcnow
from app.domain_errors import DomainError
from app.extensions import db
from app.permissions import can, requires
from app.unit_of_work import on_domain_error


class TokenForm(FlaskForm):
    name = StringField(
        "Token name",
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
        validators=[
            DataRequired("Give the token a name, such as the program that will use it."),
            Length(
                max=api_tokens.NAME_MAX, message=f"Use at most {api_tokens.NAME_MAX} characters."
            ),
        ],
    )
    days = SelectField("Works for", coerce=int)

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002,ANN003
        super().__init__(*args, **kwargs)
        self.days.choices = [(d, f"{d} days") for d in api_tokens.lifetime_choices()]
        if self.days.data is None:
            self.days.data = api_tokens.default_days()


def _page(
    form: TokenForm,
    *,
    new_token: ApiToken | None = None,
    plaintext: str | None = None,
    status: int = 200,
):  # noqa: ANN202
    user = current_user._get_current_object()
    page = render_template(
        "accounts/tokens.html",
        form=form,
        tokens=api_tokens.tokens_of(user),
        new_token=new_token,
        plaintext=plaintext,
        now=utcnow(),
    )
    headers = {"Cache-Control": "no-store"} if new_token else {}
    return page, status, headers


@bp.route("/tokens", methods=["GET", "POST"])
@requires("token.manage")
def tokens():  # noqa: ANN201
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(form, status=form_status(form))

    def failed(error: DomainError):  # noqa: ANN202
        show_error(form, error, fallback="name")
        return _page(form, status=422)

    on_domain_error(failed)
    token, plaintext = api_tokens.create_token(
        current_user._get_current_object(), form.name.data, days=form.days.data
    )
    return _page(TokenForm(formdata=None), new_token=token, plaintext=plaintext)


@bp.post("/tokens/<token_id>/revoke")
@requires("token.manage")
def token_revoke(token_id: str):  # noqa: ANN201
    token = db.session.get(ApiToken, token_id)
    # Someone else's token is "not found", so ids of other people's tokens do not leak.
    if token is None or not can(current_user, "token.manage", token):
        abort(404)
    api_tokens.revoke_token(token, current_user._get_current_object())
    flash(
        f"The token “{token.name}” is revoked; programs using it can no longer sign in.", "success"
    )
    return redirect(url_for("accounts.tokens"))
