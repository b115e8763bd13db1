"""The lists' objects for the authorization matrix (tests/test_authorization_matrix.py), built
through the services: a need of 兴隆社区 dispatched to agency A, agency A's resource, a project
led by agency A and an open wish; and the sentinels: agency B's needs, resources and projects in
兴隆社区 and in another street, and a wish in another street."""

from shegong.core.testing.matrix import Sentinel
from shegong.places.models import Community
from shegong.resources import services
from shegong.resources.choices import Category, ResourceKind


def resource_objects(world) -> dict:
    staff = world.users["community_staff"]
    need = services.need_raise(
        actor=staff,
        title="矩阵需求",
        category=Category.ELDERLY,
        community=world.home_community,
        people_affected=3,
    )
    services.need_dispatch(actor=staff, need=need, agency=world.agency_a)
    resource = services.resource_create(
        actor=world.users["agency_admin"],
        name="矩阵资源",
        kind=ResourceKind.VENUE,
        owner_agency=world.agency_a,
        categories=[Category.ELDERLY],
    )
    project = services.project_save(
        actor=staff,
        title="矩阵项目",
        community=world.home_community,
        starts_on=world.home_community.created_at.date(),
        lead_agency=world.agency_a,
        needs=[need],
    )
    wish = services.wish_post(
        actor=staff, title="矩阵心愿", community=world.home_community, recipient_description="老人"
    )
    return {
        "need_a": need.pk,
        "resource_a": resource.pk,
        "project_a": project.pk,
        "wish_a": wish.pk,
    }


def resource_sentinels(world) -> list[Sentinel]:
    admin = world.users["district_admin"]
    other = Community.objects.filter(street=world.other_street).order_by("code").first()
    home_place = frozenset({"district_admin", "street_admin", "community_staff"})
    agency_b = frozenset({"social_worker_b"})
    where = {
        "other_agency": (world.home_community, home_place | agency_b),
        "other_street": (other, frozenset({"district_admin"}) | agency_b),
    }
    sentinels = []
    for key, (community, visible) in where.items():
        need = services.need_raise(
            actor=admin, title=f"哨兵需求{key}", category=Category.MINORS, community=community
        )
        services.need_dispatch(actor=admin, need=need, agency=world.agency_b)
        resource = services.resource_create(
            actor=admin,
            name=f"哨兵资源{key}",
            kind=ResourceKind.GOODS,
            owner_agency=world.agency_b,
            community=community,
        )
        project = services.project_save(
            actor=admin,
            title=f"哨兵项目{key}",
            community=community,
            starts_on=community.created_at.date(),
            lead_agency=world.agency_b,
        )
        sentinels += [
            Sentinel(
                key=f"need_{key}",
                kind="need",
                pk=need.pk,
                path=f"/resources/needs/{need.pk}/",
                texts=(need.number, need.title),
                visible_to=visible,
                searches={need.title: visible, need.number: visible},
            ),
            Sentinel(
                key=f"resource_{key}",
                kind="resource",
                pk=resource.pk,
                path=f"/resources/{resource.pk}/",
                texts=(resource.name,),
                visible_to=visible,
                searches={resource.name: visible},
            ),
            Sentinel(
                key=f"project_{key}",
                kind="project",
                pk=project.pk,
                path=f"/resources/projects/{project.pk}/",
                texts=(project.title,),
                visible_to=visible,
                searches={project.title: visible},
            ),
        ]
    wish = services.wish_post(
        actor=admin, title="哨兵心愿", community=other, recipient_description="老人"
    )
    sentinels.append(
        Sentinel(
            key="wish_other_street",
            kind="wish",
            pk=wish.pk,
            path=f"/resources/wishes/{wish.pk}/",
            texts=(wish.title,),
            visible_to=frozenset({"district_admin"}),
            searches={wish.title: frozenset({"district_admin"})},
        )
    )
    return sentinels
