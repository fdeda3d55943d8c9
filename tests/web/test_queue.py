"""Queue pages: views, visibility, filters, sorting, SLA badges, tags, query budget."""

import re
from datetime import timedelta

from helpdesk.core.models import Language, Role, Status, User, utcnow
from helpdesk.core.services.tags import add_tag
from helpdesk.core.unit_of_work import unit_of_work


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


# --- filters, sorting, SLA, tags --------------------------------------------------------------


def _rows(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr id="ticket-(\d+)"', page)]


def test_filters_and_sort_from_the_url(client, login_as, make_user, create_ticket, session):
    coordinator = make_user(Role.COORDINATOR, languages=())
    german, french = create_ticket("de"), create_ticket("fr")
    with unit_of_work(session):
        add_tag(session, french, "Visa", coordinator)
    login_as(coordinator)
    assert _rows(client.get("/queue/all").get_data(as_text=True)) == [german.id, french.id]
    assert _rows(client.get("/queue/all?language=fr").get_data(as_text=True)) == [french.id]
    assert _rows(client.get("/queue/all?tag=visa").get_data(as_text=True)) == [french.id]
    newest = client.get("/queue/all?sort=newest").get_data(as_text=True)
    assert _rows(newest) == [french.id, german.id]
    assert _rows(client.get("/queue/all?assignee=nobody").get_data(as_text=True)) == [
        german.id,
        french.id,
    ]


def test_bad_filter_values_are_reported_and_ignored(client, login_as, make_user, create_ticket):
    login_as(make_user(Role.COORDINATOR, languages=()))
    ticket = create_ticket("fr")
    for query in (
        "status=bogus",
        "language=xx",
        "assignee=abc",
        "assignee=99999",
        "age=forever",
        "sort=random",
        "page=abc",
        "page=-4",
        "tag=" + "x" * 500,
    ):
        response = client.get(f"/queue/all?{query}")
        assert response.status_code == 200, query
        page = response.get_data(as_text=True)
        assert _rows(page) == [ticket.id], query
    assert 'class="error"' in client.get("/queue/all?status=bogus").get_data(as_text=True)


def test_pagination_keeps_filters_and_sort(client, login_as, make_user, create_ticket, session):
    from helpdesk.core.services import queues

    login_as(make_user(Role.COORDINATOR, languages=()))
    tickets = [create_ticket("fr") for _ in range(3)] + [create_ticket("de")]
    original = queues.list_queue.__defaults__
    queues.list_queue.__defaults__ = (None, queues.QueueSort.WAITING, 1, 2, None)
    try:
        first = client.get("/queue/all?language=fr&sort=newest").get_data(as_text=True)
        assert _rows(first) == [tickets[2].id, tickets[1].id]
        [next_link] = re.findall(r'rel="next" href="([^"]+)"', first)
        next_url = next_link.replace("&amp;", "&")
        assert "language=fr" in next_url and "sort=newest" in next_url and "page=2" in next_url
        assert _rows(client.get(next_url).get_data(as_text=True)) == [tickets[0].id]
    finally:
        queues.list_queue.__defaults__ = original


def test_rows_show_sla_badges_and_tags(client, login_as, make_user, create_ticket, session):
    liaison = make_user(languages=("fr", "de", "es"))
    breached, due_soon, answered = create_ticket("fr"), create_ticket("de"), create_ticket("es")
    with unit_of_work(session):
        session.get(Language, "fr").sla_policy.first_response_hours = 24
        breached.created_at = utcnow() - timedelta(hours=30)
        due_soon.created_at = utcnow() - timedelta(hours=20)
        answered.first_response_at = utcnow()
        answered.status = Status.OPEN
        add_tag(session, due_soon, "Rückruf", liaison)
    login_as(liaison)
    page = client.get("/queue/mine").get_data(as_text=True)
    rows = dict(zip(_rows(page), page.split('<tr id="ticket-')[1:], strict=True))
    assert "sla-breached" in rows[breached.id]
    assert "sla-due-soon" in rows[due_soon.id] and "rückruf" in rows[due_soon.id]
    assert "sla-answered" in rows[answered.id] and "sla-ok" not in rows[answered.id]


def test_liaison_sees_no_bulk_controls_nor_assignee_filter(
    client, login_as, make_user, create_ticket
):
    login_as(make_user(languages=("fr",)))
    create_ticket("fr")
    page = client.get("/queue/mine").get_data(as_text=True)
    assert 'id="bulk"' not in page and 'name="ticket_ids"' not in page
    assert 'name="assignee"' not in page


def test_queue_query_count_with_tags_filters_and_bulk_controls(
    client, login_as, make_user, create_ticket, count_queries, session
):
    coordinator = make_user(Role.COORDINATOR, languages=())
    coordinator_id = coordinator.id
    liaisons = [make_user(languages=(code,)) for code in ("fr", "de", "es")]
    login_as(coordinator)

    def add_tickets(codes):
        for code in codes:
            ticket = create_ticket(code)
            actor = session.get(User, coordinator_id)  # count_queries starts a fresh session
            with unit_of_work(session):
                add_tag(session, ticket, f"t-{code}", actor)
                add_tag(session, ticket, "shared", actor)

    add_tickets(["fr"])
    url = "/queue/all?needs_first_response=y&tag=shared&sort=newest"
    with count_queries() as small:
        assert client.get(url).status_code == 200
    add_tickets(["de", "es", "pt", "ru", "fr", "de", "ar"])
    with count_queries() as large:
        page = client.get(url).get_data(as_text=True)
    assert len(_rows(page)) == 8 and len(liaisons) == 3
    assert large.count == small.count
    assert large.count <= 12
