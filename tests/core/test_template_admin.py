"""The template editor's services: create, rename, delete, save and remove a language's text;
refusals (unknown placeholders, taken keys, system templates, liaisons) change nothing."""

import pytest

from helpdesk.core.models import ReplyTemplate, ReplyTemplateVariant, Role
from helpdesk.core.services.languages import active_languages
from helpdesk.core.services.permissions import NotPermitted
from helpdesk.core.services.reply_templates import (
    REPLY_PLACEHOLDERS,
    TemplateError,
    TemplateTextsError,
    UnknownPlaceholderError,
    create_template,
    delete_template,
    delete_variant,
    derive_key,
    rename_template,
    save_variant,
    save_variants,
    template_coverage,
    unknown_placeholders,
)
from helpdesk.core.unit_of_work import unit_of_work
from helpdesk.database import seed_acknowledgement_texts


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.COORDINATOR)


def _template(session, coordinator, name="Opening hours", key=None):
    with unit_of_work(session):
        return create_template(session, coordinator, name, key)


def test_unknown_placeholders_names_each_once_in_order():
    body = "Hi {requester_name}, {Subject} {ticket-ref} {ticket_ref} {Subject} {} {x y}"
    assert unknown_placeholders(body, REPLY_PLACEHOLDERS) == ["Subject", "ticket-ref"]
    assert unknown_placeholders("no placeholders", REPLY_PLACEHOLDERS) == []


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Opening hours", "opening_hours"),
        ("  Réponse: délai!  ", "reponse_delai"),
        ("営業時間", ""),
        ("x" * 100, "x" * 64),
    ],
)
def test_key_derived_from_the_name(name, key):
    assert derive_key(name) == key


def test_create_derives_the_key_and_refuses_a_taken_or_system_one(session, coordinator):
    template = _template(session, coordinator)
    assert (template.key, template.name, template.variants) == (
        "opening_hours",
        "Opening hours",
        [],
    )
    for name, key in [
        ("Opening hours", None),
        ("Other", "opening_hours"),
        ("Ack", "auto_acknowledgement"),
        ("営業時間", None),
        ("Other", "Bad Key!"),
        ("   ", "fine"),
    ]:
        with pytest.raises(TemplateError):
            create_template(session, coordinator, name, key)
    assert session.query(ReplyTemplate).count() == 1


def test_typed_key_is_used(session, coordinator):
    assert _template(session, coordinator, "営業時間", "hours_ja").key == "hours_ja"


def test_liaisons_may_not_change_templates(session, coordinator, make_user):
    liaison = make_user(Role.LIAISON)
    template = _template(session, coordinator)
    with pytest.raises(NotPermitted):
        create_template(session, liaison, "Mine")
    with pytest.raises(NotPermitted):
        save_variant(session, liaison, template, "fr", "Horaires", "Bonjour")
    with pytest.raises(NotPermitted):
        delete_template(session, liaison, template)


def test_rename_keeps_the_key(session, coordinator):
    template = _template(session, coordinator)
    with unit_of_work(session):
        rename_template(session, coordinator, template, "  Office   hours ")
    assert (template.key, template.name) == ("opening_hours", "Office hours")
    with pytest.raises(TemplateError):
        rename_template(session, coordinator, template, "")


def test_save_variant_creates_updates_and_empty_removes(session, coordinator):
    template = _template(session, coordinator)
    with unit_of_work(session):
        save_variant(
            session, coordinator, template, "fr", "Horaires", "Bonjour {requester_name}\r\n"
        )
    [variant] = template.variants
    assert (variant.language_code, variant.name, variant.body) == (
        "fr",
        "Horaires",
        "Bonjour {requester_name}",
    )
    with unit_of_work(session):
        save_variant(session, coordinator, template, "fr", "", "Salut {liaison_name}")
    assert (variant.name, variant.body) == ("Opening hours", "Salut {liaison_name}")
    with unit_of_work(session):
        assert save_variant(session, coordinator, template, "fr", "Horaires", "  \n ") is None
    assert template.variants == []
    assert session.query(ReplyTemplateVariant).count() == 0


def test_unknown_placeholder_is_refused_with_its_name(session, coordinator):
    template = _template(session, coordinator)
    with pytest.raises(UnknownPlaceholderError) as refused:
        save_variant(session, coordinator, template, "de", "Zeiten", "Hallo {response_hours}")
    assert refused.value.names == ("response_hours",)
    assert "response_hours" not in refused.value.allowed
    assert "liaison_name" in refused.value.allowed
    assert template.variants == []


def test_the_acknowledgement_allows_its_own_placeholders(session, coordinator):
    with unit_of_work(session):
        seed_acknowledgement_texts()
    ack = session.query(ReplyTemplate).filter_by(key="auto_acknowledgement").one()
    with unit_of_work(session):
        save_variant(session, coordinator, ack, "en", "Ack", "Within {response_hours} h")
    with pytest.raises(UnknownPlaceholderError):
        save_variant(session, coordinator, ack, "en", "Ack", "I am {liaison_name}")
    with pytest.raises(TemplateError):
        delete_template(session, coordinator, ack)


def test_save_variants_is_all_or_nothing(session, coordinator):
    template = _template(session, coordinator)
    with pytest.raises(TemplateTextsError) as refused, unit_of_work(session):
        save_variants(
            session,
            coordinator,
            template,
            {"fr": ("Horaires", "Bonjour"), "es": ("Horario", "Hola {nombre}")},
        )
    assert set(refused.value.by_language) == {"es"}
    assert session.query(ReplyTemplateVariant).count() == 0
    with unit_of_work(session):
        save_variants(
            session,
            coordinator,
            template,
            {"fr": ("Horaires", "Bonjour"), "es": ("Horario", "Hola")},
        )
    assert [v.language_code for v in template.variants] == ["es", "fr"]


def test_delete_variant_and_template(session, coordinator):
    template = _template(session, coordinator)
    with unit_of_work(session):
        save_variant(session, coordinator, template, "fr", "Horaires", "Bonjour")
        save_variant(session, coordinator, template, "ja", "営業時間", "こんにちは")
    with unit_of_work(session):
        assert delete_variant(session, coordinator, template, "fr")
        assert not delete_variant(session, coordinator, template, "fr")
    assert [v.language_code for v in template.variants] == ["ja"]
    with unit_of_work(session):
        delete_template(session, coordinator, template)
    assert session.query(ReplyTemplate).count() == 0
    assert session.query(ReplyTemplateVariant).count() == 0


def test_coverage_lists_the_active_languages_without_a_text(session, coordinator):
    template = _template(session, coordinator)
    with unit_of_work(session):
        for code in ("ar", "de", "en", "es", "fr", "pt", "ru", "zh"):
            save_variant(session, coordinator, template, code, "Name", "Text")
    [coverage] = template_coverage(session, active_languages(session))
    assert (coverage.template, coverage.missing, coverage.is_system) == (
        template,
        ["hi", "ja"],
        False,
    )
