"""The client file: target groups, household, Taiwan compatriot checklist."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Status

from shegong.cases import selectors, services
from shegong.cases.api import router
from shegong.cases.api.render import (
    call,
)
from shegong.cases.api.schemas import (
    ClientFileIn,
    ClientFileOut,
    HouseholdMemberIn,
    HouseholdMemberOut,
    TaiwanFileOut,
    TaiwanItemIn,
    TargetGroupOut,
)
from shegong.cases.choices import (
    ItemStatus,
    TaiwanItem,
)
from shegong.cases.models import (
    HouseholdMember,
    TargetGroup,
)
from shegong.core.scope import CHANGE
from shegong.people.choices import IdType
from shegong.people.models import Person

# --- client file -----------------------------------------------------------------------------


@router.get("/target-groups", response=list[TargetGroupOut], summary="Target groups")
def list_target_groups(request):
    return list(TargetGroup.objects.for_user(request.auth).filter(is_active=True))


def _client_file_out(person: Person) -> dict:
    client_file = selectors.client_file_of(person)
    exists = client_file.pk is not None
    return {
        "person_id": person.pk,
        "person_name": person.name,
        "exists": exists,
        "target_groups": list(client_file.target_groups.all()) if exists else [],
        "address": client_file.address,
        "living_situation": client_file.living_situation,
        "notes": client_file.notes,
        "household": [
            {
                "id": m.pk,
                "name": m.name,
                "relation": m.relation,
                "person_id": m.person_id,
                "phone_masked": m.phone_masked,
                "lives_with_client": m.lives_with_client,
                "is_guardian": m.is_guardian,
                "is_emergency_contact": m.is_emergency_contact,
            }
            for m in selectors.household_of(client_file)
        ],
    }


@router.get("/clients/{int:person_id}/file", response=ClientFileOut, summary="Client file")
def get_client_file(request, person_id: int):
    return _client_file_out(selectors.client_person_or_404(request.auth, person_id))


@router.put("/clients/{int:person_id}/file", response=ClientFileOut, summary="Save client file")
def save_client_file(request, person_id: int, payload: ClientFileIn):
    person = selectors.client_person_or_404(request.auth, person_id, CHANGE)
    wanted = set(payload.target_group_ids)
    # Ids beyond the database's integer range cannot name a row (and would not fit a query).
    groups = list(
        TargetGroup.objects.filter(pk__in=[i for i in wanted if 0 < i < 2**63], is_active=True)
    )
    if len(groups) != len(wanted):
        raise ValidationError({"target_group_ids": [_("Choose target groups from the list.")]})
    call(
        services.client_file_save,
        actor=request.auth,
        person=person,
        target_groups=groups,
        address=payload.address,
        living_situation=payload.living_situation,
        notes=payload.notes,
    )
    return _client_file_out(person)


@router.post(
    "/clients/{int:person_id}/household",
    response={201: HouseholdMemberOut},
    summary="Add a household member",
)
def add_household_member(request, person_id: int, payload: HouseholdMemberIn):
    person = selectors.client_person_or_404(request.auth, person_id, CHANGE)
    relative = None
    if payload.person_id is not None:
        relative = Person.objects.for_user(request.auth).filter(pk=payload.person_id).first()
        if relative is None:
            raise ValidationError({"person_id": [_("Choose a person from your own records.")]})
    data = payload.dict(exclude={"person_id"})
    member = call(
        services.household_member_add,
        actor=request.auth,
        client_file=selectors.client_file_of(person),
        person=relative,
        **data,
    )
    return Status(
        201,
        {
            "id": member.pk,
            "name": member.name,
            "relation": member.relation,
            "person_id": member.person_id,
            "phone_masked": member.phone_masked,
            "lives_with_client": member.lives_with_client,
            "is_guardian": member.is_guardian,
            "is_emergency_contact": member.is_emergency_contact,
        },
    )


@router.delete(
    "/clients/{int:person_id}/household/{int:member_id}",
    response={204: None},
    summary="Remove a household member",
)
def remove_household_member(request, person_id: int, member_id: int):
    person = selectors.client_person_or_404(request.auth, person_id, CHANGE)
    member = HouseholdMember.objects.get_for_user_or_404(
        request.auth, CHANGE, pk=member_id, client_file__person=person
    )
    services.household_member_remove(actor=request.auth, member=member)
    return Status(204, None)


def _taiwan_out(person: Person) -> dict:
    items = selectors.taiwan_items_of(person)
    return {
        "person_id": person.pk,
        "applies": person.id_type == IdType.TAIWAN_PERMIT,
        "items": [
            {
                "item": value,
                "label": str(label),
                "status": items[value].status if value in items else ItemStatus.NOT_STARTED,
                "note": items[value].note if value in items else "",
            }
            for value, label in TaiwanItem.choices
        ],
    }


@router.get(
    "/clients/{int:person_id}/taiwan", response=TaiwanFileOut, summary="Taiwan file checklist"
)
def get_taiwan_file(request, person_id: int):
    return _taiwan_out(selectors.client_person_or_404(request.auth, person_id))


@router.put(
    "/clients/{int:person_id}/taiwan/{item}",
    response=TaiwanFileOut,
    summary="Set one checklist item",
)
def set_taiwan_item(request, person_id: int, item: str, payload: TaiwanItemIn):
    person = selectors.client_person_or_404(request.auth, person_id, CHANGE)
    call(
        services.taiwan_item_set,
        actor=request.auth,
        person=person,
        item=item,
        status=payload.status,
        note=payload.note,
    )
    return _taiwan_out(person)
