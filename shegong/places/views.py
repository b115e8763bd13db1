from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shegong.core.scope import CHANGE, can
from shegong.places.models import Community
from shegong.places.selectors import place_tree
from shegong.places.services import community_set_urban_village


@login_required
def tree(request):
    return render(
        request,
        "places/tree.html",
        {
            "districts": place_tree(request.user),
            "can_edit": can(request.user, Community, CHANGE),
        },
    )


@login_required
@require_POST
def toggle_urban_village(request, pk):
    community = Community.objects.get_for_user_or_404(request.user, CHANGE, pk=pk)
    community_set_urban_village(
        actor=request.user, community=community, urban_village=not community.urban_village
    )
    messages.success(request, _("Saved."))
    return redirect("places:tree")
