"""The shell works for every persona: login page, home with scoped figures, health check."""

import pytest

from shegong.core.testing.personas import PERSONAS


@pytest.mark.django_db
def test_login_page_is_chinese_by_default(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "登录" in response.content.decode()


@pytest.mark.django_db
def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


@pytest.mark.parametrize("persona", PERSONAS)
def test_home_renders_for_every_persona(client_for, persona):
    response = client_for(persona).get("/")
    assert response.status_code == 200
    assert 'data-testid="home-figures"' in response.content.decode()


def test_home_figures_follow_scope(client_for):
    street = client_for("street_admin").get("/").context["figures"]
    district = client_for("district_admin").get("/").context["figures"]
    assert street[0].value == 9  # 殿前街道 has nine communities
    assert district[0].value == 56
