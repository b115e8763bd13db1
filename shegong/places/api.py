from ninja import Router, Schema

from shegong.places.models import Community
from shegong.places.selectors import place_tree

router = Router(tags=["places"])


class CommunityOut(Schema):
    id: int
    code: str
    name: str
    urban_village: bool
    street_id: int


class StreetOut(Schema):
    id: int
    code: str
    name: str
    communities: list[CommunityOut]


class DistrictOut(Schema):
    id: int
    code: str
    name: str
    streets: list[StreetOut]


@router.get("/tree", response=list[DistrictOut], summary="District → street → community tree")
def tree(request):
    return [
        {
            "id": d.pk,
            "code": d.code,
            "name": d.name,
            "streets": [
                {
                    "id": s.pk,
                    "code": s.code,
                    "name": s.name,
                    "communities": list(s.communities.all()),
                }
                for s in d.streets.all()
            ],
        }
        for d in place_tree(request.auth)
    ]


@router.get("/communities", response=list[CommunityOut], summary="Communities")
def communities(request, urban_village: bool | None = None, street_id: int | None = None):
    qs = Community.objects.for_user(request.auth)
    if urban_village is not None:
        qs = qs.filter(urban_village=urban_village)
    if street_id is not None:
        qs = qs.filter(street_id=street_id)
    return list(qs)


@router.get("/communities/{community_id}", response=CommunityOut, summary="One community")
def community(request, community_id: int):
    return Community.objects.get_for_user_or_404(request.auth, pk=community_id)
