"""People API: the same FilterSet, services and scope as the pages; masked values except reveal."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from shegong.api.filters import valid_filterset
from shegong.core.scope import CHANGE, VIEW, can
from shegong.people.choices import ConsentKind, ConsentScope, Gender, IdType
from shegong.people.filters import PersonFilter
from shegong.people.models import Consent, Person
from shegong.people.permissions import may_list_people
from shegong.people.selectors import consents_of, people_for, user_agency
from shegong.people.services import (
    consent_record,
    consent_withdraw,
    person_create,
    person_reveal,
    person_update,
)

router = Router(tags=["people"])


class PersonOut(Schema):
    id: int
    number: str
    name: str
    gender: Gender
    birth_date: datetime.date | None
    age: int | None = Field(None, description="Whole years today")
    id_type: IdType
    id_number_masked: str
    mobile_masked: str
    community_id: int | None
    community_name: str | None = None
    owner_agency_id: int | None
    owner_agency_name: str | None = None
    is_minor: bool
    created_at: datetime.datetime

    @staticmethod
    def resolve_age(obj):
        return obj.age()

    @staticmethod
    def resolve_community_name(obj):
        return obj.community.name if obj.community else None

    @staticmethod
    def resolve_owner_agency_name(obj):
        return obj.owner_agency.name if obj.owner_agency else None


class PersonIn(Schema):
    name: str
    id_type: IdType = IdType.RESIDENT_ID
    id_number: str = ""
    gender: Gender = Gender.UNKNOWN
    birth_date: datetime.date | None = None
    mobile: str = ""
    community_id: int | None = None


class PersonPatch(Schema):
    name: str | None = None
    id_type: IdType | None = None
    id_number: str | None = None
    gender: Gender | None = None
    birth_date: datetime.date | None = None
    mobile: str | None = None
    community_id: int | None = None


class RevealOut(Schema):
    id: int
    id_number: str
    mobile: str


class PersonQuery(Schema):
    q: str | None = Field(None, description="Name, pinyin, initials, exact ID number or mobile")
    community: int | None = None
    gender: Gender | None = None
    id_type: IdType | None = None
    age_min: int | None = None
    age_max: int | None = None
    born_from: datetime.date | None = None
    born_to: datetime.date | None = None
    sort: str | None = Field(
        None,
        description="number, name, gender, birth_date, age, id_type, community, owner_agency; "
        "'-' descends",
    )


class ConsentOut(Schema):
    id: int
    kind: ConsentKind
    scope: ConsentScope
    given_on: datetime.date
    given_by: str
    guardian_relation: str
    note: str
    withdrawn_on: datetime.date | None
    is_active: bool


class ConsentIn(Schema):
    kind: ConsentKind
    scope: ConsentScope
    given_on: datetime.date
    given_by: str
    guardian_relation: str = ""
    note: str = ""


class WithdrawIn(Schema):
    withdrawn_on: datetime.date


def _require(user, action: str) -> None:
    if not can(user, Person, action):
        raise PermissionDenied


def _person(user, person_id: int, action: str = VIEW) -> Person:
    return Person.objects.select_related("community", "owner_agency").get_for_user_or_404(
        user, action, pk=person_id
    )


def _community(community_id: int | None):
    """Resolve an id; whether the user may choose it is the service's decision."""
    from shegong.places.models import Community

    if community_id is None:
        return None
    community = Community.objects.filter(pk=community_id).first()
    if community is None:
        raise ValidationError({"community_id": [_("Choose a community inside your own scope.")]})
    return community


def _service_data(payload: dict) -> dict:
    if "community_id" in payload:
        payload["community"] = _community(payload.pop("community_id"))
    return payload


def _rename_community_errors(exc: ValidationError) -> ValidationError:
    """The service speaks of ``community``; API clients sent ``community_id``."""
    if not hasattr(exc, "error_dict"):
        return exc
    errors = exc.message_dict
    if "community" in errors:
        errors["community_id"] = errors.pop("community")
    return type(exc)(errors)  # the same kind: a RateLimited stays a 429


@router.get("", response=list[PersonOut], summary="People in my scope")
@paginate
def list_people(request, filters: Query[PersonQuery]):
    if not may_list_people(request.auth):
        raise PermissionDenied
    people = people_for(request.auth)
    return valid_filterset(PersonFilter, filters, queryset=people, user=request.auth).qs


@router.post("", response={201: PersonOut}, summary="Register a person")
def create_person(request, payload: PersonIn):
    _require(request.auth, CHANGE)
    data = _service_data(payload.dict())
    try:
        person = person_create(
            actor=request.auth,
            owner_agency=user_agency(request.auth),
            request=request,
            **data,
        )
    except ValidationError as exc:
        raise _rename_community_errors(exc) from exc
    return Status(201, _person(request.auth, person.pk))


@router.get("/{int:person_id}", response=PersonOut, summary="One person (masked)")
def get_person(request, person_id: int):
    return _person(request.auth, person_id)


@router.patch("/{int:person_id}", response=PersonOut, summary="Change a person")
def update_person(request, person_id: int, payload: PersonPatch):
    person = _person(request.auth, person_id, CHANGE)
    data = _service_data(payload.dict(exclude_unset=True))
    try:
        person_update(actor=request.auth, person=person, request=request, **data)
    except ValidationError as exc:
        raise _rename_community_errors(exc) from exc
    return _person(request.auth, person_id)


@router.post(
    "/{int:person_id}/reveal",
    response=RevealOut,
    summary="Full ID number and mobile (written to the access log)",
)
def reveal_person(request, person_id: int):
    person = _person(request.auth, person_id)
    values = person_reveal(actor=request.auth, person=person, request=request)
    return {"id": person.pk, **values}


@router.get("/{int:person_id}/consents", response=list[ConsentOut], summary="Consents")
def list_consents(request, person_id: int):
    return list(consents_of(_person(request.auth, person_id)))


@router.post("/{int:person_id}/consents", response={201: ConsentOut}, summary="Record a consent")
def create_consent(request, person_id: int, payload: ConsentIn):
    person = _person(request.auth, person_id, CHANGE)
    consent = consent_record(actor=request.auth, person=person, **payload.dict())
    return Status(201, consent)


@router.post(
    "/{int:person_id}/consents/{int:consent_id}/withdraw",
    response=ConsentOut,
    summary="Withdraw a consent",
)
def withdraw_consent(request, person_id: int, consent_id: int, payload: WithdrawIn):
    person = _person(request.auth, person_id, CHANGE)
    consent = Consent.objects.get_for_user_or_404(
        request.auth, CHANGE, pk=consent_id, person=person
    )
    return consent_withdraw(actor=request.auth, consent=consent, withdrawn_on=payload.withdrawn_on)
