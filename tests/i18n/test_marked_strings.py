"""Every text a person reads is marked for translation: in templates and in the Python code."""

from __future__ import annotations

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jinja2 import Environment

from config import PROJECT_ROOT

TEMPLATES = sorted((PROJECT_ROOT / "templates").rglob("*.html")) + sorted(
    (PROJECT_ROOT / "templates").rglob("*.txt")
)
PYTHON = sorted((PROJECT_ROOT / "helpdesk").rglob("*.py"))
READ_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "aria-description"}
LETTER = re.compile(r"[^\W\d_]")
HOLE = "\x00"  # stands for a Jinja expression or tag: translated or data, never literal text

# Text that is the same in every language, on purpose.
ALLOWED = {
    "Polyglot Desk",  # the brand
    "/tickets/",  # a URL path in the digest's links
}


def _literal_text(source: str) -> str:
    """The template with every {{ … }}, {% … %} and {# … #} replaced by a hole: what is left is
    what the template itself writes."""
    env = Environment(extensions=["jinja2.ext.i18n"])
    parts = []
    for _line, kind, value in env.lex(source):
        parts.append(value if kind == "data" else HOLE if kind.endswith("_end") else "")
    return "".join(parts)


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self._check(f"{name}={value!r}", value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._check(data.strip(), data)

    def _check(self, shown: str, text: str) -> None:
        if any(_unmarked(piece) for piece in text.split(HOLE)):
            self.found.append(shown.replace(HOLE, "…"))


def _unmarked(piece: str) -> bool:
    """Words, and not ones we allow (punctuation around them aside: "· Polyglot Desk")."""
    words = re.sub(r"^[\W_]+|[\W_]+$", "", piece)
    return bool(LETTER.search(words)) and words not in ALLOWED and piece.strip() not in ALLOWED


def unmarked_in_template(path: Path) -> list[str]:
    text = _literal_text(path.read_text("utf-8"))
    if path.suffix == ".txt":  # mail text: no markup, every literal piece is read
        return [p.strip() for p in text.split(HOLE) if _unmarked(p)]
    finder = _Finder()
    finder.feed(text)
    finder.close()
    return finder.found


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_template_text_is_marked_for_translation(path):
    assert unmarked_in_template(path) == [], "wrap these in {{ _('…') }}"


def test_the_template_check_finds_unmarked_text(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        '<h1>{{ _("Fine") }}</h1><p>Not marked {{ x }}</p>'
        '<input placeholder="Type here" aria-label="{{ _(\'ok\') }}"><b>{{ n }} · —</b>'
        "<p>Polyglot Desk</p>{% if x %}Hidden in a branch{% endif %}"
    )
    assert unmarked_in_template(page) == [
        "Not marked …",
        "placeholder='Type here'",
        "…Hidden in a branch…",
    ]


# --- Python ---------------------------------------------------------------------------------

GETTEXT = {"_", "_l", "gettext", "lazy_gettext", "ngettext", "lazy_ngettext"}


def _is_text(node: ast.AST) -> bool:
    """Literal words: a string constant with letters, an f-string whose literal parts have
    letters, or either one glued to something with + or %."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(LETTER.search(node.value))
    if isinstance(node, ast.JoinedStr):
        return any(_is_text(part) for part in node.values if isinstance(part, ast.Constant))
    if isinstance(node, ast.BinOp):
        return _is_text(node.left) or _is_text(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr == "format" and _is_text(node.func.value)
    return False


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def _problems(call: ast.Call) -> list[ast.AST]:
    name, args = _name(call.func), call.args
    keywords = {k.arg: k.value for k in call.keywords}
    if name in GETTEXT:  # placeholders go as arguments, never formatted in beforehand
        return [a for a in args[:1] if not isinstance(a, ast.Constant)]
    found: list[ast.AST] = []
    if name == "flash" and args:
        found.append(args[0])
    if name.endswith("Field") and (args or "label" in keywords):
        found.append(keywords.get("label") or args[0])
    if "message" in keywords:  # a validator's message
        found.append(keywords["message"])
    if "choices" in keywords and isinstance(keywords["choices"], ast.List | ast.Tuple):
        for choice in keywords["choices"].elts:  # (value, label) tuples or SelectChoice(…)
            parts = choice.args if isinstance(choice, ast.Call) else getattr(choice, "elts", [])
            found.extend(parts[1:2])
    return [node for node in found if _is_text(node)]


def unmarked_in_python(path: Path) -> list[str]:
    tree = ast.parse(path.read_text("utf-8"))
    return [
        f"{path.relative_to(PROJECT_ROOT)}:{node.lineno}: {ast.unparse(node)}"
        for call in ast.walk(tree)
        if isinstance(call, ast.Call)
        for node in _problems(call)
    ]


def test_python_texts_are_marked_for_translation():
    found = [problem for path in PYTHON for problem in unmarked_in_python(path)]
    assert found == [], "mark these with _() or _l(), placeholders as arguments"


def test_the_python_check_finds_unmarked_text(tmp_path):
    module = PROJECT_ROOT / "helpdesk" / "_probe_for_test.py"
    module.write_text(
        "flash('Saved.')\nflash(_('Saved.'))\nname = StringField('Name')\n"
        "ok = StringField(_l('Name'))\nDataRequired(message='Required')\n"
        "_(f'{x} tickets')\n_('%(n)d tickets', n=3)\nflash(describe(error))\n"
        "SelectField(choices=[('a', 'Apple'), ('b', _l('Banana'))])\n"
    )
    try:
        found = unmarked_in_python(module)
    finally:
        module.unlink()
    lines = [problem.split(":")[1] for problem in found]
    assert lines == ["1", "3", "5", "6", "9"]
