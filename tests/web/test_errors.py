"""Refusals: services raise typed errors; the web says them in the reader's language."""

import importlib
import pkgutil
from dataclasses import fields

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale
from markupsafe import escape

import helpdesk.core
from config import PROJECT_ROOT
from helpdesk.core import errors as e
from helpdesk.core.models import ReplyTemplate, Role
from helpdesk.core.unit_of_work import unit_of_work
from helpdesk.errors import MESSAGES, describe


def _all_refusals() -> list[type[e.DomainError]]:
    """Every DomainError subclass anywhere in helpdesk.core (each module imported first)."""
    for module in pkgutil.walk_packages(helpdesk.core.__path__, "helpdesk.core."):
        importlib.import_module(module.name)
    found, pending = [], [e.DomainError]
    while pending:
        for sub in pending.pop().__subclasses__():
            found.append(sub)
            pending.append(sub)
    return found


def _concrete() -> list[type[e.DomainError]]:
    """Categories (TicketError…) only group refusals; what is raised has no subclasses."""
    return [kind for kind in _all_refusals() if not kind.__subclasses__()]


SAMPLES = {
    "int": 42,
    "str": "xx",
    "tuple[str, ...]": ("alpha", "beta"),
    "list[Message]": [],
    "dict[str, TemplateError]": {"fr": e.TemplateNameMissing()},
    "bool": True,
    "TemplateError": e.TemplateNameMissing(),
    "tuple[TemplateImportError, ...]": (e.TemplateImportSourceChanged("xx"),),
}


# Parameters a message may leave out: who asked is the reader; the id is on the page already.
NOT_SHOWN = {
    ("OversightRequired", "email"),
    ("TemplateEditingNotPermitted", "email"),
    ("NotQuarantined", "raw_mail_id"),
    ("SlaPolicyError", "field"),  # the message stands beside that field
    ("SlaPolicyError", "max_hours"),
    ("AddressSettingNotPermitted", "email"),
    ("NoReplyAddressError", "ticket_id"),
    ("MergeNeedsTwoTickets", "count"),  # the translated text says "exactly two"
    ("PasswordTooWeak", "score"),  # zxcvbn's reasons say more than its number
    ("PasswordTooWeak", "min_score"),
    ("TemplatePlaceholderMismatch", "missing"),  # chooses the sentence
    ("TemplateImportTextRefused", "reason"),  # told in its own words
    ("TemplateImportRejected", "errors"),  # each told in its own words
}


def _sample(kind: type[e.DomainError]) -> e.DomainError:
    return kind(**{f.name: SAMPLES[str(f.type)] for f in fields(kind)})


def test_every_refusal_has_a_translatable_message():
    missing = [kind.__name__ for kind in _concrete() if kind not in MESSAGES]
    assert missing == [], "add these to helpdesk/errors.py MESSAGES"
    assert len(_concrete()) >= 40


@pytest.mark.parametrize("locale", ["en", "fr", "ar"])
def test_every_message_renders_with_its_parameters(app, locale):
    with force_locale(locale):
        for kind in _concrete():
            error = _sample(kind)
            text = describe(error)
            assert text and "%(" not in text, kind.__name__
            assert text != str(error)
            for name, value in error.params.items():
                if isinstance(value, str | int) and (kind.__name__, name) not in NOT_SHOWN:
                    assert str(value) in text, (kind.__name__, text)


def test_str_of_a_refusal_is_for_logs_and_names_its_type():
    error = e.TagNameTooLong(64)
    assert str(error) == "TagNameTooLong(max_chars=64)"
    assert isinstance(error, e.TagError)


def _french(msgid: str, **params: str) -> str:
    path = PROJECT_ROOT / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        text = read_po(handle)[msgid].string
    assert text and text != msgid
    return str(escape(text % params))


@pytest.fixture
def french_coordinator(login_as, make_user, session):
    user = make_user(Role.COORDINATOR, languages=())
    with unit_of_work(session):
        user.locale = "fr"
    login_as(user)
    return user


def _bulk(post_form, data):
    page = "/queue/all"
    return post_form(page, "/queue/bulk", {"return_to": page, **data}, follow_redirects=True)


def test_bulk_refusals_are_shown_in_french(french_coordinator, create_ticket, post_form):
    tickets = [create_ticket("fr"), create_ticket("fr", subject="Encore")]
    page = _bulk(post_form, {"ticket_ids": [tickets[0].id], "merge": "1"}).get_data(as_text=True)
    assert _french("Tick exactly two tickets to merge them.") in page
    assert "Tick exactly two" not in page
    ids = [t.id for t in tickets]
    page = _bulk(post_form, {"ticket_ids": ids, "change_status": "1"}).get_data(as_text=True)
    assert _french("Choose a status.") in page


def test_a_template_refusal_is_shown_in_french_with_its_parameters(
    french_coordinator, post_form, session
):
    post_form("/admin/templates", "/admin/templates", {"name": "Horaires", "create": "1"})
    template = session.query(ReplyTemplate).filter_by(key="horaires").one()
    page_url = f"/admin/templates/{template.id}"
    response = post_form(
        page_url,
        f"{page_url}/texts",
        {"fr-name": "H", "fr-body": "Bonjour {kunde}", "fr-save": "1"},
    )
    assert response.status_code == 400
    expected = _french(
        "Unknown placeholder %(names)s. This template can use: %(allowed)s",
        names="{kunde}",
        allowed="{requester_name}, {ticket_ref}, {liaison_name}, {subject}",
    )
    assert expected in response.get_data(as_text=True)
