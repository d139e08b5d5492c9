"""Language choice for public pages.

Order: an explicit ?lang= (which then sticks in a cookie), the cookie, the page's own language
(a discharge card made in Spanish opens in Spanish), then the browser's Accept-Language.
Catalogs live in app/translations (see babel.cfg and the README for extract/update/compile).
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, g, request

LANGUAGES = {"en": "English", "es": "Español"}
LANG_COOKIE = "lang"


def select_locale() -> str:
    chosen = request.args.get("lang") or request.cookies.get(LANG_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    page = g.get("page_language")
    if page in LANGUAGES:
        return page
    return request.accept_languages.best_match(list(LANGUAGES)) or "en"


def use_page_language(code: str | None) -> None:
    """Let a page suggest its language (used only when the person has not chosen one)."""
    from flask_babel import refresh

    g.page_language = code
    refresh()


def language_url(code: str) -> str:
    """This page's address in another language, keeping the other query parameters."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    args.append(("lang", code))
    return request.path + "?" + urlencode(args)


ANOTHER_LANGUAGE = "other"  # a person's preferred language when it is not on the list


def language_name(code: str | None, locale: str = "en") -> str:
    """A language's name from its ISO 639 code, never the code: "zh" -> "Chinese" (staff pages
    are in English), or in `locale` ("es": "chino"). Names come from CLDR (Babel); a code CLDR
    does not know is shown as given."""
    from babel import Locale

    if not code:
        return ""
    if code == ANOTHER_LANGUAGE:
        return "Another language" if locale == "en" else code
    name = Locale.parse(locale).languages.get(code)
    return name[:1].upper() + name[1:] if name else code


def init_i18n(app: Flask) -> None:
    from flask_babel import get_locale

    from app.extensions import babel

    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(app.root_path + "/translations"))
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters["language_name"] = language_name

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
        return {
            "current_locale": str(get_locale()),
            "languages": LANGUAGES,
            "language_url": language_url,
        }
