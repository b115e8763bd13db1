"""The client file: the file, the household and the Taiwan compatriot checklist."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.cases import selectors, services
from shegong.cases.choices import TaiwanItem
from shegong.cases.forms import ClientFileForm, HouseholdMemberForm, TaiwanItemForm
from shegong.cases.models import HouseholdMember
from shegong.core.forms import apply_service_errors
from shegong.core.scope import CHANGE
from shegong.people.choices import IdType
from shegong.people.models import Person
from shegong.people.selectors import consents_of, user_agency

# --- client file ----------------------------------------------------------------------------------


def _client_context(request, person: Person, **bound) -> dict:
    user = request.user
    client_file = selectors.client_file_of(person)
    may_change = Person.objects.for_user(user, CHANGE).filter(pk=person.pk).exists()
    is_taiwan = person.id_type == IdType.TAIWAN_PERMIT
    context = {
        "person": person,
        "client_file": client_file,
        "household": selectors.household_of(client_file),
        "cases": selectors.person_cases(user, person),
        "consents": consents_of(person),
        "may_change": may_change,
        "may_open": may_change and user_agency(user) is not None,
        "is_taiwan": is_taiwan,
    }
    if may_change:
        context["file_form"] = bound.get("file_form") or ClientFileForm(
            initial={
                "target_groups": list(client_file.target_groups.all()) if client_file.pk else [],
                "address": client_file.address,
                "living_situation": client_file.living_situation,
                "notes": client_file.notes,
            }
        )
        context["member_form"] = bound.get("member_form") or HouseholdMemberForm()
    if is_taiwan:
        items = selectors.taiwan_items_of(person)
        rows = []
        for item in TaiwanItem:
            entry = items.get(item.value)
            form = bound.get("taiwan", {}).get(item.value) or TaiwanItemForm(
                prefix=f"tw-{item.value}",
                initial={"status": entry.status, "note": entry.note} if entry else None,
            )
            rows.append({"item": item, "entry": entry, "form": form})
        context["taiwan_rows"] = rows
    return context


@login_required
def client_file(request, person_pk):
    person = selectors.client_person_or_404(request.user, person_pk)
    if request.method == "POST":
        person = selectors.client_person_or_404(request.user, person_pk, CHANGE)
        form = ClientFileForm(request.POST)
        if form.is_valid():
            try:
                services.client_file_save(actor=request.user, person=person, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Client file saved."))
                return redirect("cases:client_file", person_pk=person.pk)
        return render(
            request, "cases/client_file.html", _client_context(request, person, file_form=form)
        )
    return render(request, "cases/client_file.html", _client_context(request, person))


@login_required
@require_POST
def household_add(request, person_pk):
    person = selectors.client_person_or_404(request.user, person_pk, CHANGE)
    form = HouseholdMemberForm(request.POST)
    if form.is_valid():
        try:
            services.household_member_add(
                actor=request.user,
                client_file=selectors.client_file_of(person),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Household member added."))
            return redirect(reverse("cases:client_file", args=[person.pk]) + "#household")
    return render(
        request, "cases/client_file.html", _client_context(request, person, member_form=form)
    )


@login_required
@require_POST
def household_remove(request, person_pk, member_pk):
    person = selectors.client_person_or_404(request.user, person_pk, CHANGE)
    member = HouseholdMember.objects.get_for_user_or_404(
        request.user, CHANGE, pk=member_pk, client_file__person=person
    )
    services.household_member_remove(actor=request.user, member=member)
    messages.success(request, _("Household member removed."))
    return redirect(reverse("cases:client_file", args=[person.pk]) + "#household")


@login_required
@require_POST
def taiwan_item(request, person_pk, item):
    person = selectors.client_person_or_404(request.user, person_pk, CHANGE)
    if item not in TaiwanItem.values:
        raise Http404
    form = TaiwanItemForm(request.POST, prefix=f"tw-{item}")
    if form.is_valid():
        try:
            services.taiwan_item_set(
                actor=request.user, person=person, item=item, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Checklist updated."))
            return redirect(reverse("cases:client_file", args=[person.pk]) + "#taiwan")
    if person.id_type != IdType.TAIWAN_PERMIT:
        for error in form.non_field_errors() or form.errors.get("status", []):
            messages.error(request, error)
        return redirect("cases:client_file", person_pk=person.pk)
    return render(
        request, "cases/client_file.html", _client_context(request, person, taiwan={item: form})
    )
