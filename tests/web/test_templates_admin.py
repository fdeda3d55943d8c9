"""The template editor: coordinators and admins write templates in every language; liaisons
use them. Texts are refused with a reason, kept as written; saved texts reach the composer and
the automatic acknowledgement."""

import pytest

from helpdesk.core.models import (
    AuditEntry,
    Direction,
    Message,
    ReplyTemplate,
    ReplyTemplateVariant,
    Role,
    Ticket,
)
from helpdesk.core.services.reply_templates import save_template
from helpdesk.core.unit_of_work import unit_of_work
from helpdesk.database import seed_acknowledgement_texts

from ..conftest import csrf_token
from ..factories import sample_mail
from .template_pages import matrix_states

LIST = "/admin/templates"


def _create(post_form, name="Opening hours", key=""):
    return post_form(LIST, LIST, {"name": name, "key": key, "create": "1"})


def _template(session, key="opening_hours"):
    return session.query(ReplyTemplate).filter_by(key=key).one()


def _save_texts(post_form, template_id, texts, button="save_all"):
    """``texts`` is ``{code: (name, body)}``; ``button`` is ``save_all`` or a language code."""
    data = {}
    for code, (name, body) in texts.items():
        data[f"{code}-name"], data[f"{code}-body"] = name, body
    data["save_all" if button == "save_all" else f"{button}-save"] = "1"
    page = f"{LIST}/{template_id}"
    return post_form(page, f"{page}/texts", data)


@pytest.fixture
def coordinator(client, login_as, make_user):
    user = make_user(Role.COORDINATOR)
    login_as(user)
    return user


def test_liaisons_get_403_on_every_route(client, login_as, make_user, session):
    with unit_of_work(session):
        template = save_template(session, "thanks", "Thanks", {"fr": ("Merci", "Merci")})
    login_as(make_user(Role.LIAISON))
    home = client.get("/", follow_redirects=True)
    assert home.status_code == 200 and "/admin/templates" not in home.get_data(as_text=True)
    for url in (LIST, f"{LIST}/{template.id}", f"{LIST}/{template.id}/delete"):
        assert client.get(url).status_code == 403
    token = csrf_token(client.get("/account").get_data(as_text=True))
    for url, data in (
        (LIST, {"name": "Mine", "create": "1"}),
        (f"{LIST}/{template.id}/name", {"name": "Mine", "rename": "1"}),
        (f"{LIST}/{template.id}/texts", {"fr-name": "M", "fr-body": "Mine", "save_all": "1"}),
        (f"{LIST}/{template.id}/delete", {"confirm": "1"}),
    ):
        assert client.post(url, data={**data, "csrf_token": token}).status_code == 403, url
    session.expire_all()
    assert [(t.name, [v.body for v in t.variants]) for t in session.query(ReplyTemplate)] == [
        ("Thanks", ["Merci"])
    ]


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN])
def test_coordinators_and_admins_see_the_editor_in_the_nav(client, login_as, make_user, role):
    login_as(make_user(role))
    assert 'href="/admin/templates"' in client.get(LIST).get_data(as_text=True)


def test_list_shows_missing_languages_and_the_acknowledgement_apart(client, session, coordinator):
    with unit_of_work(session):
        seed_acknowledgement_texts()
        save_template(
            session,
            "thanks",
            "Thanks",
            {
                code: ("Thanks", "Thanks")
                for code in ("ar", "de", "en", "es", "fr", "pt", "ru", "zh")
            },
        )
    page = client.get(LIST).get_data(as_text=True)
    thanks = _template(session, "thanks")
    states = matrix_states(page, thanks.id)
    assert [code for code, state in states.items() if state == "missing"] == ["hi", "ja"]
    assert states["en"] == "source" and states["fr"] == "current"
    system = page[page.index("System templates") :]
    assert "Automatic acknowledgement" in system and "Thanks" not in system


def test_create_derives_the_key_and_opens_the_template(client, session, coordinator, post_form):
    response = _create(post_form, "Opening hours")
    template = _template(session)
    assert response.status_code == 302
    assert response.headers["Location"] == f"{LIST}/{template.id}"
    page = client.get(f"{LIST}/{template.id}").get_data(as_text=True)
    assert "opening_hours" in page and "{liaison_name}" in page
    assert 'lang="ar" dir="rtl"' in page and 'lang="fr" dir="ltr"' in page


def test_create_with_a_typed_key_and_bad_input_re_renders(client, session, coordinator, post_form):
    assert _create(post_form, "営業時間", "hours_ja").status_code == 302
    assert _template(session, "hours_ja").name == "営業時間"
    response = _create(post_form, "夜間の受付")
    assert response.status_code == 400
    assert "The name gives no key" in response.get_data(as_text=True)
    response = _create(post_form, "Other", "hours_ja")
    assert response.status_code == 400
    assert "already taken" in response.get_data(as_text=True)
    response = _create(post_form, "Other", "Bad Key")
    assert response.status_code == 400
    assert "Use letters a-z" in response.get_data(as_text=True)
    assert client.post(LIST, data={"name": "No token", "create": "1"}).status_code == 400
    assert session.query(ReplyTemplate).count() == 1


def test_rename(client, session, coordinator, post_form):
    _create(post_form)
    template = _template(session)
    page = f"{LIST}/{template.id}"
    response = post_form(page, f"{page}/name", {"name": "Office hours", "rename": "1"})
    assert response.status_code == 302
    session.expire_all()
    assert (_template(session).name, _template(session).key) == ("Office hours", "opening_hours")
    assert post_form(page, f"{page}/name", {"name": "", "rename": "1"}).status_code == 400


