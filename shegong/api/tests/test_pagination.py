"""Every paginated list takes ?page and ?page_size, and absurd values are a 422, never a 500."""

import pytest

from shegong.accounts.services import token_issue

LISTS = (
    "/api/v1/people",
    "/api/v1/agencies",
    "/api/v1/notifications",
    "/api/v1/cases",
    "/api/v1/users",
)


@pytest.fixture
def admin_headers(world):
    _token, raw = token_issue(user=world.users["district_admin"])
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.parametrize("path", LISTS)
def test_page_numbers_past_any_real_list_are_refused_cleanly(client, admin_headers, path):
    response = client.get(path, {"page": 10**15}, **admin_headers)
    assert response.status_code == 422
    assert set(response.json()) == {"detail", "errors"}


@pytest.mark.parametrize("path", LISTS)
def test_page_size_is_bounded(client, admin_headers, path):
    assert client.get(path, {"page_size": 10_000}, **admin_headers).status_code == 422
    ok = client.get(path, {"page_size": 2}, **admin_headers)
    assert ok.status_code == 200
    assert len(ok.json()["items"]) <= 2
