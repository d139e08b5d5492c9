"""The design system (tokens in app/static/tokens.css, components in design.css): its palette meets
WCAG 2.1 AA for every text and background pair the pages use, no stylesheet (screen or print) and
no chart has a color outside the tokens, badges differ by meaning in more than color, and
templates use only the badge classes the design system defines."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "app" / "static"
DESIGN = STATIC / "design.css"
TOKENS = STATIC / "tokens.css"
STYLESHEETS = sorted(p.name for p in STATIC.glob("*.css") if p.name != "tokens.css")

TEXT = 4.5  # WCAG 1.4.3, normal-size text
NON_TEXT = 3.0  # WCAG 1.4.11, control borders and focus indicators

# (foreground, background, minimum): every pairing the CSS draws.
PAIRS = [
    *[
        (fg, bg, TEXT)
        for fg in ("ink", "muted", "brand", "brand-dark")
        for bg in ("bg", "panel", "stripe")
    ],
    *[(fg, "bg", TEXT) for fg in ("ok", "wait", "stop", "unknown", "sample")],
    *[(m, f"{m}-bg", TEXT) for m in ("ok", "wait", "stop", "unknown", "sample")],
    ("ink", "wait-bg", TEXT),  # .notice
    ("ink", "brand-tint", TEXT),  # a chosen chip
    ("brand-dark", "brand-tint", TEXT),  # secondary button hover
    ("on-brand", "brand", TEXT),  # primary button
    ("on-brand", "brand-dark", TEXT),  # header, button hover
    ("on-brand-muted", "brand-dark", TEXT),  # header muted text
    ("on-brand", "stop", TEXT),  # danger button
    ("on-brand", "ink", TEXT),  # danger button hover
    ("focus-edge", "focus", TEXT),  # skip link
    ("field-line", "bg", NON_TEXT),  # input borders
    ("brand", "bg", NON_TEXT),  # chip, call button and need-link borders
    ("focus-edge", "bg", NON_TEXT),  # the focus ring's edge on a white page
    ("focus", "brand-dark", NON_TEXT),  # the focus ring on the dark header
    ("chart-1", "bg", TEXT),  # first chart series: bars and legend words
    ("chart-2", "bg", TEXT),  # second chart series
    *[(fg, "print-paper", TEXT) for fg in ("print-ink", "print-muted", "print-link")],
    ("print-rule", "print-paper", NON_TEXT),  # table borders on a printed plan
]
DECORATIVE = {"line", "print-rule-soft"}  # rules between rows and around printed cards


def tokens() -> dict[str, str]:
    root = re.search(r":root\s*\{(.*?)\}", TOKENS.read_text(), re.S)
    assert root, "tokens.css has no :root block"
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})\s*;", root.group(1)))


def luminance(hex_color: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_contrast_formula_matches_known_values() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic near miss


@pytest.mark.parametrize(("fg", "bg", "minimum"), PAIRS, ids=[f"{f}-on-{b}" for f, b, _ in PAIRS])
def test_palette_pair_meets_wcag_aa(fg: str, bg: str, minimum: float) -> None:
    palette = tokens()
    ratio = contrast(palette[fg], palette[bg])
    assert ratio >= minimum, f"--{fg} on --{bg} is {ratio:.2f}:1, needs {minimum}:1"


def test_every_color_token_is_checked() -> None:
    checked = {name for fg, bg, _ in PAIRS for name in (fg, bg)}
    unchecked = set(tokens()) - checked - DECORATIVE
    assert not unchecked, f"color tokens with no contrast check: {sorted(unchecked)}"


def test_scales_are_defined() -> None:
    root = re.search(r":root\s*\{(.*?)\}", TOKENS.read_text(), re.S).group(1)
    names = set(re.findall(r"--([\w-]+):", root))
    assert {f"space-{n}" for n in range(1, 7)} <= names
    assert {"text-sm", "text-base", "text-lg", "text-xl", "text-2xl"} <= names
    assert {"radius-sm", "radius", "radius-lg", "radius-pill"} <= names


def test_every_page_links_the_tokens_first() -> None:
    for path in (ROOT / "templates").rglob("*.html"):
        links = re.findall(r"filename='([\w-]+\.css)'", path.read_text())
        if links:
            assert links[0] == "tokens.css", f"{path.relative_to(ROOT)} links {links[0]} first"


@pytest.mark.parametrize("name", STYLESHEETS)
def test_stylesheet_has_no_color_outside_the_tokens(name: str) -> None:
    css = (STATIC / name).read_text()
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    literals = re.findall(r"#[0-9a-fA-F]{3,8}\b|\brgba?\(|\bhsla?\(", css)
    named = re.findall(r":\s*[^;{}]*\b(white|black|red|green|blue|gray|grey)\b", css)
    assert not literals and not named, f"{name}: use a token, not {literals or named}"


def test_charts_draw_with_token_colors_only() -> None:
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        literal = re.findall(r"(?:fill|stroke)=\"#[0-9a-fA-F]{3,8}\"", text)
        assert not literal, f"{path.relative_to(ROOT)}: draw with a chart class, not {literal}"


def badge_rule(meaning: str) -> str:
    css = DESIGN.read_text()
    rule = re.search(r"\.badge--" + meaning + r"\s*\{([^}]*)\}", css)
    assert rule, f".badge--{meaning} is not defined"
    return rule.group(1)


def test_badges_differ_by_color_and_border_style() -> None:
    meanings = ("ok", "wait", "stop", "unknown")
    color = r"(?<![-\w])color:\s*var\(--([\w-]+)\)"
    colors = {m: re.search(color, badge_rule(m)).group(1) for m in meanings}
    styles = {m: re.search(r"border-style:\s*(\w+)", badge_rule(m)).group(1) for m in meanings}
    assert len(set(colors.values())) == 4, colors
    assert len(set(styles.values())) == 4, styles


def test_templates_use_only_the_design_system_badges() -> None:
    defined = set(re.findall(r"\.badge--([\w-]+)", DESIGN.read_text()))
    used: dict[str, set[str]] = {}
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        old = re.findall(r"\b(?:badge-[a-z]+|tag-[a-z]+)\b|class=\"tag\b", text)
        assert not old, f"{path.relative_to(ROOT)} uses an old badge class: {old}"
        for modifier in re.findall(r"badge--([a-z]+)", text):
            used.setdefault(modifier, set()).add(path.name)
    assert used, "no template uses a badge"
    assert set(used) <= defined, {m: used[m] for m in set(used) - defined}


def test_public_space_badges_map_onto_the_meanings() -> None:
    from app.public.search_view import BADGES

    assert {code: b.kind for code, b in BADGES.items()} == {
        "has_room": "ok",
        "waitlist": "wait",
        "full": "stop",
        "assessment_required": "unknown",
        "unknown": "unknown",
    }