def test_save_all_languages_then_one_and_empty_removes(client, session, coordinator, post_form):
    _create(post_form)
    template_id = _template(session).id
    response = _save_texts(
        post_form,
        template_id,
        {
            "fr": ("Horaires", "Bonjour {requester_name}"),
            "ar": ("مواعيد", "مرحبا {requester_name}"),
        },
    )
    assert response.status_code == 302
    session.expire_all()
    assert {v.language_code: v.body for v in _template(session).variants} == {
        "ar": "مرحبا {requester_name}",
        "fr": "Bonjour {requester_name}",
    }
    # one language only: the other languages' fields are not saved
    response = _save_texts(
        post_form,
        template_id,
        {"fr": ("Horaires", "Salut"), "ar": ("مواعيد", ""), "de": ("Zeiten", "Hallo")},
        button="fr",
    )
    assert response.status_code == 302
    session.expire_all()
    assert {v.language_code: v.body for v in _template(session).variants} == {
        "ar": "مرحبا {requester_name}",
        "fr": "Salut",
    }
    _save_texts(post_form, template_id, {"ar": ("مواعيد", "")}, button="ar")
    session.expire_all()
    assert [v.language_code for v in _template(session).variants] == ["fr"]


def test_unknown_placeholder_re_renders_with_its_name_and_the_text_kept(
    client, session, coordinator, post_form
):
    _create(post_form)
    template_id = _template(session).id
    response = _save_texts(
        post_form,
        template_id,
        {"fr": ("Horaires", "Bonjour"), "de": ("Zeiten", "Hallo {kunde} <b>fett</b>")},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Unknown placeholder {kunde}" in page
    assert "Hallo {kunde} &lt;b&gt;fett&lt;/b&gt;" in page  # kept, and as text
    assert "<b>fett</b>" not in page
    session.expire_all()
    assert _template(session).variants == []  # all or nothing


def test_delete_asks_then_deletes_but_never_the_acknowledgement(
    client, session, coordinator, post_form
):
    with unit_of_work(session):
        seed_acknowledgement_texts()
    _create(post_form)
    template = _template(session)
    _save_texts(post_form, template.id, {"fr": ("Horaires", "Bonjour")}, button="fr")
    confirm = f"{LIST}/{template.id}/delete"
    assert "Delete this template and all its texts" in client.get(confirm).get_data(as_text=True)
    response = post_form(confirm, confirm, {"confirm": "1"})
    assert response.status_code == 302
    assert session.query(ReplyTemplate).filter_by(key="opening_hours").count() == 0
    (entry,) = session.query(AuditEntry).filter_by(action="template_deleted").all()
    assert entry.before["key"] == "opening_hours" and entry.before["languages"] == ["fr"]
    assert session.query(ReplyTemplateVariant).filter_by(language_code="fr").count() == 1  # ack
    ack = _template(session, "auto_acknowledgement")
    assert "Delete this template" not in client.get(f"{LIST}/{ack.id}").get_data(as_text=True)
    post_form(f"{LIST}/{ack.id}", f"{LIST}/{ack.id}/delete", {"confirm": "1"})
    assert session.get(ReplyTemplate, ack.id) is not None


def test_acknowledgement_edited_in_the_editor_is_what_the_next_ticket_gets(
    client, session, coordinator, post_form, deliver
):
    with unit_of_work(session):
        seed_acknowledgement_texts()
    ack_id = _template(session, "auto_acknowledgement").id
    body = "Guten Tag {requester_name}: {ticket_ref} / {subject} / {response_hours} Stunden."
    response = _save_texts(post_form, ack_id, {"de": ("Eingang", body)}, button="de")
    assert response.status_code == 302
    result = deliver(sample_mail("de"))
    ticket = session.get(Ticket, result.ticket_id)
    ack = session.query(Message).filter_by(ticket_id=ticket.id, direction=Direction.OUT).one()
    assert ack.text == (
        f"Guten Tag {ticket.requester.display_name}: {ticket.reference} / {ticket.subject} / "
        f"{ticket.language.sla_policy.first_response_hours} Stunden."
    )


def test_acknowledgement_refuses_reply_placeholders(client, session, coordinator, post_form):
    with unit_of_work(session):
        seed_acknowledgement_texts()
    ack_id = _template(session, "auto_acknowledgement").id
    response = _save_texts(post_form, ack_id, {"en": ("Ack", "I am {liaison_name}")}, button="en")
    assert response.status_code == 400
    assert "Unknown placeholder {liaison_name}" in response.get_data(as_text=True)


def test_template_created_in_the_editor_is_offered_in_the_ticket_s_language(
    client, session, login_as, make_user, post_form, create_ticket
):
    login_as(make_user(Role.COORDINATOR))
    _create(post_form, "Opening hours")
    template_id = _template(session).id
    _save_texts(
        post_form,
        template_id,
        {
            "ja": ("営業時間", "{requester_name} 様、受付番号 {ticket_ref}"),
            "fr": ("Horaires", "Bonjour"),
        },
    )
    ticket = create_ticket("ja")
    post_form("/account", "/auth/logout", {})
    login_as(make_user(languages=("ja",)))
    page = client.get(f"/tickets/{ticket.id}").get_data(as_text=True)
    assert page.index("ja · 営業時間") < page.index("fr · Horaires")
    assert f"{ticket.requester.display_name} 様、受付番号 {ticket.reference}" in page


def test_enter_in_any_field_saves_every_language(client, session, coordinator, post_form):
    """Browsers submit a form with its first submit button when Enter is pressed in a field."""
    import re

    _create(post_form)
    page = client.get(f"{LIST}/{_template(session).id}").get_data(as_text=True)
    form = page[page.index('class="template-texts"') :]
    first_submit = re.search(r'<input[^>]*type="submit"[^>]*>', form).group(0)
    assert 'name="save_all"' in first_submit
