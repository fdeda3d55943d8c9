"""HTML read in one linear pass, without building a tree: how big and deep it is, and its text.

Every HTML5 tree builder we measured (lexbor, html5ever inside nh3, gumbo, html5lib) slows down
with the square of the nesting depth: a block start tag looks down the whole stack of open
elements for a ``<p>`` to close. 100,000 nested ``<div>`` cost lexbor 64 s and nh3 about two
minutes. So the shape of the markup is measured here first, by a tokenizer that never looks back
more than amortised constant work per tag, and markup over the limits never reaches a tree
builder: it is read by :func:`strip_tags`, which is linear too.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

# Start or end tag names, as the HTML tokenizer reads them. Tags inside comments or scripts are
# counted too: the shape is an over-estimate, which errs on the safe side.
_TAG = re.compile(r"<(/?)([A-Za-z][^\t\n\f\r />]*)")
_VOID = frozenset(  # elements with no end tag
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    }
)
BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "br",
        "tr",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "table",
        "hr",
        "pre",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "address",
        "article",
        "aside",
        "footer",
        "header",
        "section",
        "center",
        "form",
    }
)
SKIP_TAGS = frozenset({"script", "style", "head", "title", "template", "noscript"})


@dataclass(frozen=True)
class HtmlShape:
    elements: int  # start tags
    depth: int  # deepest nesting of open elements
    work: int  # sum of the depth at every start tag: what a tree builder's scope checks cost


def measure_html(markup: str) -> HtmlShape:
    """Shape of the markup in time linear in its length (every pushed tag is popped at most
    once; a dict of counts answers "is it open?" without scanning the stack)."""
    stack: list[str] = []
    open_counts: dict[str, int] = {}
    elements = depth = work = 0
    for match in _TAG.finditer(markup):
        name = match.group(2).lower()
        if match.group(1):
            if open_counts.get(name):
                while True:  # close it and everything opened inside it, as an end tag does
                    top = stack.pop()
                    open_counts[top] -= 1
                    if top == name:
                        break
        elif name not in _VOID:
            stack.append(name)
            open_counts[name] = open_counts.get(name, 0) + 1
            elements += 1
            work += len(stack)
            depth = max(depth, len(stack))
    return HtmlShape(elements, depth, work)


_SKIPPED = re.compile(  # an element whose contents are not text; unclosed, it runs to the end
    r"<({})\b.*?(?:</\1\s*>|\Z)".format("|".join(sorted(SKIP_TAGS))), re.DOTALL | re.IGNORECASE
)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_BLOCK = re.compile(r"</?(?:{})\b[^>]*>?".format("|".join(sorted(BLOCK_TAGS))), re.IGNORECASE)
_OTHER = re.compile(r"<[A-Za-z/!?][^>]*>?")  # any other tag, doctype, marked section, PI


def strip_tags(markup: str) -> str:
    """Text of any markup, however broken, by four linear substitutions done in C: comments,
    script/style/head contents and tags go, block tags become line breaks, entities are
    unescaped. The last resort when a tree builder must not (over the limits) or could not
    read the markup."""
    text = _COMMENT.sub("", markup)
    text = _SKIPPED.sub("", text)
    text = _BLOCK.sub("\n", text)
    return tidy_text(html.unescape(_OTHER.sub("", text)))


def tidy_text(text: str) -> str:
    """Runs of spaces become one, three or more line breaks become two."""
    text = re.sub(r"[ \t\xa0]+", " ", text)
    return re.sub(r"\n\s*\n\s*\n+", "\n\n", text).strip()
