"""Every page, at desktop and phone width (and the liaison's pages in Arabic): axe-core finds no
serious or critical WCAG 2.1 AA violation, the pages a liaison answers from fit a 390 px phone
without sideways scrolling, the menu folds on a phone, and Arabic mirrors the layout.

One browser, one signed-in context per width and language, every page visited in a loop inside
one test: the file costs seconds, not minutes. Screenshots land in test-artifacts/."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from helpdesk.core.models import Role
from helpdesk.core.services.reply_templates import save_template
from helpdesk.core.unit_of_work import unit_of_work

from ..factories import PASSWORD, make_mail
from .conftest import ARTIFACTS, collect_errors

pytestmark = [pytest.mark.browser]

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
MUST_FIT = {"queue", "ticket", "composer"}  # what a liaison answers from on a phone
# Controls a finger must hit, visible and less than 44 px high (links in running text excepted).
SMALL_TARGETS = """[...document.querySelectorAll(
    'button, select, textarea, summary, nav a, input:not([type=hidden]):not([type=checkbox])')]
  .filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 44)
  .map(e => e.outerHTML.slice(0, 80))"""
LONG_WORD = "Antragsformularbearbeitungsrückfragenweiterleitungsbestätigung" * 3
LONG_URL = "https://example.org/" + "unterlagen/" * 30 + "formular.pdf"


@dataclass
class Desk:
    base: str
    admin_email: str
    ticket_id: int
    template_id: int


@pytest.fixture
def desk(session, make_user, create_ticket, deliver, live_server) -> Desk:
    """A few tickets, a reply template, an admin, and a ticket full of long unbroken strings."""
    admin = make_user(Role.ADMIN, languages=("fr", "ar"), name="Admin")
    for language in ("fr", "ar", "de"):
        create_ticket(language)
    quoted = "\n".join(f"> {LONG_URL} {n}" for n in range(30))
    result = deliver(
        make_mail(
            subject=f"Re: {LONG_WORD}",
            body=f"Bonjour,\n{LONG_WORD}\n{LONG_URL}\n\nLe 1 déc. 2026, help a écrit :\n{quoted}",
            sender=f"{'a' * 60}@{'sous-domaine-tres-long.' * 4}example.fr",
            sender_name=LONG_WORD,
        )
    )
    assert result.ticket_id is not None
    with unit_of_work(session):
        template = save_template(
            session,
            "thanks",
            "Thanks",
            {"fr": ("Merci", "Bonjour {requester_name},\nmerci."), "de": ("Danke", "Danke.")},
        )
    return Desk(live_server, admin.email, result.ticket_id, template.id)


def _pages(desk: Desk) -> dict[str, str]:
    return {
        "queue": "/queue/all",
        "ticket": f"/tickets/{desk.ticket_id}",
        "search": "/search?q=Antragsformular",
        "dashboard": "/dashboard/",
        "report": "/dashboard/report",
        "account": "/account",
        "quarantine": "/admin/quarantine",
        "languages": "/admin/languages",
        "templates": "/admin/templates",
        "template-editor": f"/admin/templates/{desk.template_id}",
        "template-history": f"/admin/templates/{desk.template_id}/history/fr",
        "administration": "/admin/",
        "users": "/admin/users",
        "mailboxes": "/admin/mailboxes",
        "outgoing-mail": "/admin/outgoing-mail",
        "retention": "/admin/retention",
        "audit-log": "/admin/audit",
        "account-security": "/account/security",
        "not-found": "/tickets/999999",
    }


class Inspector:
    """Runs the checks on each page of one context and gathers what fails, so that one run
    reports every problem at once."""

    def __init__(self, page: Page, label: str) -> None:
        self.page, self.label = page, label
        self.phone = page.viewport_size is not None and page.viewport_size["width"] < 600
        self.axe = Axe()
        self.problems: list[str] = []

    def check(self, name: str) -> None:
        results = self.axe.run(self.page, options=AXE_OPTIONS).response
        for violation in results["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [node["target"] for node in violation["nodes"]][:5]
                self.problems.append(f"{self.label} {name}: {violation['id']} {targets}")
        if name in MUST_FIT:
            if self.phone:
                self._fits(name)
            self.page.screenshot(path=ARTIFACTS / f"{name}-{self.label}.png", full_page=True)

    def _fits(self, name: str) -> None:
        scroll, inner = self.page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        if scroll > inner:
            self.problems.append(f"{self.label} {name}: {scroll} px wide, more than {inner}")
        for target in self.page.evaluate(SMALL_TARGETS):
            self.problems.append(f"{self.label} {name}: under 44 px high: {target}")


def _sign_in(page: Page, desk: Desk) -> None:
    page.goto(f"{desk.base}/auth/login")
    page.fill("#email", desk.admin_email)
    page.fill("#password", PASSWORD)
    page.click("#submit")
    page.wait_for_selector("main h1")


def _open_composer(page: Page, desk: Desk) -> None:
    page.goto(f"{desk.base}/tickets/{desk.ticket_id}")
    page.select_option("#template", index=1)
    expect(page.locator("#body")).not_to_have_value("")
    page.locator("#composer").scroll_into_view_if_needed()


def _tour(chromium, desk: Desk, label: str, viewport: dict, locale: str, names) -> list[str]:
    context = chromium.new_context(viewport=viewport, locale=locale)
    page = context.new_page()
    errors = collect_errors(page)
    inspector = Inspector(page, label)
    page.goto(f"{desk.base}/auth/login")
    inspector.check("sign-in")
    _sign_in(page, desk)
    for name, path in _pages(desk).items():
        if name in names:
            page.goto(desk.base + path)
            inspector.check(name)
    _open_composer(page, desk)
    inspector.check("composer")
    if label == "phone-ar":
        _check_menu_and_direction(page, desk)
    context.close()
    # the 404 page's own status is logged as a failed load; anything else is a real error
    return inspector.problems + [e for e in errors if "404" not in e]


def _check_menu_and_direction(page: Page, desk: Desk) -> None:
    """On a phone the menu folds behind a button (a <details>, so its state is exposed and it
    works without script); in Arabic the brand starts on the right and the button on the left."""
    page.goto(f"{desk.base}/queue/all")
    menu_button = page.locator("summary.menu-button")
    all_open = page.locator(".views a[href$='/queue/all']")
    expect(all_open).to_be_hidden()
    menu_button.click()
    expect(all_open).to_be_visible()
    assert page.locator("#menu").get_attribute("open") is not None
    assert page.locator("html").get_attribute("dir") == "rtl"
    brand, button = page.locator(".brand").bounding_box(), menu_button.bounding_box()
    assert brand and button and brand["x"] > button["x"]
    page.screenshot(path=ARTIFACTS / "menu-open-phone-ar.png")
    page.set_viewport_size(DESKTOP)
    expect(menu_button).to_be_hidden()
    expect(all_open).to_be_visible()


def test_every_page_is_accessible_and_fits_a_phone(chromium, desk):
    ARTIFACTS.mkdir(exist_ok=True)
    every = set(_pages(desk))
    problems = _tour(chromium, desk, "desktop", DESKTOP, "en", every)
    problems += _tour(chromium, desk, "phone", PHONE, "en", every)
    problems += _tour(chromium, desk, "phone-ar", PHONE, "ar", {"queue", "ticket"})
    assert not problems, "\n".join(problems)
