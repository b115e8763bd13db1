"""Enumerate every page URL pattern and every API operation, for the authorization matrix.

The matrix test (tests/test_authorization_matrix.py) declares, for each of these, which personas
may use it; a URL or operation without a declaration fails the suite, so a new view cannot ship
without someone deciding who may open it.
"""

import json
import re
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver

API_PREFIX = "api/v1/"
API_PAGES = {"openapi-json", "openapi-view"}  # the schema and the docs page


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    pattern: str  # "people/<int:pk>/"


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            route = prefix + str(entry.pattern)
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, route, ns)
        elif isinstance(entry, URLPattern):
            if (prefix + str(entry.pattern)).startswith(API_PREFIX) and entry.name not in API_PAGES:
                continue  # API operations are enumerated from the OpenAPI schema instead
            name = entry.name or entry.lookup_str
            full_name = f"{namespace}:{name}" if namespace else name
            yield Route(name=full_name, pattern=prefix + str(entry.pattern))


def page_routes() -> list[Route]:
    return sorted(set(_walk(get_resolver().url_patterns)), key=lambda r: r.name)


def api_operations() -> list[str]:
    """Every operation as "METHOD /path" exactly as the OpenAPI schema lists it."""
    from shegong.api.api import api

    schema = api.get_openapi_schema()
    operations = []
    for path, methods in schema["paths"].items():
        for method in methods:
            operations.append(f"{method.upper()} {path}")
    return sorted(operations)


# --- lists, searches and exports -----------------------------------------------------------
#
# A status code says nothing about what a list holds: ``Person.objects.all()`` behind a declared
# route answers 200 like the scoped list. So each list page, list API operation and export is
# also asked, by every persona that may open it, for a few sentinel objects placed in another
# agency and another street: unfiltered, and searched by each of their unique terms. A persona
# outside a sentinel's scope must find no trace of it.


@dataclass(frozen=True)
class Sentinel:
    """An object only some personas may find, and how to recognise it in a response.

    ``kind`` names what lists show it ("person", "case"); ``texts`` appear wherever it is
    listed (its unique name, its number); ``path`` is its page, linked from list pages; ``pk``
    identifies it in API bodies. ``searches`` maps each search term (its name, ID number,
    mobile, number) to the personas allowed to find it with that term; a term may be narrower
    than ``visible_to`` (a place role sees that a case exists, but not whose it is).
    """

    key: str
    kind: str
    pk: int
    path: str
    texts: tuple[str, ...]
    visible_to: frozenset
    searches: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Listing:
    """What a list route shows: the sentinel ``kind``, its search parameter (None: no search),
    and whether the answer is an Excel file."""

    kind: str
    search: str | None = "q"
    xlsx: bool = False


def response_text(response, *, xlsx: bool) -> str:
    """What a response shows, as text: the page, the JSON body, or every cell of a workbook."""
    if xlsx:
        from io import BytesIO

        from openpyxl import load_workbook

        book = load_workbook(BytesIO(response.content), read_only=True)
        return "\n".join(
            "\t".join("" if cell is None else str(cell) for cell in row)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    if response["Content-Type"].startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def traces(text: str, sentinel: Sentinel, *, api: bool, echo: str = "") -> list[str]:
    """The sentinel's marks found in ``text``. ``echo`` (the search term a page prints back in
    its search box) is removed first, so only what the list itself shows counts."""
    if echo:
        text = text.replace(echo, "")
    found = [mark for mark in (*sentinel.texts, sentinel.path) if mark and mark in text]
    if api and re.search(rf'"id": {sentinel.pk}[,}}]', text):
        found.append(f"id {sentinel.pk}")
    return found


def listing_problems(get, persona: str, listing: Listing, sentinels, *, api: bool) -> list[str]:
    """Ask one list as one persona for every sentinel it must not show; ``get(params)`` sends
    the request. Returns one line per leak (empty: nothing found)."""
    problems = []
    for sentinel in sentinels:
        if sentinel.kind != listing.kind:
            continue
        asks = [({}, "", sentinel.visible_to)]
        if listing.search:
            for term, allowed in sentinel.searches.items():
                asks.append(({listing.search: term}, term, allowed))
        for params, term, allowed in asks:
            if persona in allowed:
                continue
            response = get(params)
            if response.status_code != 200:
                problems.append(f"{persona} {params}: status {response.status_code}")
                continue
            text = response_text(response, xlsx=listing.xlsx)
            found = traces(text, sentinel, api=api, echo="" if api or listing.xlsx else term)
            if found:
                problems.append(f"{persona} finds {sentinel.key} {params or ''}: {found}")
    return problems


def listing_shows(get, persona: str, listing: Listing, sentinel: Sentinel, *, api: bool) -> bool:
    """Whether the list shows the sentinel to a persona who may see it, searched by the first
    term they may use (which keeps it on the first page): proof that the marks are real."""
    terms = [t for t, allowed in sentinel.searches.items() if persona in allowed]
    params = {listing.search: terms[0]} if listing.search and terms else {}
    response = get(params)
    if response.status_code != 200:
        return False
    text = response_text(response, xlsx=listing.xlsx)
    echo = next(iter(params.values()), "") if not (api or listing.xlsx) else ""
    return bool(traces(text, sentinel, api=api, echo=echo))
