"""The public check-in link: signed, expiring, one-time forms, rate-limited; writes through the
activities service. Expired, forged and replayed → a clear page and no attendance."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shegong.activities.models import Attendance
from shegong.activities.tests.factories import make_activity, make_session
from shegong.core import checkin
from shegong.core.models import CheckinNonce
from shegong.people.models import Person


@pytest.fixture
def session(world):
    return make_session(world, make_activity(world))


def _form(client, url):
    page = client.get(url)
    assert page.status_code == 200
    nonce = re.search(r'name="nonce" value="([^"]+)"', page.content.decode()).group(1)
    return page, nonce


def test_token_is_short_url_safe_and_reads_back(session):
    token = checkin.issue_token(session)
    assert len(token) < 50 and re.fullmatch(r"[A-Za-z0-9._-]+", token)
    assert checkin.read_token(token).target == session


def test_check_in_shows_the_session_and_records_once(session):
    client = Client()
    url = checkin.checkin_path(checkin.issue_token(session))
    page, nonce = _form(client, url)
    body = page.content.decode()
    assert session.activity.title in body and session.place in body
    done = client.post(url, {"name": "张大爷", "mobile": "13900003333", "nonce": nonce})
    assert 'data-testid="checkin-done"' in done.content.decode()
    _page, nonce2 = _form(client, url)
    again = client.post(url, {"name": "张大爷", "mobile": "13900003333", "nonce": nonce2})
    assert "已签到" in again.content.decode()
    assert Attendance.objects.filter(session=session).count() == 1


def test_replayed_form_is_refused_and_writes_nothing(session):
    client = Client()
    url = checkin.checkin_path(checkin.issue_token(session))
    _page, nonce = _form(client, url)
    data = {"name": "张大爷", "mobile": "13900003333", "nonce": nonce}
    assert client.post(url, data).status_code == 200
    # Same form again, even naming someone else: refused before any write.
    replay = client.post(url, {**data, "name": "李奶奶", "mobile": "13900004444"})
    assert replay.status_code == 409
    assert 'data-testid="checkin-replayed"' in replay.content.decode()
    assert Attendance.objects.count() == 1
    assert not Person.objects.filter(name="李奶奶").exists()
    used = CheckinNonce.objects.get()
    assert used.kind == "as" and used.object_id == session.pk
    assert abs(used.used_at - timezone.now()) < datetime.timedelta(minutes=1)


def test_expired_token_gets_a_clear_page_and_no_write(session):
    token = checkin.issue_token(session, expires_at=timezone.now() - datetime.timedelta(minutes=1))
    client = Client()
    response = client.get(checkin.checkin_path(token))
    assert response.status_code == 410
    assert 'data-testid="checkin-expired"' in response.content.decode()
    post = client.post(checkin.checkin_path(token), {"name": "张", "mobile": "13900003333"})
    assert post.status_code == 410
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # signature changed
        lambda t: t.replace("as.", "as.1", 1),  # another session's id
        lambda t: "xx" + t[2:],  # unknown kind
        lambda t: t.rpartition(".")[0],  # signature cut off
        lambda t: "a" * 200,  # oversized
    ],
)
def test_forged_token_gets_not_valid_page_and_no_write(session, tamper):
    token = tamper(checkin.issue_token(session))
    client = Client()
    response = client.post(
        f"/c/{token}/", {"name": "张大爷", "mobile": "13900003333", "nonce": "x.y"}
    )
    assert response.status_code == 404
    assert 'data-testid="checkin-invalid"' in response.content.decode()
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("nonce", ["", "x" * 5000, "abc\x00.def"])
def test_a_missing_or_odd_nonce_gets_the_scan_again_page_and_no_write(session, nonce):
    url = checkin.checkin_path(checkin.issue_token(session))
    response = Client().post(url, {"name": "张大爷", "mobile": "13900003333", "nonce": nonce})
    assert response.status_code == 404
    assert "重新扫描二维码" in response.content.decode()
    assert not Attendance.objects.exists() and not CheckinNonce.objects.exists()


def test_a_link_preview_may_ask_for_the_page_head(session):
    url = checkin.checkin_path(checkin.issue_token(session))
    assert Client().head(url).status_code == 200


def test_forged_nonce_is_refused(session):
    url = checkin.checkin_path(checkin.issue_token(session))
    response = Client().post(url, {"name": "张大爷", "mobile": "13900003333", "nonce": "abc.def"})
    assert response.status_code == 404
    assert not Attendance.objects.exists()
    assert not CheckinNonce.objects.exists()


def test_bad_input_shows_field_errors_keeps_input_and_allows_a_retry(session):
    client = Client()
    url = checkin.checkin_path(checkin.issue_token(session))
    _page, nonce = _form(client, url)
    bad = client.post(url, {"name": "张大爷", "mobile": "123", "nonce": nonce})
    body = bad.content.decode()
    assert 'data-field-error="mobile"' in body
    assert 'value="张大爷"' in body
    assert not Attendance.objects.exists() and not CheckinNonce.objects.exists()
    # The same nonce is still unused, so the corrected form goes through.
    ok = client.post(url, {"name": "张大爷", "mobile": "13900003333", "nonce": nonce})
    assert 'data-testid="checkin-done"' in ok.content.decode()


def test_a_crowd_opening_the_link_costs_one_query_each_and_each_gets_its_own_form(
    session, django_assert_num_queries
):
    url = checkin.checkin_path(checkin.issue_token(session))
    first, first_nonce = _form(Client(), url)
    # The next phones: only their address's rate is read; the session and the blank form are
    # the ones drawn for the first.
    with django_assert_num_queries(1):
        second, second_nonce = _form(Client(), url)
    assert second_nonce != first_nonce
    assert session.activity.title in second.content.decode()
    assert 'name="mobile"' in second.content.decode()
    done = Client().post(url, {"name": "张大爷", "mobile": "13900003333", "nonce": second_nonce})
    assert 'data-testid="checkin-done"' in done.content.decode()


def _send(url, name, mobile):
    _page, nonce = _form(Client(), url)
    return Client().post(url, {"name": name, "mobile": mobile, "nonce": nonce})


def test_a_crowd_sending_the_form_reads_the_session_once(session):
    url = checkin.checkin_path(checkin.issue_token(session))
    _send(url, "张大爷", "13900003333")
    # The next phones' forms are recorded against the session read for the first: the
    # capacity and the count are read under its lock, the activity not at all.
    with CaptureQueriesContext(connection) as queries:
        done = _send(url, "李奶奶", "13900004444")
    assert 'data-testid="checkin-done"' in done.content.decode()
    assert not [q for q in queries.captured_queries if '"activities_activity"' in q["sql"]]
    assert Attendance.objects.filter(session=session).count() == 2


def test_a_session_deleted_while_its_form_is_sent_is_refused_and_writes_nothing(session):
    url = checkin.checkin_path(checkin.issue_token(session))
    _send(url, "张大爷", "13900003333")  # the session is read and kept for the crowd
    _page, nonce = _form(Client(), url)
    session.delete()
    refused = Client().post(url, {"name": "李奶奶", "mobile": "13900004444", "nonce": nonce})
    assert refused.status_code == 200
    assert "该场次的签到已关闭。" in refused.content.decode()
    assert not Person.objects.filter(name="李奶奶").exists()
    assert not Attendance.objects.exists()
    assert CheckinNonce.objects.count() == 1  # the first resident's only


def test_page_shows_nobody_else(session, world):
    from shegong.activities import services

    services.attendance_walk_in(
        actor=world.users["community_staff"], session=session, name="隐私居民", mobile="13900009999"
    )
    body = Client().get(checkin.checkin_path(checkin.issue_token(session))).content.decode()
    assert "隐私居民" not in body and "9999" not in body


def test_rate_limited_per_address(session, settings):
    settings.SHEGONG_CHECKIN_RATE = "3/m"
    client = Client()
    url = checkin.checkin_path(checkin.issue_token(session))
    # Opening the form counts nothing; each check-in sent counts, whatever its outcome.
    assert [client.get(url).status_code for _n in range(5)] == [200] * 5
    statuses = [client.post(url, {"nonce": "x", "name": "", "mobile": ""}).status_code]
    statuses += [client.post(url, {"nonce": "x", "name": "", "mobile": ""}).status_code]
    statuses += [client.post(url, {"nonce": "x", "name": "", "mobile": ""}).status_code]
    assert 429 not in statuses
    assert client.post(url, {"nonce": "x", "name": "", "mobile": ""}).status_code == 429
    limited = client.get(url)
    assert limited.status_code == 429
    assert limited["Retry-After"] == "60"


def test_the_page_carries_its_csrf_token_and_escapes_and_translates_what_it_shows(session):
    client = Client(enforce_csrf_checks=True)
    url = checkin.checkin_path(checkin.issue_token(session))
    page, nonce = _form(client, url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    fields = {"name": "<b>张</b>大爷", "mobile": "13900003333", "nonce": nonce}
    assert client.post(url, fields).status_code == 403  # no token: Django's CSRF refusal
    done = client.post(url, {**fields, "csrfmiddlewaretoken": token.group(1)})
    body = done.content.decode()
    assert 'data-testid="checkin-done"' in body
    assert "&lt;b&gt;张&lt;/b&gt;大爷，签到成功" in body and "<b>" not in body
