"""Writes to the client file: the file itself, the household, the Taiwan compatriot checklist."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shegong.cases.choices import TaiwanItem
from shegong.cases.models import ClientFile, HouseholdMember, TaiwanFileItem
from shegong.cases.services._common import _raise, _require
from shegong.core.audit import set_actor
from shegong.people.choices import IdType
from shegong.people.models import Person

# --- client file -----------------------------------------------------------------------------


@transaction.atomic
def client_file_save(
    *,
    actor,
    person: Person,
    target_groups=(),
    address: str = "",
    living_situation: str = "",
    notes: str = "",
) -> ClientFile:
    _require(actor, person)
    with set_actor(actor):
        client_file, _created = ClientFile.objects.get_or_create(person=person)
        client_file.address = address.strip()
        client_file.living_situation = living_situation.strip()
        client_file.notes = notes.strip()
        client_file.full_clean()
        client_file.save()
        client_file.target_groups.set(target_groups)
    return client_file


@transaction.atomic
def household_member_add(
    *,
    actor,
    client_file: ClientFile,
    name: str,
    relation: str,
    phone: str = "",
    lives_with_client: bool = True,
    is_guardian: bool = False,
    is_emergency_contact: bool = False,
    person: Person | None = None,
) -> HouseholdMember:
    """Add a member to the household; a client's first member also creates their (empty)
    client file (pass the unsaved one selectors.client_file_of gives), and neither is kept if
    the member is refused."""
    from shegong.people.validators import validate_mobile

    if client_file.pk is None:
        client_file = client_file_save(actor=actor, person=client_file.person)
    _require(actor, client_file)
    errors = {}
    if not name.strip():
        errors["name"] = [_("Enter the name.")]
    if not relation.strip():
        errors["relation"] = [_("Say how this person is related to the client.")]
    if phone:
        try:
            phone = validate_mobile(phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages
    _raise(errors)
    with set_actor(actor):
        member = HouseholdMember(
            client_file=client_file,
            name=name.strip(),
            relation=relation.strip(),
            phone=phone,
            person=person,
            lives_with_client=lives_with_client,
            is_guardian=is_guardian,
            is_emergency_contact=is_emergency_contact,
        )
        member.full_clean()
        member.save()
    return member


@transaction.atomic
def household_member_remove(*, actor, member: HouseholdMember) -> None:
    _require(actor, member)
    with set_actor(actor):
        member.delete()


@transaction.atomic
def taiwan_item_set(
    *, actor, person: Person, item: str, status: str, note: str = ""
) -> TaiwanFileItem:
    _require(actor, person)
    if person.id_type != IdType.TAIWAN_PERMIT:
        raise ValidationError(
            {"item": [_("The Taiwan file is for holders of a Taiwan residence permit (830000…).")]}
        )
    if item not in TaiwanItem.values:
        raise ValidationError({"item": [_("Unknown checklist item.")]})
    with set_actor(actor):
        entry, _created = TaiwanFileItem.objects.get_or_create(person=person, item=item)
        entry.status = status
        entry.note = note.strip()
        entry.full_clean()
        entry.save()
    return entry
