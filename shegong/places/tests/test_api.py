"""Read API of the place tree."""

from shegong.accounts.services import token_issue


def bearer(user):
    _token, raw = token_issue(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_tree_api_returns_the_whole_tree(client, world):
    response = client.get("/api/v1/places/tree", **bearer(world.users["volunteer"]))
    assert response.status_code == 200
    [district] = response.json()
    assert len(district["streets"]) == 5
    assert sum(len(s["communities"]) for s in district["streets"]) == 56


def test_communities_filter_by_urban_village(client, world):
    response = client.get(
        "/api/v1/places/communities?urban_village=true", **bearer(world.users["district_admin"])
    )
    assert response.status_code == 200
    assert len(response.json()) == 10
    assert all(c["urban_village"] for c in response.json())


def test_unknown_community_is_a_json_404(client, world):
    response = client.get(
        "/api/v1/places/communities/999999", **bearer(world.users["district_admin"])
    )
    assert response.status_code == 404
    body = response.json()
    assert body["errors"] == {} and body["detail"]


def test_api_needs_authentication(client, world):
    response = client.get("/api/v1/places/tree")
    assert response.status_code == 401
    assert set(response.json()) == {"detail", "errors"}
