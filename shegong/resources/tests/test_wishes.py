"""Small wishes: the public list and the claim without an account, one claim per wish."""

import threading
from collections import Counter

import pytest
from auditlog.models import LogEntry
from django.db import connections
from django.test import Client

from shegong.core import crypto
from shegong.people.services import person_create
from shegong.resources import services
from shegong.resources.choices import WishStatus
from shegong.resources.models import Wish
from shegong.resources.tests.factories import post_wish

PUBLIC = "/api/v1/resources/wishes/public"


def _claim(client, wish, **body):
    payload = {"name": "张先生", "mobile": "13912345678", **body}
    return client.post(f"{PUBLIC}/{wish.pk}/claim", payload, content_type="application/json")


def test_public_list_shows_open_wishes_with_the_resident_anonymised(world):
    person = person_create(
        actor=world.users["community_staff"],
        name="王秀英",
        id_type="passport",
        id_number="E1234567",
        community=world.home_community,
    )
    wish = post_wish(world, person=person, recipient_description="老人", title="一副老花镜")
    taken = post_wish(world, title="一台收音机")
    services.wish_claim(wish_id=taken.pk, name="李女士", mobile="13700001111")

    response = Client().get(PUBLIC)
    assert response.status_code == 200
    items = {item["title"]: item for item in response.json()["items"]}
    assert items["一副老花镜"]["recipient"] == "王** 老人"
    assert "一台收音机" not in items  # claimed: no longer offered
    text = response.content.decode()
    assert "王秀英" not in text and "person_id" not in text and "E1234567" not in text
    assert items["一副老花镜"]["id"] == wish.pk


def test_anonymous_claim_stores_the_mobile_encrypted_and_shows_it_masked(world):
    wish = post_wish(world)
    response = _claim(Client(), wish, company="某某科技有限公司")
    assert response.status_code == 201, response.content
    assert response.json()["claimant_mobile_masked"] == "139****5678"
    assert "13912345678" not in response.content.decode()
    wish.refresh_from_db()
    assert wish.status == WishStatus.CLAIMED and wish.claimant_company == "某某科技有限公司"
    raw = Wish.objects.filter(pk=wish.pk).values_list("claimant_mobile", flat=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT claimant_mobile FROM resources_wish WHERE id = %s", [wish.pk])
        stored = cursor.fetchone()[0]
    assert "13912345678" not in stored and crypto.decrypt(stored) == "13912345678"
    assert raw.get() == "13912345678"
    # The history records that the mobile changed, never its value.
    entry = LogEntry.objects.get_for_object(wish).latest("timestamp")
    assert "13912345678" not in str(entry.changes)


@pytest.mark.parametrize("mobile", ["12345678901", "1391234567", "abc", "", "139123456789"])
def test_bad_mobile_is_a_400_field_error_and_nothing_is_written(world, mobile):
    wish = post_wish(world)
    before = Wish.objects.filter(pk=wish.pk).values().get()
    response = _claim(Client(), wish, mobile=mobile)
    assert response.status_code == 400
    assert "mobile" in response.json()["errors"]
    assert "13" in response.json()["errors"]["mobile"][0]  # says what a mobile looks like
    assert Wish.objects.filter(pk=wish.pk).values().get() == before


def test_blank_or_invisible_name_is_refused(world):
    wish = post_wish(world)
    for name in ("", "   ", "\u200b"):
        response = _claim(Client(), wish, name=name)
        assert response.status_code == 400 and "name" in response.json()["errors"]
    assert Wish.objects.get(pk=wish.pk).status == WishStatus.OPEN


def test_second_claim_is_refused_with_409_and_keeps_the_first(world):
    wish = post_wish(world)
    assert _claim(Client(), wish).status_code == 201
    second = _claim(Client(), wish, name="赵先生", mobile="13800002222")
    assert second.status_code == 409
    assert "已经有人认领" in second.json()["detail"]
    wish.refresh_from_db()
    assert wish.claimant_name == "张先生"


def test_claiming_a_missing_wish_is_404(world):
    response = Client().post(
        f"{PUBLIC}/999999/claim",
        {"name": "张先生", "mobile": "13912345678"},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_claims_are_rate_limited_per_address(world, settings):
    settings.SHEGONG_API_ANON_RATE = "2/d"
    wishes = [post_wish(world) for _n in range(3)]
    client = Client()
    statuses = [_claim(client, wish).status_code for wish in wishes]
    assert statuses == [201, 201, 429]
    assert Wish.objects.get(pk=wishes[2].pk).status == WishStatus.OPEN


@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_give_exactly_one_winner(world):
    wish = post_wish(world)
    claimants = 8
    start = threading.Barrier(claimants)
    statuses: Counter = Counter()
    errors: list = []

    def claim(n: int) -> None:
        try:
            client = Client(raise_request_exception=False)
            start.wait()
            response = _claim(client, wish, name=f"认领人{n}", mobile=f"1390000{n:04d}")
            statuses[response.status_code] += 1
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=claim, args=(n,)) for n in range(claimants)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert statuses == Counter({201: 1, 409: claimants - 1})
    wish.refresh_from_db()
    assert wish.status == WishStatus.CLAIMED and wish.claimant_name.startswith("认领人")


def test_staff_confirm_fulfilment_only_after_a_claim(world, client_for):
    wish = post_wish(world)
    staff = client_for("community_staff")
    response = staff.post(f"/resources/wishes/{wish.pk}/fulfil/")
    assert response.status_code == 302
    assert Wish.objects.get(pk=wish.pk).status == WishStatus.OPEN
    services.wish_claim(wish_id=wish.pk, name="张先生", mobile="13912345678")
    staff.post(f"/resources/wishes/{wish.pk}/fulfil/")
    assert Wish.objects.get(pk=wish.pk).status == WishStatus.FULFILLED
    # Another street's staff cannot see it at all.
    assert (
        client_for("social_worker_b").post(f"/resources/wishes/{wish.pk}/fulfil/").status_code
        == 404
    )
