"""Language choice for public pages: an explicit choice sticks (cookie), else Accept-Language."""

from __future__ import annotations

from flask import Flask, request

LANGUAGES = {"en": "English", "es": "Español"}
LANG_COOKIE = "lang"


def select_locale() -> str:
    chosen = request.args.get("lang") or request.cookies.get(LANG_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(list(LANGUAGES)) or "en"


def init_i18n(app: Flask) -> None:
    from flask_babel import get_locale

    from app.extensions import babel

    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(app.root_path + "/translations"))
    babel.init_app(app, locale_selector=select_locale)

    @app.after_request
    def remember_choice(response):  # noqa: ANN001,ANN202
        chosen = request.args.get("lang")
        if chosen in LANGUAGES and request.cookies.get(LANG_COOKIE) != chosen:
            response.set_cookie(
                LANG_COOKIE, chosen, max_age=60 * 60 * 24 * 365, samesite="Lax", httponly=True
            )
        return response

    @app.context_processor
    def inject_locale() -> dict:
        return {"current_locale": str(get_locale()), "languages": LANGUAGES}
