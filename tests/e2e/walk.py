"""Helpers for the role walks in a real browser: sign in, count page loads, run axe-core, and
save screenshots (a full-page artifact of every main page, and small README pictures on demand).

Artifacts go to E2E_SCREENSHOTS when it names a folder, otherwise to the test's tmp_path.
README pictures are written only when E2E_README_SHOTS names a folder (docs/screenshots via
`make screenshots`): the top of the page as seen (not the full page), shrunk to at most 640 px
wide and reduced to a 256-colour palette so each PNG stays small.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

README_WIDTH = 640  # px: a desktop shot is halved; a 360 px phone shot keeps its size
README_MAX_BYTES = 150_000

DEMO_PASSWORDS = {
    "admin@example.org": "demo-admin-2026",
    "counselor@example.org": "demo-counselor-2026",
    "provider@example.org": "demo-provider-2026",
    "analyst@example.org": "demo-analyst-2026",
}


def new_page(browser, width: int):  # noqa: ANN001,ANN201
    """A fresh browser context (no cookies) at this width; bypass_csp lets the test inject
    axe-core, the app's own pages never need inline script."""
    height = 740 if width <= 480 else 900
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="en-US", bypass_csp=True
    )
    return context, context.new_page()


def sign_in(page, base: str, email: str) -> None:  # noqa: ANN001
    page.goto(base + "/account/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORDS[email])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def count_loads(page) -> list[str]:  # noqa: ANN001
    """Every document the main frame commits to from now on (a followed redirect is one)."""
    loads: list[str] = []
    page.on("framenavigated", lambda frame: frame == page.main_frame and loads.append(frame.url))
    return loads


WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")


def axe_problems(page, axe_source: str, tags: tuple[str, ...] = WCAG_TAGS) -> list[str]:  # noqa: ANN001
    """Serious or critical problems axe-core finds on the page as it stands (WCAG 2.1 A/AA
    unless other axe tags are given)."""
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        list(tags),
    )
    return [
        f"{page.url}: {v['id']} ({v['impact']}): {v['help']} — "
        f"{[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def no_sideways_scroll(page, width: int) -> None:  # noqa: ANN001
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll}px wide at a {width}px viewport"


PHONE_HEADER_MAX = 100  # px: the page starts on the first screen (the admin header was 168)


def short_header(page, width: int) -> None:  # noqa: ANN001
    """On a phone the header takes at most two short lines, whatever the role's links."""
    if width > 480:
        return
    height = page.evaluate("document.querySelector('body > header').getBoundingClientRect().height")
    assert height <= PHONE_HEADER_MAX, f"{page.url}: header {height}px tall at {width}px"


class Visit:
    """Collects axe problems over a walk, to assert once at the end; sideways scrolling and a tall
    phone header fail at once."""

    def __init__(self, page, width: int, axe_source: str) -> None:  # noqa: ANN001
        self.page, self.width, self.axe_source = page, width, axe_source
        self.problems: list[str] = []

    def check(self) -> None:
        no_sideways_scroll(self.page, self.width)
        short_header(self.page, self.width)
        self.problems += axe_problems(self.page, self.axe_source)

    def assert_clean(self) -> None:
        assert self.problems == [], "\n".join(self.problems)


class Shots:
    """Screenshots of the main pages of a walk."""

    def __init__(self, folder: Path, readme: Path | None) -> None:
        self.folder = folder
        self.readme = readme
        self.saved: list[Path] = []

    @classmethod
    def for_test(cls, tmp_path: Path) -> Shots:
        folder = Path(os.environ.get("E2E_SCREENSHOTS") or tmp_path / "screenshots")
        folder.mkdir(parents=True, exist_ok=True)
        readme = os.environ.get("E2E_README_SHOTS")
        if readme:
            Path(readme).mkdir(parents=True, exist_ok=True)
        return cls(folder, Path(readme) if readme else None)

    def take(self, page, name: str, width: int, *, readme: bool = False) -> Path:  # noqa: ANN001
        """A full-page artifact `<name>-<width>.png`; with readme=True and E2E_README_SHOTS
        set, also the small README picture of the same page."""
        path = self.folder / f"{name}-{width}.png"
        page.screenshot(path=str(path), full_page=True)
        self.saved.append(path)
        if readme and self.readme is not None:
            target = self.readme / f"{name}-{width}.png"
            target.write_bytes(small_png(page.screenshot(full_page=False)))
            assert target.stat().st_size < README_MAX_BYTES, (target, target.stat().st_size)
            self.saved.append(target)
        return path


def small_png(png: bytes) -> bytes:
    """Shrink to README_WIDTH at most and keep 256 colours: screenshots of flat pages lose
    nothing visible and shrink about five-fold."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    if image.width > README_WIDTH:
        height = round(image.height * README_WIDTH / image.width)
        image = image.resize((README_WIDTH, height), Image.Resampling.LANCZOS)
    image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
