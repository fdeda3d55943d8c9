"""Queue pages: views, visibility, query budget."""

from helpdesk.core.models import Role


def test_liaison_sees_their_tickets_oldest_first(client, login_as, make_user, create_ticket):
    liaison = make_user(languages=("fr",))
    first = create_ticket("fr", subject="Première demande")
    second = create_ticket("fr", subject="Deuxième demande")
    login_as(liaison)
    page = client.get("/queue/mine").get_data(as_text=True)
    assert page.index("Première demande") < page.index("Deuxième demande")
    assert f"#{first.id}" in page and f"#{second.id}" in page


def test_liaison_does_not_see_other_languages(client, login_as, make_user, create_ticket):
    make_user(languages=("de",))
    create_ticket("de", subject="Frage zum Treffen")
    login_as(make_user(languages=("fr",)))
    assert "Frage zum Treffen" not in client.get("/queue/languages").get_data(as_text=True)
    assert client.get("/queue/all").status_code == 403


def test_coordinator_sees_all_open_tickets(client, login_as, make_user, create_ticket):
    for code in ("ar", "hi", "zh"):
        create_ticket(code)
    login_as(make_user(Role.COORDINATOR, languages=()))
    page = client.get("/queue/all").get_data(as_text=True)
    assert page.count('class="lang"') == 3


def test_unknown_view_is_404(client, login_as, make_user):
    login_as(make_user())
    assert client.get("/queue/nonsense").status_code == 404


def test_queue_page_query_count_does_not_grow_with_size(
    client, login_as, make_user, create_ticket, count_queries
):
    coordinator = make_user(Role.COORDINATOR, languages=())
    create_ticket("fr")
    login_as(coordinator)
    with count_queries() as small:
        client.get("/queue/all")
    for code in ("de", "es", "pt", "ru", "ja", "en", "ar", "hi"):
        create_ticket(code)
    with count_queries() as large:
        client.get("/queue/all")
    assert large.count == small.count
    assert large.count <= 12
