"""Sign in and out."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_user, logout_user

from app.accounts import services
from app.accounts.forms import LoginForm
from app.extensions import db, limiter
from app.permissions import PUBLIC, requires

bp = Blueprint("accounts", __name__, url_prefix="/account")

LOGIN_FAILED = "That e-mail and password do not match an active account."


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


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
            db.session.commit()
            login_user(user, remember=form.remember.data)
            target = form.next.data
            if not services.is_safe_next(target):
                target = url_for("directory.browse")
            return redirect(target)
    status = 200 if request.method == "GET" or not form.errors else 422
    return render_template("accounts/login.html", form=form), status


@bp.post("/logout")
@requires("account.self")
def logout():  # noqa: ANN201
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("public.home"))
