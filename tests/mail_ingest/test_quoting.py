"""Quote removal: the forwarder's own words are the new text, the client's markers are not."""

import pytest

from mail_ingest.quoting import split_quoted

FORWARDED = (
    "From: Jeanne <jeanne@example.fr>\n"
    "Date: Mon, 3 Mar 2025 at 10:02\n"
    "Subject: Inscription\n\n"
    "Bonjour, je voudrais m'inscrire."
)


@pytest.mark.parametrize(
    "marker",
    [
        "---------- Forwarded message ---------",
        "---------- Пересылаемое сообщение ---------",
        "-------- Weitergeleitete Nachricht --------",
        "-------- Forwarded Message --------",
        "Begin forwarded message:",
        "Début du message réexpédié :",
        "Начало переадресованного сообщения:",
    ],
)
def test_forward_marker_ends_the_forwarders_note(marker):
    new, quoted = split_quoted(f"Ваня, сможешь ответить?\n\n{marker}\n{FORWARDED}")
    assert new == "Ваня, сможешь ответить?"
    assert quoted.startswith(marker)


def test_a_thunderbird_forward_with_subject_first_is_cut_at_its_marker():
    new, quoted = split_quoted(
        "Peux-tu t'en occuper ?\n\n-------- Forwarded Message --------\n"
        "Subject: Volunteering\nDate: Mon, 3 Mar 2025 10:02:00 +0100\n"
        "From: Anna <anna@example.com>\n\nHello, I would like to volunteer."
    )
    assert new == "Peux-tu t'en occuper ?"
    assert "I would like to volunteer" in quoted


def test_a_bare_forward_is_all_request():
    text = f"---------- Forwarded message ---------\n{FORWARDED}"
    assert split_quoted(text) == (text, "")
