"""Translations in the template editor: the matrix, confirming, history, details, PO files
out and in; and the composer's picker (categories, most used first, counted on sending)."""

import io
import zipfile

import polib
import pytest

from helpdesk.core.models import ReplyTemplate, Role
from helpdesk.core.services.reply_templates import save_template
from helpdesk.core.unit_of_work import unit_of_work

from ..conftest import csrf_token
from .template_pages import matrix_states

LIST = "/admin/templates"


@pytest.fixture
def coordinator(login_as, make_user):
    user = make_user(Role.COORDINATOR, name="Chloé")
    login_as(user)
    return user


@pytest.fixture
def hours(session):
    """English source, French current, then the English changes: French is outdated."""
    with unit_of_work(session):
        save_template(
            session,
            "hours",
            "Hours",
            {"en": ("Hours", "Hi {requester_name}, 9 am."), "fr": ("Horaires", "Bonjour, 9 h.")},
        )
    with unit_of_work(session):
        template = save_template(
            session, "hours", "Hours", {"en": ("Hours", "Hi {requester_name}, 10 am.")}
        )
    return template


def _get(client, url):
    return client.get(url).get_data(as_text=True)


def test_matrix_shows_each_state_in_words_and_filters(client, session, coordinator, hours):
    with unit_of_work(session):
        save_template(session, "thanks", "Thanks", {"en": ("Thanks", "Thanks")})
    thanks = session.query(ReplyTemplate).filter_by(key="thanks").one()
    page = _get(client, LIST)
    states = matrix_states(page, hours.id)
    assert (states["en"], states["fr"], states["de"]) == ("source", "outdated", "missing")
    only_fr = _get(client, f"{LIST}?language=fr")
    assert list(matrix_states(only_fr, hours.id)) == ["fr"]
    outdated = _get(client, f"{LIST}?language=fr&state=outdated")
    assert f'id="template-{hours.id}"' in outdated and f'id="template-{thanks.id}"' not in outdated
    missing = _get(client, f"{LIST}?language=fr&state=missing")
    assert f'id="template-{hours.id}"' not in missing and f'id="template-{thanks.id}"' in missing


def test_still_correct_makes_the_translation_current(client, session, coordinator, hours):
    page_url = f"{LIST}/{hours.id}"
    page = _get(client, page_url)
    assert 'name="confirm" value="fr"' in page and 'name="confirm" value="de"' not in page
    response = client.post(
        f"{page_url}/confirm", data={"confirm": "fr", "csrf_token": csrf_token(page)}
    )
    assert response.status_code == 302
    assert matrix_states(_get(client, LIST), hours.id)["fr"] == "current"
    assert client.post(f"{page_url}/confirm", data={"confirm": "fr"}).status_code == 400


def test_history_page_shows_authors_and_an_escaped_diff(
    client, session, coordinator, hours, post_form
):
    page_url = f"{LIST}/{hours.id}"
    post_form(
        page_url,
        f"{page_url}/texts",
        {"fr-name": "Horaires", "fr-body": "Bonjour <script>x</script>, 10 h.", "fr-save": "1"},
    )
    page = _get(client, f"{page_url}/history/fr")
    assert "Chloé" in page and "the system" in page
    assert "<script>x</script>" not in page
    assert "&lt;script&gt;x&lt;/script&gt;, 10 h." in page
    assert 'class="del"' in page and 'class="add"' in page
    assert client.get(f"{page_url}/history/xx").status_code == 404


def test_details_set_category_and_source_language(client, session, coordinator, hours, post_form):
    page_url = f"{LIST}/{hours.id}"
    response = post_form(
        page_url,
        f"{page_url}/name",
        {"name": "Hours", "category": "Practical", "source_language": "fr", "rename": "1"},
    )
    assert response.status_code == 302
    session.expire_all()
    template = session.get(ReplyTemplate, hours.id)
    assert (template.category, template.source_language) == ("Practical", "fr")
    states = matrix_states(_get(client, LIST), hours.id)
    assert (states["fr"], states["en"]) == ("source", "current")


