"""Signing in, the login wall, CSRF and security headers."""

import pytest

from ..conftest import csrf_token
from ..factories import PASSWORD


@pytest.mark.parametrize("url", ["/", "/queue/mine", "/queue/all", "/tickets/1", "/attachments/1"])
def test_every_page_needs_a_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.location.startswith("/auth/login")


def test_login_with_right_password_then_logout(client, make_user):
    user = make_user()
    page = client.get("/auth/login").get_data(as_text=True)
    response = client.post(
        "/auth/login",
        data={"email": user.email.upper(), "password": PASSWORD, "csrf_token": csrf_token(page)},
    )
    assert response.status_code == 302
    assert client.get("/queue/mine").status_code == 200
    page = client.get("/queue/mine").get_data(as_text=True)
    client.post("/auth/logout", data={"csrf_token": csrf_token(page)})
    assert client.get("/queue/mine").status_code == 302


def test_wrong_password_re_renders_the_form_with_a_message(client, make_user):
    user = make_user()
    page = client.get("/auth/login").get_data(as_text=True)
    response = client.post(
        "/auth/login",
        data={"email": user.email, "password": "wrong password", "csrf_token": csrf_token(page)},
    )
    assert response.status_code == 200
    assert "Wrong email or password." in response.get_data(as_text=True)
    assert client.get("/queue/mine").status_code == 302


def test_login_without_csrf_token_is_refused(client, make_user):
    user = make_user()
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/queue/mine").status_code == 302


def test_next_parameter_never_leaves_the_site(client, make_user):
    user = make_user()
    page = client.get("/auth/login").get_data(as_text=True)
    response = client.post(
        "/auth/login?next=//evil.example/",
        data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(page)},
    )
    assert response.location == "/"


def test_responses_carry_a_content_security_policy(client):
    response = client.get("/auth/login")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
