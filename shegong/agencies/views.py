from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from shegong.agencies.models import Agency


@login_required
def agency_list(request):
    agencies = Agency.objects.for_user(request.user).select_related("community__street")
    return render(request, "agencies/agency_list.html", {"agencies": agencies})
