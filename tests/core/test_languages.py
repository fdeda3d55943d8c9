"""Languages are configuration: an admin adds any language detection knows, and new mail in it
is routed to its queue from then on."""

import pytest

from helpdesk.core.errors import (
    LanguageAlreadyActive,
    LanguageNotDetectable,
)
from helpdesk.core.models import AssignmentStrategy, Language, Ticket
from helpdesk.core.services.language_detection import supported_language_codes
from helpdesk.core.services.languages import (
    QueueSettings,
    add_language,
    update_queue,
)
from helpdesk.core.services.sla_policies import SlaPolicyError, SlaSettings
from helpdesk.core.unit_of_work import unit_of_work

from ..factories import make_mail

ITALIAN = (
    "Buongiorno, vorrei sapere quando si terrà la prossima riunione del gruppo locale e se "
    "posso portare anche mia sorella. Grazie mille per l'aiuto e buona giornata."
)


def test_detection_supports_far_more_than_the_default_ten():
    codes = supported_language_codes()
    assert {"it", "ko", "fa", "sw", "ar", "fr"} <= codes
    assert "xx" not in codes


def test_added_language_gets_names_and_direction_from_cldr(session):
    with unit_of_work(session):
        persian = add_language(session, " FA ")
    assert (persian.code, persian.english_name, persian.name) == ("fa", "Persian", "فارسی")
    assert persian.is_rtl and persian.active


def test_unknown_or_duplicate_codes_are_refused(session):
    with pytest.raises(LanguageNotDetectable):
        add_language(session, "klingon")
    with pytest.raises(LanguageAlreadyActive):
        add_language(session, "fr")


def test_a_deactivated_language_can_be_added_back(session):
    with unit_of_work(session):
        german = session.get(Language, "de")
        update_queue(
            session,
            german,
            QueueSettings(AssignmentStrategy.LOAD_BALANCED, SlaSettings(24, 120), True, False),
        )
    with unit_of_work(session):
        assert add_language(session, "de") is german
    assert german.active


def test_mail_in_an_added_language_reaches_its_queue(session, deliver, make_user):
    before = session.get(Ticket, deliver(make_mail(subject="Riunione", body=ITALIAN)).ticket_id)
    assert before.language_code != "it"
    with unit_of_work(session):
        add_language(session, "it")
    italian = make_user(languages=("it",))
    after = session.get(
        Ticket,
        deliver(make_mail(subject="Riunione", body=ITALIAN, sender="b@example.com")).ticket_id,
    )
    assert after.language_code == "it"
    assert after.assignee_id == italian.id


def test_queue_settings_are_validated(session):
    french = session.get(Language, "fr")
    with pytest.raises(SlaPolicyError, match="first_response_hours"):
        update_queue(
            session, french, QueueSettings(AssignmentStrategy.UNASSIGNED, SlaSettings(0, 10), True)
        )
    update_queue(
        session, french, QueueSettings(AssignmentStrategy.UNASSIGNED, SlaSettings(72, 96), False)
    )
    assert french.assignment_strategy == AssignmentStrategy.UNASSIGNED
    assert (french.sla_policy.first_response_hours, french.auto_acknowledge) == (72, False)
