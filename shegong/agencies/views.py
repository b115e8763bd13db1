from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shegong.agencies.exports import agencies_xlsx
from shegong.agencies.forms import AgencyForm
from shegong.agencies.models import Agency
from shegong.agencies.selectors import agency_filter, agency_for_user_or_404, may_change
from shegong.agencies.services import agency_create, agency_update, may_create_agency
from shegong.core.exports import xlsx_response
from shegong.core.forms import apply_service_errors
from shegong.core.lists import Column, headers, page_of
from shegong.core.ordering import field_label
from shegong.core.scope import CHANGE, VIEW, can

# Sort keys are the AgencyFilter's (``?sort=``); the contact phone is encrypted and masked.
COLUMNS = [
    Column(field_label(Agency, "name"), sort="name"),
    Column(field_label(Agency, "uscc"), sort="uscc"),
    Column(field_label(Agency, "kind"), sort="kind"),
    Column(gettext_lazy("Street"), sort="street"),
    Column(field_label(Agency, "community"), sort="community"),
    Column(field_label(Agency, "contact_name"), sort="contact_name"),
    Column(field_label(Agency, "contact_phone")),
    Column(field_label(Agency, "is_active"), sort="is_active"),
]


def _require_viewer(user):
    if not can(user, Agency, VIEW):
        raise PermissionDenied


@login_required
def agency_list(request):
    _require_viewer(request.user)
    filterset = agency_filter(request.user, request.GET)
    context = {
        "filter": filterset,
        "page_obj": page_of(request, filterset.qs),
        "headers": headers(request, COLUMNS),
        "may_create": may_create_agency(request.user),
        "query": request.GET.urlencode(),
    }
    template = "agencies/_agency_table.html" if request.htmx else "agencies/agency_list.html"
    return render(request, template, context)


@login_required
def agency_export(request):
    _require_viewer(request.user)
    filterset = agency_filter(request.user, request.GET)
    content = agencies_xlsx(
        filterset.qs.order_by("community__street__code", "name"),
        user=request.user,
        request=request,
        filters=request.GET.urlencode(),
    )
    return xlsx_response(content, "agencies")


@login_required
def agency_detail(request, pk):
    agency = agency_for_user_or_404(request.user, pk)
    return render(
        request,
        "agencies/agency_detail.html",
        {"agency": agency, "may_change": may_change(request.user, agency)},
    )


@login_required
def agency_create_view(request):
    if not may_create_agency(request.user):
        raise PermissionDenied
    form = AgencyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            agency = agency_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Agency %(name)s registered.") % {"name": agency.name})
            return redirect("agencies:detail", pk=agency.pk)
    return render(request, "agencies/agency_form.html", {"form": form, "agency": None})


@login_required
def agency_edit(request, pk):
    agency = agency_for_user_or_404(request.user, pk, CHANGE)
    form = AgencyForm(request.POST or None, instance=agency, user=request.user)
    if request.method == "POST" and form.is_valid():
        # Only what changed goes to the service, so a disabled field is never "changed".
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            agency_update(actor=request.user, agency=agency, **data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Agency %(name)s saved.") % {"name": agency.name})
            return redirect("agencies:detail", pk=agency.pk)
    return render(request, "agencies/agency_form.html", {"form": form, "agency": agency})
