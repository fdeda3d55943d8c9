"""``helpdesk templates export|import``: a translator's round trip from the command line."""

import polib

from helpdesk.core.models import ReplyTemplate, Role
from helpdesk.core.services.reply_templates import save_template
from helpdesk.core.services.template_history import variant_history
from helpdesk.core.unit_of_work import unit_of_work


def _seed(session):
    with unit_of_work(session):
        save_template(session, "hours", "Hours", {"en": ("Hours", "Hi {requester_name}.")})
        save_template(
            session,
            "sign",
            "Sign",
            {"en": ("Sign", "Regards"), "fr": ("Signature", "Cordialement")},
        )


def test_export_without_flags_writes_every_template_with_its_text_or_none(
    runner, session, tmp_path
):
    _seed(session)
    target = tmp_path / "fr.po"
    result = runner.invoke(args=["templates", "export", "--language", "fr", str(target)])
    assert result.exit_code == 0, result.output
    entries = {e.msgctxt: e.msgstr for e in polib.pofile(str(target))}
    assert entries == {
        "hours|name": "",
        "hours|body": "",
        "sign|name": "Signature",
        "sign|body": "Cordialement",
    }
    missing = tmp_path / "missing.po"
    runner.invoke(args=["templates", "export", "--language", "fr", "--missing", str(missing)])
    assert {e.msgctxt for e in polib.pofile(str(missing))} == {"hours|name", "hours|body"}


def test_import_dry_run_then_for_real_with_an_actor(runner, session, make_user, tmp_path):
    _seed(session)
    coordinator = make_user(Role.COORDINATOR, email="chloe@example.org")
    target = tmp_path / "fr.po"
    runner.invoke(args=["templates", "export", "--language", "fr", "--missing", str(target)])
    po = polib.pofile(str(target))
    po.find("Hi {requester_name}.", msgctxt="hours|body").msgstr = "Bonjour {requester_name}."
    po.save()

    dry = runner.invoke(args=["templates", "import", str(target), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "would set hours [fr] (missing): new text" in dry.output
    assert "skipped 0 fuzzy and 1 empty" in dry.output
    session.expire_all()
    assert session.query(ReplyTemplate).filter_by(key="hours").one().variant("fr") is None

    real = runner.invoke(args=["templates", "import", str(target), "--actor", "chloe@example.org"])
    assert real.exit_code == 0, real.output
    session.expire_all()
    hours = session.query(ReplyTemplate).filter_by(key="hours").one()
    assert hours.variant("fr").body == "Bonjour {requester_name}."
    assert variant_history(session, hours, "fr")[0].revision.author_id == coordinator.id


def test_import_refuses_a_placeholder_mismatch_and_changes_nothing(runner, session, tmp_path):
    _seed(session)
    target = tmp_path / "fr.po"
    runner.invoke(args=["templates", "export", "--language", "fr", str(target)])
    po = polib.pofile(str(target))
    po.find("Hi {requester_name}.", msgctxt="hours|body").msgstr = "Bonjour {nom}."
    po.find("Regards", msgctxt="sign|body").msgstr = "Bien à vous"
    po.save()
    result = runner.invoke(args=["templates", "import", str(target)])
    assert result.exit_code != 0
    assert "hours" in result.output and "{requester_name}" in result.output
    assert "{nom}" in result.output
    session.expire_all()
    sign = session.query(ReplyTemplate).filter_by(key="sign").one()
    assert sign.variant("fr").body == "Cordialement"
