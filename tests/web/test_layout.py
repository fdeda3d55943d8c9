"""The layout contracts that the phone and right-to-left pages rely on, checked without a browser:
error pages in the site's layout, labelled card cells, and a stylesheet of logical properties."""

import re
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser as HTMLParser

from helpdesk.core.models import Role

STYLESHEET = Path(__file__).parents[2] / "helpdesk" / "static" / "app.css"


def test_not_found_page_has_a_main_landmark_language_and_menu(client, login_as, make_user):
    login_as(make_user())
    response = client.get("/tickets/999999", headers={"Accept-Language": "fr"})
    assert response.status_code == 404
    page = HTMLParser(response.get_data(as_text=True))
    assert page.css_first("html").attributes["lang"] == "fr"
    assert page.css_first("main h1") is not None
    assert page.css_first("details#menu summary") is not None


def test_wrong_method_is_answered_in_the_layout_too(client, login_as, make_user, create_ticket):
    login_as(make_user())
    ticket = create_ticket("fr")
    response = client.get(f"/tickets/{ticket.id}/claim")
    assert response.status_code == 405
    assert HTMLParser(response.get_data(as_text=True)).css_first("main h1") is not None


def test_every_queue_cell_is_labelled_for_its_card(client, login_as, make_user, create_ticket):
    """On a phone the header row is hidden: each cell shows its column's name instead."""
    create_ticket("fr")
    create_ticket("ar")
    login_as(make_user(Role.COORDINATOR, languages=()))
    page = HTMLParser(client.get("/queue/all").get_data(as_text=True))
    cells = page.css("table.queue tbody td")
    assert cells
    untitled = {"cell-select", "cell-ref", "cell-lang", "cell-subject"}  # shown in the card's head
    for cell in cells:
        classes = set((cell.attributes.get("class") or "").split())
        assert cell.attributes.get("data-label") or classes & untitled, cell.html


def test_the_stylesheet_uses_logical_properties_only():
    """dir="rtl" mirrors the layout only if no rule names a physical side."""
    physical = re.compile(
        r"(?:margin|padding|border|inset)-(?:left|right)|(?<![-\w])(?:left|right)\s*:"
        r"|(?:text-align|float|clear)\s*:\s*(?:left|right)"
    )
    assert physical.findall(STYLESHEET.read_text()) == []