def test_export_one_language_and_all_languages(client, session, coordinator, hours):
    response = client.get(f"{LIST}/export?language=fr&what=todo")
    assert response.status_code == 200
    assert "templates-fr.po" in response.headers["Content-Disposition"]
    po = polib.pofile(response.get_data(as_text=True))
    body = po.find("Hi {requester_name}, 10 am.", msgctxt="hours|body")
    assert body.fuzzy and body.msgstr == "Bonjour, 9 h."
    assert body.previous_msgid == "Hi {requester_name}, 9 am."
    every = client.get(f"{LIST}/export?language=all&what=missing")
    with zipfile.ZipFile(io.BytesIO(every.get_data())) as archive:
        names = set(archive.namelist())
    assert "templates-de.po" in names and "templates-fr.po" not in names
    assert client.get(f"{LIST}/export?language=xx").status_code == 404


def _upload(client, data: bytes, dry_run=False):
    token = csrf_token(_get(client, LIST))
    form = {"csrf_token": token, "file": (io.BytesIO(data), "fr.po"), "upload": "1"}
    if dry_run:
        form["dry_run"] = "y"
    return client.post(
        f"{LIST}/import", data=form, content_type="multipart/form-data", follow_redirects=True
    )


def _translated(client, text):
    po = polib.pofile(client.get(f"{LIST}/export?language=fr").get_data(as_text=True))
    entry = po.find("Hi {requester_name}, 10 am.", msgctxt="hours|body")
    entry.msgstr, entry.flags = text, []
    return str(po).encode()


def test_import_a_translated_file(client, session, coordinator, hours):
    data = _translated(client, "Bonjour {requester_name}, 10 h.")
    checked = _upload(client, data, dry_run=True)
    assert "nothing saved" in checked.get_data(as_text=True)
    session.expire_all()
    assert session.get(ReplyTemplate, hours.id).variant("fr").body == "Bonjour, 9 h."
    response = _upload(client, data)
    assert response.status_code == 200
    assert "Imported 1 text in fr" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(ReplyTemplate, hours.id).variant("fr").body == (
        "Bonjour {requester_name}, 10 h."
    )
    assert matrix_states(response.get_data(as_text=True), hours.id)["fr"] == "current"


def test_a_bad_file_re_renders_the_form_with_the_reason(client, session, coordinator, hours):
    response = _upload(client, _translated(client, "Bonjour, 10 h."))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Template hours: the translation lacks the placeholder {requester_name}." in page
    assert _upload(client, b"not a po file").status_code == 400
    session.expire_all()
    assert session.get(ReplyTemplate, hours.id).variant("fr").body == "Bonjour, 9 h."


def test_liaisons_cannot_export_import_confirm_or_read_history(
    client, session, login_as, make_user, hours
):
    login_as(make_user(Role.LIAISON))
    token = csrf_token(_get(client, "/account"))
    assert client.get(f"{LIST}/export?language=fr").status_code == 403
    assert client.get(f"{LIST}/{hours.id}/history/fr").status_code == 403
    upload = {"csrf_token": token, "file": (io.BytesIO(b"x"), "fr.po"), "upload": "1"}
    assert client.post(f"{LIST}/import", data=upload).status_code == 403
    confirm = {"csrf_token": token, "confirm": "fr"}
    assert client.post(f"{LIST}/{hours.id}/confirm", data=confirm).status_code == 403


def test_picker_groups_by_category_and_counts_uses_on_sending(
    client, session, login_as, make_user, create_ticket, post_form
):
    with unit_of_work(session):
        for key, name, category in (("a", "Alpha", ""), ("b", "Beta", "Money"), ("c", "Gamma", "")):
            template = save_template(session, key, name, {"fr": (name, f"{name} {{subject}}")})
            template.category = category
    login_as(make_user(languages=("fr",)))
    ticket = create_ticket("fr")
    url = f"/tickets/{ticket.id}"
    page = _get(client, url)
    assert page.index('label="Money"') < page.index('label="No category"')
    assert page.index("fr · Alpha") < page.index("fr · Gamma")
    assert 'class="field template-search" hidden' in page
    gamma = session.query(ReplyTemplate).filter_by(key="c").one()
    response = post_form(
        url, f"{url}/reply", {"template": gamma.variant("fr").id, "body": "Hi", "send": "1"}
    )
    assert response.status_code == 302
    session.expire_all()
    assert session.query(ReplyTemplate).filter_by(key="c").one().use_count == 1
    page = _get(client, url)
    assert page.index("fr · Gamma") < page.index("fr · Alpha")
    post_form(url, f"{url}/reply", {"template": gamma.variant("fr").id, "body": "x", "note": "1"})
    session.expire_all()
    assert session.query(ReplyTemplate).filter_by(key="c").one().use_count == 1
