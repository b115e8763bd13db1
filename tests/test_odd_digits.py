"""Digits that are not numbers: "²" is a digit to str.isdigit() but not to int(). Searches and
choices that turned a digit string into a number answered 500 before (found from outside)."""

import pytest

PAGES = [
    ("community_staff", "/funds/?q=²"),
    ("community_staff", "/resources/needs/?q=²"),
    ("community_staff", "/resources/needs/?q=XQ²"),
    ("social_worker", "/cases/new/?client=²"),
    ("community_staff", "/volunteers/new/?person=²"),
]


@pytest.mark.parametrize(("persona", "url"), PAGES)
def test_a_superscript_digit_is_not_found_rather_than_an_error(client_for, persona, url):
    response = client_for(persona).get(url)
    assert response.status_code in (200, 404)
