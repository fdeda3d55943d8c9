"""Every page's markup is well nested: an unclosed form or section breaks the page silently."""

from html.parser import HTMLParser

from helpdesk.core.models import Role

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class NestingChecker(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            if tag in self.stack:
                while self.stack.pop() != tag:
                    pass
        else:
            self.stack.pop()


def _problems(html: str) -> list[str]:
    checker = NestingChecker()
    checker.feed(html)
    return checker.problems + [f"<{tag}> never closed" for tag in checker.stack]


def test_pages_are_well_nested(client, session, login_as, make_user, create_ticket):
    admin = make_user(Role.ADMIN, languages=("fr",))
    ticket = create_ticket("fr")
    login_as(admin)
    for url in (
        "/queue/mine",
        "/queue/languages",
        "/queue/all",
        f"/tickets/{ticket.id}",
        "/account",
        "/admin/languages",
        "/admin/quarantine",
        "/admin/templates",
        "/dashboard/",
        "/dashboard/fragment",
        "/dashboard/report",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _problems(response.get_data(as_text=True)) == [], url
