"""HTML to text never stops a message, and markup over the limits never reaches a tree builder."""

from hypothesis import given, settings
from hypothesis import strategies as st

from mail_ingest import html_text, limits
from mail_ingest.html_shape import measure_html, strip_tags
from mail_ingest.html_text import html_over_limits, html_to_text

CODECS = ["utf-8", "latin-1", "cp1252", "utf-16", "shift_jis", "koi8-r", "ascii"]
FRAGMENTS = [
    "<",
    ">",
    "</",
    "<![",
    "<![CDATA[",
    "]]>",
    "<!--",
    "-->",
    "<!",
    "<?",
    "&",
    "&amp;",
    "&#",
    "&#x110000;",
    "&#0;",
    "<div>",
    "</div>",
    "<p>",
    "</p>",
    "<b>",
    "<table>",
    "<td>",
    "<svg>",
    "<math>",
    "<script>",
    "</script>",
    "<style>",
    "<head>",
    "<title>",
    "<template>",
    "<textarea>",
    "<plaintext>",
    "<a href='",
    '"',
    "'",
    "=",
    " ",
    "\n",
    "\x00",
    "\ufffd",
    "text",
    "é",
    "中",
]
markup_soup = st.lists(st.sampled_from(FRAGMENTS), max_size=200).map("".join)


@given(st.binary(max_size=3000), st.sampled_from(CODECS))
@settings(max_examples=300, deadline=None)
def test_any_bytes_decoded_any_way_become_text(data, codec):
    text = html_to_text(data.decode(codec, "replace"))
    assert isinstance(text, str)


@given(st.one_of(st.text(max_size=2000), markup_soup))
@settings(max_examples=400, deadline=None)
def test_any_text_or_tag_soup_becomes_text(markup):
    assert isinstance(html_to_text(markup), str)
    assert isinstance(strip_tags(markup), str)


def test_a_broken_marked_section_keeps_the_text_around_it():
    text = html_to_text("<p>before</p><![ broken <p>after</p><![if !x]>kept<![endif]>")
    assert "before" in text and "after" in text and "kept" in text


def test_blocks_become_lines_and_scripts_styles_and_head_are_skipped():
    markup = (
        "<html><head><title>T</title><style>p{}</style></head><body><div>Hello <b>world</b>"
        "<p>one &amp; two</p>after<ul><li>a</li><li>b</li></ul><script>evil()</script>end"
        "<!-- comment --></div></body></html>"
    )
    expected = "Hello world\none & two\nafter\n\na\n\nb\n\nend"
    assert html_to_text(markup) == expected
    assert strip_tags(markup) == expected


def test_when_lexbor_fails_the_tags_are_stripped(monkeypatch):
    def broken(markup):
        raise RuntimeError("lexbor")

    monkeypatch.setattr(html_text, "_lexbor_text", broken)
    assert html_to_text("<p>still <b>here</b></p>") == "still here"


def test_the_shape_is_measured_linearly_and_counts_depth():
    shape = measure_html("<div><p>a</p><div><span>b<br></span></div></div><i>")
    assert (shape.elements, shape.depth) == (5, 3)
    deep = "<div>" * 50_000 + "x" + "</div>" * 50_000
    assert measure_html(deep).depth == 50_000


def test_deep_markup_is_over_the_limits_and_still_gives_its_text():
    deep = "<p>top</p>" + "<div>" * (limits.MAX_HTML_DEPTH + 1) + "bottom"
    assert "deep" in (html_over_limits(deep) or "")
    assert html_to_text(deep) == "top\n\nbottom"
    assert html_over_limits("<div>" * 500 + "fine") is None
