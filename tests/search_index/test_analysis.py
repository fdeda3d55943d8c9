"""Analysers and query syntax, without a database."""

import pytest

from search_index.analysis import analyse, query_alternatives
from search_index.expressions import fts5_expression, tsquery_expression
from search_index.queries import Bool, Match, QueryError, parse_query
from search_index.snippets import snippet


def test_hindi_words_keep_their_vowel_signs_and_virama():
    # \w+ would cut किताबें into क, त, ब and विद्यालय at its virama.
    assert analyse("मेरी किताबें विद्यालय में", "hi")[1:3] == ["किताब", "विद्यालय"]


def test_arabic_folds_hamza_alef_tatweel_and_diacritics():
    assert analyse("المُشْكِلَة", "ar") == analyse("مشكلة", "ar")
    assert analyse("مسؤول", "ar") == analyse("مسوول", "ar")  # with and without hamza
    assert analyse("أحمد", "ar") == analyse("احمد", "ar") == analyse("إحـــمد", "ar")


def test_chinese_and_japanese_runs_become_bigrams_latin_words_stay_whole():
    assert analyse("网络连接", "zh") == ["网络", "络连", "连接"]
    assert analyse("会議 Zoom", "ja") == ["会議", "zoom"]


def test_accents_case_and_compatibility_forms_fold():
    assert analyse("RÉSUMÉ", "fr") == analyse("resume", "fr")
    assert analyse("Ｐａｒｉｓ", None) == ["paris"]
    assert analyse("Straße", "de") == analyse("strasse", "de")


def test_a_latin_query_word_is_analysed_for_each_latin_language():
    alternatives = query_alternatives("connections")
    assert ("connect",) in alternatives  # English
    assert ("connections",) in alternatives  # plain, for untriaged tickets
    assert query_alternatives("网络连接") == [("网络", "络连", "连接")]


def test_words_phrases_and_operators():
    query = parse_query('"late payment" OR refund -spam')
    assert isinstance(query.text, Bool) and query.text.op == "and"
    expression = fts5_expression(query.text)
    assert '"late payment"' in expression and "NOT" in expression
    assert "<->" in tsquery_expression(query.text) and "!(" in tsquery_expression(query.text)


def test_field_filters_and_dates_leave_the_text():
    query = parse_query("visa lang:fr status:open tag:urgent assignee:me date:[2024-01 TO 2024-02]")
    assert isinstance(query.text, Match)
    assert query.values("lang") == ("fr",) and query.values("tag") == ("urgent",)
    assert query.dates.start.month == 1 and query.dates.end.month == 3


def test_from_searches_the_people_column_unstemmed():
    query = parse_query("from:alice@example.org")
    assert query.text == Match((("alice", "example", "org"),), "people")
    assert fts5_expression(query.text) == '{people} : ("alice example org")'
    assert tsquery_expression(query.text) == "( 'alice':C <-> 'example':C <-> 'org':C )"


def test_lexemes_are_quoted_for_tsquery():
    query = parse_query("o'brien")
    assert "'o'" in tsquery_expression(query.text)  # split at the apostrophe, never injected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("NOT visa", "only_negative"),
        ("visa OR lang:fr", "filter_misplaced"),
        ("date:2024-13-45", "bad_date"),
    ],
)
def test_unsearchable_queries_say_why(text, reason):
    with pytest.raises(QueryError) as error:
        parse_query(text)
    assert error.value.reason == reason


def test_snippets_mark_matches_and_escape_html():
    query = parse_query("factures")
    found = snippet("Nos <b>factures</b> sont bloquées", "fr", query.terms)
    assert found is not None
    assert "«factures»" in found.text
    assert '<mark class="hit term0">factures</mark>' in found.html and "&lt;b&gt;" in found.html


MIXED_TEXTS = [
    ("en", "The printers keep failing since Monday, see https://example.org/a?b=1 " + "x" * 80),
    ("fr", "Nos factures sont bloquées depuis lundi ; l'équipe a répondu."),
    ("de", "Die Verbindungen sind seit Montag gestört (Straße 5)."),
    ("ru", "Проблемы с подключением продолжаются, ёлка."),
    ("ar", "المُشْكِلَة مع المسؤولين مستمرة — إحـــمد"),
    ("hi", "मेरी किताबें विद्यालय में हैं।"),
    ("zh", "我的订单还没有到。ab漢字 字 12号"),
    ("ja", "注文がまだ届いていません。ＡＢＣ"),
    (None, "Ｆｕｌｌ width and plain words"),
]


@pytest.mark.parametrize(("language", "text"), MIXED_TEXTS)
def test_the_fast_paths_give_exactly_the_whoosh_analysers_terms(language, text):
    """Indexing and snippets skip Whoosh's token objects; they must not change a term."""
    from search_index.analysis import analyzer_for, spans

    tokens = analyzer_for(language)(text * 2, chars=True, positions=True)
    expected = [(t.text, t.startchar, t.endchar) for t in tokens]  # one Token, reused
    assert spans(text * 2, language) == expected
    assert analyse(text * 2, language) == [term for term, _, _ in expected]


def test_snippets_centre_on_the_matches_and_keep_two_fragments():
    query = parse_query("invoice")
    text = "Hello. " + "Filler words here. " * 20 + "The invoice is late. " + "More. " * 40
    text += "Another invoice arrived."
    found = snippet(text, "en", query.terms)
    assert found is not None
    assert found.text.count("«invoice»") == 2 and " … " in found.text
    assert not found.text.startswith("Hello") and len(found.text) < 300


def test_a_rare_word_is_respelt_as_its_most_frequent_neighbour():
    from search_index.suggestions import suggest

    counts = {"passport": 40, "passpor": 1, "report": 3, "деньг": 12}

    def frequencies(terms):
        return {t: counts[t] for t in terms if t in counts}

    assert suggest("pasport delayed lang:en", frequencies) == "passport delayed lang:en"
    assert suggest("passport", frequencies) is None  # known often enough
    assert suggest('"pasport" OR visa', frequencies) is None  # phrases are left alone
    respelt = suggest("деньгм", frequencies, "ru")
    assert respelt is not None and analyse(respelt, "ru") == ["деньг"] and len(respelt) == 6
    assert suggest("xqzv", frequencies) is None  # nothing near it is known


def test_english_quoted_text_is_told_from_other_languages():
    from search_index.english import quoted_language

    english = "Thank you for your message. We will look at the form and get back to you."
    assert quoted_language("fr", english) == "en" and quoted_language("ru", english) == "en"
    assert quoted_language("en", english) is None  # already analysed as English
    assert quoted_language("fr", "Merci pour votre message, nous regardons le formulaire.") is None
    assert quoted_language("de", "Die Anmeldung ist für das Training am Montag offen.") is None
    borrowing = "شكرا لكم على الرسالة the form سوف نرد عليكم قريبا إن شاء الله and the"
    assert quoted_language("ar", borrowing) is None  # Arabic with a few English words
    assert quoted_language("fr", "OK thanks") is None  # too short to tell
