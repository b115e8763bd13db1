"""Small wishes: staff's side, and the public list and claim without an account."""

from django.http import Http404
from ninja import Query, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from shegong.api.filters import valid_filterset
from shegong.api.ratelimit import limit_anonymous
from shegong.core.scope import CHANGE, VIEW, can
from shegong.resources import selectors, services
from shegong.resources.api import router
from shegong.resources.api._common import _community, _person, _sorted
from shegong.resources.api.schemas import (
    PublicWishOut,
    WishClaimIn,
    WishClaimOut,
    WishFilterIn,
    WishIn,
    WishOut,
)
from shegong.resources.filters import WishFilter
from shegong.resources.models import Wish

# --- wishes ------------------------------------------------------------------------------------


@router.get(
    "/wishes/public", auth=None, response=list[PublicWishOut], summary="Open small wishes (public)"
)
@paginate
def public_wishes(request):
    limit_anonymous(request, group="wishes")
    return selectors.public_wishes()


@router.post(
    "/wishes/public/{wish_id}/claim",
    auth=None,
    response={201: WishClaimOut},
    summary="Claim an open small wish (no account needed)",
)
def claim_wish(request, wish_id: int, payload: WishClaimIn):
    """One claim per wish: a second claimant gets 409. Rate-limited per address."""
    limit_anonymous(request, group="wish-claim")
    try:
        wish = services.wish_claim(
            wish_id=wish_id, name=payload.name, mobile=payload.mobile, company=payload.company
        )
    except services.WishTaken as exc:
        raise HttpError(409, exc.messages[0]) from exc
    return Status(201, wish)


@router.get("/wishes", response=list[WishOut], summary="Small wishes in my scope")
@paginate
def list_wishes(request, filters: Query[WishFilterIn]):
    if not can(request.auth, Wish, VIEW):
        raise Http404
    rows = selectors.wishes_for(request.auth)
    qs = valid_filterset(WishFilter, filters, queryset=rows, user=request.auth).qs
    return _sorted(qs, filters, "-created_at", "-pk")


@router.post("/wishes", response={201: WishOut}, summary="Post a small wish")
def post_wish(request, payload: WishIn):
    if not services.works_for_place(request.auth):
        raise Http404
    data = payload.dict()
    data["community"] = _community(data.pop("community_id"))
    data["person"] = _person(request.auth, data.pop("person_id"))
    wish = services.wish_post(actor=request.auth, **data)
    return Status(201, selectors.wish_for_user_or_404(request.auth, wish.pk))


@router.get("/wishes/{wish_id}", response=WishOut, summary="One small wish")
def get_wish(request, wish_id: int):
    return selectors.wish_for_user_or_404(request.auth, wish_id)


@router.post("/wishes/{wish_id}/fulfil", response=WishOut, summary="Confirm a wish fulfilled")
def fulfil_wish(request, wish_id: int):
    wish = selectors.wish_for_user_or_404(request.auth, wish_id, CHANGE)
    services.wish_fulfil(actor=request.auth, wish=wish)
    return selectors.wish_for_user_or_404(request.auth, wish_id)
