"""The place tree page and the urban-village flag."""

from shegong.places.models import Community


def test_tree_lists_every_street_and_community(client_for):
    page = client_for("community_staff").get("/places/").content.decode()
    assert page.count('data-testid="place-tree"') == 1
    names = ("湖里街道", "殿前街道", "禾山街道", "江头街道", "金山街道", "兴隆社区", "金海社区")
    for name in names:
        assert name in page


def test_district_admin_flags_an_urban_village(client_for, world):
    community = Community.objects.get(name="兴隆社区")
    assert not community.urban_village
    response = client_for("district_admin").post(
        f"/places/communities/{community.pk}/urban-village/"
    )
    assert response.status_code == 302
    community.refresh_from_db()
    assert community.urban_village


def test_others_cannot_flag_and_get_404(client_for, world):
    community = Community.objects.get(name="兴隆社区")
    for persona in ("street_admin", "community_staff", "agency_admin"):
        response = client_for(persona).post(f"/places/communities/{community.pk}/urban-village/")
        assert response.status_code == 404
    community.refresh_from_db()
    assert not community.urban_village


def test_toggle_needs_post(client_for, world):
    community = Community.objects.get(name="兴隆社区")
    response = client_for("district_admin").get(
        f"/places/communities/{community.pk}/urban-village/"
    )
    assert response.status_code == 405
