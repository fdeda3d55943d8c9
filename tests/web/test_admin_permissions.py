"""Every admin page and action: anonymous -> sign-in, liaison/coordinator -> 403, admin -> in."""

import pytest

from helpdesk.core.models import Role

from ..conftest import csrf_token

# Each admin route with a method; POSTs without a valid form are refused before any change, so
# the admin's answer (400/404) shows the role check let them through.
ADMIN_ROUTES = [
    ("GET", "/admin/"),
    ("GET", "/admin/users"),
    ("POST", "/admin/users/invite"),
    ("POST", "/admin/users/1"),
    ("POST", "/admin/users/1/active"),
    ("GET", "/admin/mailboxes"),
    ("POST", "/admin/mailboxes/imap"),
    ("POST", "/admin/mailboxes/imap/999"),
    ("POST", "/admin/mailboxes/imap/999/action"),
    ("POST", "/admin/mailboxes/environment/0/test"),
    ("POST", "/admin/mailboxes/addresses"),
    ("POST", "/admin/mailboxes/addresses/999"),
    ("GET", "/admin/outgoing-mail"),
    ("POST", "/admin/outgoing-mail"),
    ("POST", "/admin/outgoing-mail/test"),
    ("GET", "/admin/audit"),
    ("GET", "/admin/languages"),
    ("GET", "/admin/quarantine"),
]


def _open(client, method, url, token_page):
    """With a valid CSRF token, as a browser would send it: only the role check can refuse."""
    data = {"csrf_token": csrf_token(client.get(token_page).get_data(as_text=True))}
    return client.open(url, method=method, data=data if method == "POST" else None)


def _answers(client, token_page):
    """Each route's status, with a valid CSRF token as a browser sends it: only the role check
    (or, for an admin, the empty form's validation) can refuse. One sign-in for all routes
    keeps the test fast."""
    answers = {}
    for method, url in ADMIN_ROUTES:
        data = {"csrf_token": csrf_token(client.get(token_page).get_data(as_text=True))}
        response = client.open(url, method=method, data=data if method == "POST" else None)
        answers[method, url] = (response.status_code, response.headers.get("Location", ""))
    return answers


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for route, (status, location) in _answers(client, "/auth/login").items():
        assert (route, status) == (route, 302)
        assert "/auth/login" in location, route


@pytest.mark.parametrize("role", [Role.LIAISON, Role.COORDINATOR])
def test_liaisons_and_coordinators_are_refused(client, login_as, make_user, role):
    login_as(make_user(role))
    for route, (status, _location) in _answers(client, "/account").items():
        assert (route, status) == (route, 403)


def test_admins_get_through(client, login_as, make_user):
    login_as(make_user(Role.ADMIN))
    for (method, url), (status, _location) in _answers(client, "/account").items():
        if method == "GET":
            assert (url, status) == (url, 200)
        else:  # an empty form: refused by its validation or a missing record, not by the role
            assert status in (400, 404), url
