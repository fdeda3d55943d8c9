"""The interface speaks the user's language, right-to-left for Arabic."""

from babel.messages.pofile import read_po

from config import PROJECT_ROOT


def _translation(language: str, msgid: str) -> str:
    path = PROJECT_ROOT / "translations" / language / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        return read_po(handle)[msgid].string


def test_login_page_follows_the_browser_language(client):
    page = client.get("/auth/login", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    html = page.get_data(as_text=True)
    assert '<html lang="fr" dir="ltr">' in html
    assert _translation("fr", "Sign in") in html


def test_arabic_interface_is_right_to_left(client):
    html = client.get("/auth/login", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    assert _translation("ar", "Sign in") in html


def test_a_users_own_locale_wins_over_the_browser(client, login_as, make_user, session):
    from helpdesk.core.unit_of_work import unit_of_work

    user = make_user(languages=("ja",))
    with unit_of_work(session):
        user.locale = "ja"
    login_as(user)
    html = client.get("/queue/mine", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert '<html lang="ja"' in html
    assert _translation("ja", "My tickets") in html


def test_status_and_delivery_states_are_translated(
    client, login_as, make_user, session, create_ticket
):
    from helpdesk.core.unit_of_work import unit_of_work

    user = make_user(languages=("ar",))
    with unit_of_work(session):
        user.locale = "ar"
    ticket = create_ticket("ar")
    login_as(user)
    html = client.get(f"/tickets/{ticket.id}").get_data(as_text=True)
    assert f'<span class="status status-new">{_translation("ar", "new")}</span>' in html
    assert _translation("ar", "new") != "new"
