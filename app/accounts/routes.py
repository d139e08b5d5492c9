"""Sign in and out, forgotten and reset passwords, and the signed-in user's own account page."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm

from app.accounts import services
from app.accounts.forms import ChangePasswordForm, ForgotPasswordForm, LoginForm, ResetPasswordForm
from app.accounts.landing import home_endpoint
from app.accounts.services import AccountError
from app.accounts.tokens import TokenError, TokenProblem, user_for_token
from app.extensions import limiter
from app.notify.services import send_after_response
from app.permissions import PUBLIC, requires
from app.unit_of_work import form_renderer, on_domain_error

bp = Blueprint("accounts", __name__, url_prefix="/account")

LOGIN_FAILED = "That e-mail and password do not match an active account."
RESET_SENT = (
    "If an account exists for that address, we have sent a link to set a new password. "
    "Please check your e-mail."
)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def form_status(form: FlaskForm) -> int:
    """200 for a fresh form, 422 when a submitted form is sent back with errors."""
    return 422 if request.method == "POST" and form.errors else 200


def show_error(form: FlaskForm, error: AccountError, fallback: str) -> None:
    """Put a rule's message next to its field (or `fallback` if the form has no such field)."""
    name = error.field if error.field in form else fallback
    form[name].errors = [*form[name].errors, error.message]


@bp.route("/login", methods=["GET", "POST"])
@requires(PUBLIC)
@limiter.limit(_login_limit, methods=["POST"])
def login():  # noqa: ANN201
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(LOGIN_FAILED)
        else:
            login_user(user, remember=form.remember.data)
            target = form.next.data
            if not services.is_safe_next(target):
                target = url_for(home_endpoint(user))
            return redirect(target)
    return render_template("accounts/login.html", form=form), form_status(form)


@bp.post("/logout")
@requires("account.self")
def logout():  # noqa: ANN201
    # Server-side: cookies captured before this (session or remember-me) stop working too.
    services.sign_out_everywhere(current_user._get_current_object())
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("public.home"))


@bp.route("/forgot", methods=["GET", "POST"])
@requires(PUBLIC)
@limiter.limit(_login_limit, methods=["POST"])
def forgot_password():  # noqa: ANN201
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        message = services.request_password_reset(form.email.data)
        if message is not None:
            send_after_response([message.id])  # sent once the request has committed it
        flash(RESET_SENT, "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form), form_status(form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@requires(PUBLIC)
@limiter.limit(_login_limit, methods=["POST"])
def reset_password(token: str):  # noqa: ANN201
    try:
        user = user_for_token(token)
    except TokenError as error:
        # Friendly page either way: 410 Gone when it expired, 404 like any unknown id otherwise.
        expired = error.problem is TokenProblem.EXPIRED
        page = render_template("accounts/reset_invalid.html", problem=error.problem.value)
        return page, 410 if expired else 404, {"Referrer-Policy": "no-referrer"}
    form = ResetPasswordForm()

    def page() -> tuple[str, int, dict[str, str]]:
        # The token is in this page's URL: never pass it on to another site.
        body = render_template("accounts/reset_password.html", form=form, user=user)
        return body, form_status(form), {"Referrer-Policy": "no-referrer"}

    def failed(error: AccountError) -> tuple[str, int, dict[str, str]]:
        show_error(form, error, fallback="password")
        return page()

    if not form.validate_on_submit():
        return page()
    on_domain_error(failed)
    revoked = services.reset_password(user, form.password.data)
    if current_user.is_authenticated:
        logout_user()
    flash("Your new password is set. Please sign in with it.", "success")
    if revoked:
        flash(services.tokens_revoked_message(revoked), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/me", methods=["GET", "POST"])
@requires("account.self")
@limiter.limit(_login_limit, methods=["POST"])
def me():  # noqa: ANN201
    user = current_user._get_current_object()
    form = ChangePasswordForm()

    def page() -> str:
        return render_template("accounts/me.html", form=form, user=user)

    if not form.validate_on_submit():
        return page(), form_status(form)
    on_domain_error(form_renderer(form, page, fallback="new_password"))
    revoked = services.change_password(user, form.current_password.data, form.new_password.data)
    # This browser goes on (its remember-me cookie renewed if it had one); every other
    # session and cookie carries the old password's stamp and is signed out.
    remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    login_user(user, remember=remembered in request.cookies)
    flash("Your password has been changed. You are signed out everywhere else.", "success")
    if revoked:
        flash(services.tokens_revoked_message(revoked), "info")
    return redirect(url_for("accounts.me"))


# Importing these registers their views on bp (admin pages, audit and outbox, API tokens).
from app.accounts import (  # noqa: E402, F401
    admin_audit_routes,
    admin_outbox_routes,
    admin_routes,
    token_routes,
)
