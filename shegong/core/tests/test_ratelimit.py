"""The per-address counters of the public endpoints: fixed windows, per address (IPv6 per /64),
per group, and a form opened is read, never counted."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from shegong.core.models import RateCounter
from shegong.core.ratelimit import address_bucket, over_limit, parse_rate

NOW = 1_800_000_000  # a minute boundary: 1_800_000_000 % 60 == 0


def hit(address="10.0.0.1", *, group="checkin", rate="3/m", now=NOW, increment=True):
    return over_limit(group=group, address=address, rate=rate, increment=increment, now=now)


def test_rates_read_as_count_and_seconds():
    assert parse_rate("20/m") == (20, 60)
    assert parse_rate("5/10m") == (5, 600)
    assert parse_rate("100/d") == (100, 86400)


def test_the_request_past_the_rate_is_refused_until_the_window_ends(db):
    assert [hit() for _ in range(4)] == [False, False, False, True]
    assert hit(now=NOW + 59) is True  # the same minute
    assert hit(now=NOW + 60) is False  # the next one starts again


def test_addresses_and_groups_count_apart(db):
    for _ in range(3):
        hit()
    assert hit("10.0.0.2") is False
    assert hit(group="api-anon:token") is False


def test_an_ipv6_network_counts_as_one_address(db):
    assert address_bucket("2001:db8:1:2::5") == address_bucket("2001:db8:1:2:ffff::9")
    assert address_bucket("2001:db8:1:2::5") != address_bucket("2001:db8:1:3::5")
    for host in range(3):
        hit(f"2001:db8:1:2::{host + 1}")
    assert hit("2001:db8:1:2::99") is True
    assert hit("2001:db8:1:3::1") is False


def test_an_ipv4_client_of_a_dual_stack_proxy_counts_as_its_ipv4_address(db):
    assert address_bucket("::ffff:10.50.0.1") == address_bucket("10.50.0.1")
    for _ in range(3):
        hit("::ffff:10.50.0.1")
    assert hit("::ffff:10.50.0.1") is True
    assert hit("::ffff:10.50.0.2") is False  # not one bucket for every IPv4 client


def test_opening_a_form_reads_the_count_and_writes_nothing(db):
    assert hit(increment=False) is False
    assert not RateCounter.objects.exists()
    for _ in range(4):
        hit()
    with CaptureQueriesContext(connection) as queries:
        assert hit(increment=False) is True
    assert len(queries) == 1 and queries[0]["sql"].startswith("SELECT")
    assert RateCounter.objects.get().hits == 4


def test_a_counted_request_is_one_statement_and_stores_no_address(db, monkeypatch):
    # Not the one request in CLEAN_EVERY that also deletes the expired counters.
    monkeypatch.setattr("shegong.core.ratelimit.random.randrange", lambda n: 1)
    with CaptureQueriesContext(connection) as queries:
        hit("192.0.2.77")
    control = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT")
    statements = [q["sql"] for q in queries if not q["sql"].startswith(control)]
    assert len(statements) == 1 and statements[0].startswith("INSERT")
    counter = RateCounter.objects.get()
    assert "192.0.2.77" not in counter.key and counter.expires == NOW + 60


def test_expired_counters_are_deleted_now_and_then(db, monkeypatch):
    hit(now=NOW)
    monkeypatch.setattr("shegong.core.ratelimit.random.randrange", lambda n: 0)
    hit("10.0.0.9", now=NOW + 3600)
    assert list(RateCounter.objects.values_list("expires", flat=True)) == [NOW + 3660]
