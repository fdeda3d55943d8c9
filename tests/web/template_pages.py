"""Reading the template matrix the way a person does: the word in each cell."""

from selectolax.lexbor import LexborHTMLParser as HTMLParser


def matrix_states(page: str, template_id: int) -> dict[str, str]:
    """``{language code: state word}`` from the template's row of the matrix."""
    row = HTMLParser(page).css_first(f"tr#template-{template_id}")
    assert row is not None, f"no row for template {template_id}"
    states = {}
    for cell in row.css("td.tstate"):
        link = cell.css_first("a")
        hidden = link.css_first(".visually-hidden")
        text = link.text().replace(hidden.text() if hidden else "", "")
        states[cell.attributes["data-language"]] = (
            text.replace("★", "").replace("✓", "").replace("⚠", "").replace("✗", "").strip()
        )
    return states
