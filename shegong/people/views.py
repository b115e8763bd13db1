from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from shegong.people.selectors import people_for, people_search


@login_required
def person_list(request):
    people = people_search(people_for(request.user), request.GET.get("q", ""))
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    return render(request, "people/person_list.html", {"page": page})
