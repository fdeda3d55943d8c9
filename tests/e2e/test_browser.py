"""In a real browser: a French liaison signs in, answers the oldest French ticket with the French
template (found with the type-ahead, picked with the page's own script), the draft survives a
reload, "Send and resolve" sends it, and the reply reaches an SMTP sink."""

import json
import threading

import pytest

from helpdesk.workers.outbox import run_outbox_worker

from ..conftest import wait_for
from .conftest import ARTIFACTS

pytestmark = [pytest.mark.browser]


def test_liaison_answers_in_the_browser(app, runner, live_server, browser_page, smtp_sink):
    assert runner.invoke(args=["demo"]).exit_code == 0
    accounts = json.loads((app.config["DATA_DIR"] / "demo-accounts.json").read_text())
    password = next(p for email, p, _ in accounts if email == "camille@example.org")
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser_page

    page.goto(f"{live_server}/")
    page.fill("#email", "camille@example.org")
    page.fill("#password", password)
    page.click("#submit")
    page.wait_for_selector("table.queue")
    page.screenshot(path=ARTIFACTS / "queue-french-liaison.png", full_page=True)

    page.click("table.queue tbody tr:first-child td:nth-child(4) a")
    page.wait_for_selector("#template")
    french = page.locator("#template option", has_text="fr · ").first
    # The type-ahead finds it by a word of its name and picks it, which fills the composer.
    name = french.get_attribute("data-name")
    page.fill("#template-search", name.split()[0].lower())
    page.locator("#template-search-results button", has_text=name).first.click()
    assert page.input_value("#template") == french.get_attribute("value")
    assert page.input_value("#body").strip()
    page.fill("#body", "")
    page.select_option("#template", value=french.get_attribute("value"))
    body = page.input_value("#body")
    assert "Camille Durand" in body and "{requester_name}" not in body
    page.screenshot(path=ARTIFACTS / "ticket-french-template.png", full_page=True)
    page.fill("#body", body + "\nP.S. À bientôt.")
    ticket_url = page.url
    page.reload()
    assert page.input_value("#body") == body + "\nP.S. À bientôt."  # the draft survived
    page.screenshot(path=ARTIFACTS / "ticket-draft-after-reload.png", full_page=True)
    page.click("#send_resolve")
    page.wait_for_selector(".flash-success")
    assert "queued" in page.inner_text(".flash-success")
    assert "resolved" in page.inner_text(".sidebar .status")
    assert page.input_value("#body") == ""
    page.goto(ticket_url)
    assert page.input_value("#body") == ""  # the sent draft is gone

    app.config.update(SMTP_HOST=smtp_sink.host, SMTP_PORT=smtp_sink.port, SMTP_SECURITY="none")
    stop = threading.Event()
    worker = threading.Thread(target=run_outbox_worker, args=(app, stop))
    worker.start()

    def answers():  # not the automatic acknowledgements the demo tickets got
        return [m for m in smtp_sink.handler.messages if m["Auto-Submitted"] is None]

    try:
        wait_for(answers)
    finally:
        stop.set()
        worker.join(timeout=10)
    [mail] = answers()
    assert mail["Content-Language"] == "fr"
    assert mail["In-Reply-To"]
    assert "Camille Durand" in mail.get_body(("plain",)).get_content()
    assert "P.S. À bientôt." in mail.get_body(("html",)).get_content()
    page.reload()
    page.screenshot(path=ARTIFACTS / "ticket-after-reply.png", full_page=True)
    assert "sent" in page.locator(".message-out .delivery").last.inner_text()
