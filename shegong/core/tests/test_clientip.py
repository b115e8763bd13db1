"""The client's address behind the reverse proxy: believed from X-Forwarded-For only as far as
trusted proxies wrote it, and the same in the access log and the change history."""

import pytest
from auditlog.models import LogEntry
from django.test import Client, RequestFactory

from shegong.accounts.services import token_issue
from shegong.core.clientip import client_ip
from shegong.core.models import AccessLog

PROXY = "127.0.0.1"


@pytest.fixture
def behind_proxy(settings):
    settings.SHEGONG_TRUSTED_PROXIES = [PROXY, "10.0.0.0/8"]


def _ip(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **meta))


def test_without_trusted_proxies_the_peer_is_the_client(settings):
    settings.SHEGONG_TRUSTED_PROXIES = []
    assert _ip("198.51.100.7", "203.0.113.9") == "198.51.100.7"


def test_the_address_the_proxy_appended_is_the_client(behind_proxy):
    assert _ip(PROXY, "198.51.100.7") == "198.51.100.7"


def test_what_the_client_wrote_before_the_proxy_is_ignored(behind_proxy):
    # nginx appends the peer it saw to whatever X-Forwarded-For the client sent.
    assert _ip(PROXY, "1.2.3.4, 198.51.100.7") == "198.51.100.7"


def test_a_chain_of_trusted_proxies_is_walked_back(behind_proxy):
    assert _ip(PROXY, "1.2.3.4, 198.51.100.7, 10.1.2.3") == "198.51.100.7"
    assert _ip(PROXY, "[2001:db8::5]:443, 10.1.2.3") == "2001:db8::5"


def test_a_client_reaching_the_app_directly_cannot_claim_an_address(behind_proxy):
    assert _ip("198.51.100.7", "10.9.9.9") == "198.51.100.7"


def test_garbage_in_the_header_falls_back_to_the_last_trusted_hop(behind_proxy):
    assert _ip(PROXY, "not-an-address") == PROXY


def test_access_log_records_the_client_behind_the_proxy(behind_proxy, world):
    case_reader = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7")
    case_reader.force_login(world.users["supervisor"])
    response = case_reader.get("/cases/export.xlsx")
    assert response.status_code == 200
    log = AccessLog.objects.get(user=world.users["supervisor"], action=AccessLog.Action.EXPORT)
    assert log.ip_address == "198.51.100.7"


def test_change_history_records_the_client_not_a_forged_header(behind_proxy, world):
    token, _raw = token_issue(user=world.users["social_worker"], name="phone")
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7")
    client.force_login(world.users["social_worker"])
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    entry = LogEntry.objects.get_for_object(token).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.remote_addr == "198.51.100.7"
