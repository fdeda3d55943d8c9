"""Admins add languages and set each queue's strategy, response time and acknowledgements;
liaisons mark themselves away."""

from datetime import date, timedelta

from helpdesk.core.models import AssignmentStrategy, Language, Role, SlaCalendarDay, User, utcnow

from ..factories import make_mail


def test_only_admins_see_the_languages_page(client, login_as, make_user):
    login_as(make_user(Role.COORDINATOR))
    assert client.get("/admin/languages").status_code == 403


def test_admin_adds_a_language_and_mail_in_it_is_routed_there(
    client, session, login_as, make_user, post_form, deliver
):
    login_as(make_user(Role.ADMIN))
    page = client.get("/admin/languages").get_data(as_text=True)
    assert '<option value="it">' in page  # offered: detection knows Italian
    response = post_form("/admin/languages", "/admin/languages", {"code": "it", "add": "1"})
    assert response.status_code == 302
    italian = session.get(Language, "it")
    assert (italian.name, italian.english_name, italian.active) == ("italiano", "Italian", True)
    result = deliver(
        make_mail(
            subject="Domanda sulla riunione",
            body="Buongiorno, vorrei sapere a che ora inizia la riunione di sabato prossimo "
            "e se bisogna portare qualcosa. Grazie mille, a presto.",
        )
    )
    from helpdesk.core.models import Ticket

    assert session.get(Ticket, result.ticket_id).language_code == "it"


def test_unknown_language_code_re_renders_with_the_reason(client, login_as, make_user, post_form):
    login_as(make_user(Role.ADMIN))
    response = post_form("/admin/languages", "/admin/languages", {"code": "elvish", "add": "1"})
    assert response.status_code == 400
    assert "Language detection does not know the language code" in response.get_data(as_text=True)


def test_admin_changes_a_queue_s_settings(client, session, login_as, make_user, post_form):
    login_as(make_user(Role.ADMIN))
    response = post_form(
        "/admin/languages",
        "/admin/languages/fr",
        {
            "fr-assignment_strategy": "unassigned",
            "fr-first_response_hours": "8",
            "fr-resolution_hours": "40",
            "fr-business_hours": "y",
            "fr-timezone": "Europe/Paris",
            "fr-opens_at": "08:30",
            "fr-closes_at": "18:00",
            "fr-working_days": ["1", "2", "3", "4"],
            "fr-holidays": "2026-12-25\n2027-01-01",
            "fr-active": "y",  # auto_acknowledge unticked
            "fr-save": "1",
        },
    )
    assert response.status_code == 302
    session.expire_all()
    french = session.get(Language, "fr")
    assert french.assignment_strategy == AssignmentStrategy.UNASSIGNED
    assert (french.auto_acknowledge, french.active) == (False, True)
    policy = french.sla_policy
    assert (policy.first_response_hours, policy.resolution_hours, policy.business_hours) == (
        8,
        40,
        True,
    )
    assert (policy.timezone, policy.opens_at, policy.closes_at) == (
        "Europe/Paris",
        "08:30",
        "18:00",
    )
    assert (policy.working_days, policy.holidays) == ("1234", ["2026-12-25", "2027-01-01"])
    calendar = session.query(SlaCalendarDay).filter_by(language_code="fr")
    assert calendar.filter(SlaCalendarDay.day == date(2026, 12, 25)).count() == 0
    assert calendar.filter(SlaCalendarDay.day == date(2026, 12, 24)).count() == 1  # a Thursday
    assert calendar.filter(SlaCalendarDay.day == date(2026, 12, 18)).count() == 0  # a Friday


def test_an_unknown_time_zone_is_refused_on_its_field(
    client, session, login_as, make_user, post_form
):
    login_as(make_user(Role.ADMIN))
    data = {
        "de-assignment_strategy": "unassigned",
        "de-first_response_hours": "8",
        "de-resolution_hours": "40",
        "de-business_hours": "y",
        "de-timezone": "Mars/Olympus",
        "de-opens_at": "09:00",
        "de-closes_at": "17:00",
        "de-working_days": ["1"],
        "de-save": "1",
    }
    response = post_form("/admin/languages", "/admin/languages/de", data)
    assert response.status_code == 400
    assert "Unknown time zone" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Language, "de").sla_policy.business_hours is False


def test_bad_queue_setting_re_renders_with_a_message(
    client, session, login_as, make_user, post_form
):
    login_as(make_user(Role.ADMIN))
    response = post_form(
        "/admin/languages",
        "/admin/languages/de",
        {"de-assignment_strategy": "random", "de-first_response_hours": "0", "de-save": "1"},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Not a valid choice" in page
    assert "Number must be between 1 and 2160" in page
    assert session.get(Language, "de").assignment_strategy == AssignmentStrategy.LOAD_BALANCED


def test_liaison_marks_themselves_away_until_a_date(
    client, session, login_as, make_user, post_form, create_ticket
):
    liaison = make_user(languages=("es",))
    colleague = make_user(languages=("es",))
    login_as(liaison)
    back_on = date.today() + timedelta(days=7)
    response = post_form(
        "/account", "/account", {"away": "y", "away_until": back_on.isoformat(), "save": "1"}
    )
    assert response.status_code == 302
    session.expire_all()
    me = session.get(User, liaison.id)
    assert me.away and me.away_until.date() == back_on
    assert "away" in client.get("/account").get_data(as_text=True)
    assert {create_ticket("es").assignee_id for _ in range(2)} == {colleague.id}
    # back early: switch it off
    post_form("/account", "/account", {"save": "1"})
    session.expire_all()
    me = session.get(User, liaison.id)
    assert not me.away and me.away_until is None
    assert not me.is_away(utcnow())


def test_a_return_date_in_the_past_re_renders_with_a_message(
    client, session, login_as, make_user, post_form
):
    liaison = make_user()
    login_as(liaison)
    response = post_form(
        "/account", "/account", {"away": "y", "away_until": "2020-01-01", "save": "1"}
    )
    assert response.status_code == 400
    assert "The return date must be in the future." in response.get_data(as_text=True)
    session.expire_all()
    assert not session.get(User, liaison.id).away


def test_account_page_title_is_plain_text(client, login_as, make_user):
    login_as(make_user(languages=("fr",)))
    page = client.get("/account").get_data(as_text=True)
    title = page[page.index("<title>") : page.index("</title>")]
    assert "<section" not in title and "My account" in title
    assert page.count('id="signatures"') == 1
