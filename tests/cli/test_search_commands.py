"""``helpdesk search``, ``reindex`` and ``check-index``."""

import json

from sqlalchemy import text

from ..factories import make_mail


def test_reindex_then_search_json_lines_best_first(runner, session, deliver):
    deliver(make_mail(subject="Passport lost", body="I lost my passport at the station."))
    deliver(make_mail(subject="Question", body="Is a passport photo needed?"))
    deliver(make_mail(subject="Other", body="Nothing related."))
    session.execute(text("DELETE FROM search_postings"))  # as after an upgrade
    session.commit()
    reindexed = runner.invoke(args=["reindex", "--chunk", "2"])
    assert reindexed.exit_code == 0, reindexed.output
    assert "Reindexed 3 message(s)." in reindexed.output
    result = runner.invoke(args=["search", "passport", "--json", "--limit", "5"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["subject"] for line in lines] == ["Passport lost", "Question"]
    assert {"ticket", "subject", "language", "status", "score", "snippet"} <= set(lines[0])
    assert "«passport»" in lines[0]["snippet"].lower()
    assert lines[0]["score"] >= lines[1]["score"]


def test_search_refuses_an_unsearchable_query(runner):
    result = runner.invoke(args=["search", "NOT", "visa"])
    assert result.exit_code != 0 and "only_negative" in result.output


def test_check_index_reports_then_repairs(runner, session, deliver):
    deliver(make_mail(subject="Heating", body="The heating is broken."))
    runner.invoke(args=["reindex"])
    session.execute(text("DELETE FROM search_postings"))
    session.commit()
    dry = runner.invoke(args=["check-index", "--dry-run"])
    assert dry.exit_code == 1 and "1 missing, 0 stale, 0 orphan posting(s) found." in dry.output
    repaired = runner.invoke(args=["check-index"])
    assert repaired.exit_code == 1 and "repaired" in repaired.output
    clean = runner.invoke(args=["check-index"])
    assert clean.exit_code == 0 and "0 missing, 0 stale, 0 orphan" in clean.output
    assert "Heating" in runner.invoke(args=["search", "heat"]).output
