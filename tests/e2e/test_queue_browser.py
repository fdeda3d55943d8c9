"""In a real browser: a coordinator filters the queue, reassigns a ticket to another liaison with
the bulk action, and sees the new assignee on the same filtered page."""

import pytest

from helpdesk.core.models import Role

from ..factories import PASSWORD
from .conftest import ARTIFACTS

pytestmark = [pytest.mark.browser]


def test_coordinator_filters_and_reassigns(
    live_server,
    browser_page,
    make_user,
    create_ticket,
):
    camille = make_user(languages=("fr",), name="Camille Durand")
    zoe = make_user(languages=("fr", "de"), name="Zoé Martin", email="zoe@example.org")
    coordinator = make_user(Role.COORDINATOR, languages=(), email="coord@example.org")
    french = create_ticket("fr", subject="Question sur la réunion")
    create_ticket("de", subject="Frage zum Treffen")
    create_ticket("es", subject="Pregunta sobre la reunión")
    assert french.assignee_id == camille.id
    french_id, zoe_id = french.id, zoe.id
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser_page

    page.goto(f"{live_server}/")
    page.fill("#email", coordinator.email)
    page.fill("#password", PASSWORD)
    page.click("#submit")
    page.wait_for_url("**/dashboard/")  # coordinators land on the dashboard
    page.goto(f"{live_server}/queue/all")
    assert page.locator("table.queue tbody tr").count() == 3

    page.select_option("#language", "fr")
    page.click("#apply")
    page.wait_for_url("**/queue/all?*language=fr*")
    assert page.locator("table.queue tbody tr").count() == 1
    page.screenshot(path=ARTIFACTS / "queue-coordinator-filtered.png", full_page=True)

    page.check(f"#ticket-{french_id} input[name=ticket_ids]")
    page.select_option("#bulk-assignee", str(zoe_id))
    page.click("#assign")
    page.wait_for_selector(".flash-success")
    assert "1 ticket(s) reassigned." in page.inner_text(".flash-success")
    assert "language=fr" in page.url  # back on the filtered page
    assert page.inner_text(f"#ticket-{french_id} .assignee") == "Zoé Martin"
    page.screenshot(path=ARTIFACTS / "queue-coordinator-reassigned.png", full_page=True)
