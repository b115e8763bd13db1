"""Activities delivered under a purchased-service project: linked only when the actor sees the
project, it is the organising agency's and serves the activity's community, and the activity
starts within its period; the activity page names the project, and the API carries its id."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone, translation

from shegong.accounts.services import token_issue
from shegong.activities.models import Activity
from shegong.activities.tests.factories import make_activity
from shegong.places.models import Community
from shegong.purchasing.tests.factories import make_budget, make_project


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def budget(world):
    return make_budget(world, year=timezone.localdate().year)


@pytest.fixture
def project(world, budget):
    return make_project(world, budget=budget, communities=[world.home_community])


def test_an_agency_activity_is_delivered_under_its_project(world, project, client_for):
    activity = make_activity(world, persona="agency_admin", project=project)
    assert Activity.objects.get(pk=activity.pk).project == project
    page = client_for("agency_admin").get(f"/activities/{activity.pk}/").content.decode()
    assert 'data-testid="activity-project"' in page and project.title in page


def test_another_agencys_project_is_refused_and_nothing_written(world, budget):
    theirs = make_project(
        world, budget=budget, agency=world.agency_b, communities=[world.home_community]
    )
    with pytest.raises(ValidationError) as refused:
        make_activity(world, persona="agency_admin", project=theirs)
    assert set(refused.value.message_dict) == {"project"}
    assert not Activity.objects.exists()


def test_a_project_not_serving_the_community_is_refused(world, budget):
    elsewhere = world.home_street.communities.exclude(pk=world.home_community.pk).first()
    project = make_project(world, budget=budget, communities=[elsewhere])
    with pytest.raises(ValidationError) as refused:
        make_activity(world, persona="agency_admin", project=project)
    assert "机构" in refused.value.message_dict["project"][0]
    assert not Activity.objects.exists()


def test_an_activity_starting_outside_the_project_period_is_refused(world):
    last_year = make_budget(world, year=timezone.localdate().year - 1)
    project = make_project(world, budget=last_year, communities=[world.home_community])
    with pytest.raises(ValidationError) as refused:
        make_activity(world, persona="agency_admin", project=project)
    assert set(refused.value.message_dict) == {"starts_on"}
    assert not Activity.objects.exists()


def test_the_api_links_and_unlinks_and_hides_projects_out_of_view(world, project, budget):
    _token, raw = token_issue(user=world.users["agency_admin"], name="t")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    body = {
        "kind": "community",
        "title": "项目义诊",
        "community_id": world.home_community.pk,
        "agency_id": world.agency_a.pk,
        "starts_on": timezone.localdate().isoformat(),
        "ends_on": timezone.localdate().isoformat(),
    }
    far = Community.objects.filter(street=world.other_street).first()
    hidden = make_project(world, budget=budget, agency=world.agency_b, communities=[far])
    for missing in (hidden.pk, 10**9):
        refused = client.post(
            "/api/v1/activities", {**body, "project_id": missing}, content_type="application/json"
        )
        assert refused.status_code == 400
        assert refused.json()["errors"]["project"] == ["请选择您可查看的政府购买服务项目。"]
    assert not Activity.objects.exists()
    created = client.post(
        "/api/v1/activities", {**body, "project_id": project.pk}, content_type="application/json"
    )
    assert created.status_code == 201 and created.json()["project_id"] == project.pk
    unlinked = client.patch(
        f"/api/v1/activities/{created.json()['id']}",
        {"project_id": None},
        content_type="application/json",
    )
    assert unlinked.status_code == 200 and unlinked.json()["project_id"] is None


def test_the_form_offers_the_leads_projects_only(world, project, budget, client_for):
    make_project(world, budget=budget, agency=world.agency_b, communities=[world.home_community])
    form = client_for("agency_admin").get("/activities/new/").context["form"]
    assert list(form.fields["project"].queryset) == [project]
    staff_form = client_for("community_staff").get("/activities/new/").context["form"]
    assert "project" not in staff_form.fields
