"""Language detection with the real model on real text: the script rules, the restriction to
the configured languages, reply subjects, and a held-out set written apart from the benchmark."""

import json
from pathlib import Path

import pytest

from helpdesk.core.services.language_detection import (
    LanguageDetector,
    get_detector,
    own_subject,
    supported_language_codes,
)
from helpdesk.core.services.routing import MIN_CONFIDENCE, RoutingHints, decide_language
from helpdesk.core.services.writing_systems import HAN_CHINESE, HAN_JAPANESE, script_of
from mail_ingest.quoting import split_quoted

TEN = ["ar", "fr", "de", "hi", "ja", "zh", "ru", "es", "pt", "en"]
HELD_OUT = Path(__file__).parents[1] / "data" / "langid" / "heldout.jsonl"


@pytest.fixture(scope="module")
def detector():
    return get_detector(TEN)


def test_supported_codes_are_the_models_languages():
    codes = supported_language_codes()
    assert {"en", "ja", "zh", "ar", "hi", "ko", "uk", "sw"} <= codes
    assert "zxx" not in codes  # the model's "no language" label is not one
    assert "xx" not in codes


def test_detector_keeps_only_languages_it_supports():
    assert LanguageDetector(("fr", "xx", "de")).languages == ("fr", "de")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("資料は明日送ります", "ja"),  # kana: only Japanese writes it
        ("申込書類一式送付済", "ja"),  # 込 and 済 are Japanese forms (Chinese: 办/济, 濟)
        ("我们已经收到了", "zh"),  # 们 is a Chinese-only form
        ("Спасибо", "ru"),  # the only configured Cyrillic language
        ("شكرا", "ar"),
        ("धन्यवाद", "hi"),
    ],
)
def test_a_script_only_one_configured_language_writes_decides_it(detector, text, language):
    detection = detector.detect(text)
    assert (detection.language, detection.confidence) == (language, 1.0)


def test_kanji_without_a_national_form_is_left_to_the_model(detector):
    # 来週月曜日 is written the same way in Japanese and Chinese: the model decides, and it can
    # be wrong, so the rule does not pretend to certainty it does not have.
    detection = detector.detect("来週月曜日午前中希望")
    assert detection.language in {"ja", "zh"}
    assert detection.confidence < 1.0


def test_han_forms_are_classified_by_national_character_sets():
    assert script_of("発") == HAN_JAPANESE
    assert script_of("发") == HAN_CHINESE
    assert script_of("說") == HAN_CHINESE  # traditional (Big5); Japanese writes 説
    assert script_of("日") not in {HAN_JAPANESE, HAN_CHINESE}


def test_a_name_in_another_script_does_not_change_the_language(detector):
    assert detector.detect("My flight from Moscow (Москва) lands at noon").language == "en"


def test_mixed_script_text_is_left_to_the_model(detector):
    assert detector.detect("Thanks, मेरा password reset हो गया").language == "hi"


def test_addresses_and_links_are_not_language(detector):
    detection = detector.detect("العنوان الجديد هو nader.h@example.org https://example.org/a")
    assert (detection.language, detection.confidence) == ("ar", 1.0)


def test_a_script_no_configured_language_writes_gives_no_language():
    detection = get_detector(["en", "fr"]).detect("Ευχαριστώ πολύ")
    assert (detection.language, detection.confidence) == (None, 0.0)


def test_japanese_is_not_chinese_when_japanese_is_not_configured():
    assert get_detector(["zh", "en"]).detect("資料は明日送ります").language is None


def test_only_configured_languages_are_answered():
    detector = get_detector(["fr", "de"])
    assert detector.detect("Thank you very much for your help").language in {"fr", "de"}
    assert get_detector(["de", "en"]).detect("Спасибо").language is None


def test_text_without_letters_has_no_language(detector):
    assert detector.detect("12:30 / #4821 :-)").language is None


@pytest.mark.parametrize(
    "subject",
    [
        "Re: Inscrição no curso",
        "RE: Teilnahme",
        "Fwd: Beschwerde",
        "AW: Frage",
        "回复：报名",
        "Re[2]: x",
    ],
)
def test_reply_and_forward_subjects_are_the_threads(subject):
    assert own_subject(subject) == ""


def test_a_new_subject_is_the_senders():
    assert own_subject("Renewal of my membership") == "Renewal of my membership"


def test_a_short_reply_is_not_outvoted_by_the_threads_subject(detector):
    detection = detector.detect_message(
        "Re: Inscrição no curso de primeiros socorros", "Thank you, see you on the 5th!"
    )
    assert detection.language == "en"


def _held_out():
    return [json.loads(line) for line in HELD_OUT.read_text("utf-8").splitlines() if line]


def test_held_out_messages_are_routed_as_well_as_the_benchmark(detector):
    """Messages written for this check, not taken from bench/data: the rules must hold on text
    they were not measured on (measured: 96 of 102 routed right, the 2 wrong being kanji-only
    Japanese without a national form)."""
    samples = _held_out()
    right = wrong = 0
    for sample in samples:
        new_text = split_quoted(sample["text"])[0]
        detection = detector.detect_message(sample["subject"], new_text)
        routed = decide_language(detection, RoutingHints()).language
        right += routed == sample["language"]
        wrong += routed not in (None, sample["language"])
    assert len(samples) >= 100
    assert right / len(samples) >= 0.93
    assert wrong <= 3


def test_min_confidence_is_a_probability():
    assert 0.0 < MIN_CONFIDENCE < 1.0
