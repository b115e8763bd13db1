"""Signed check-in links: a session-like object gets a short, expiring, signed token, a public URL
``/c/<token>/`` and a QR code; a resident who scans it checks in with name and mobile.

Generic, so any app (activities today, the training academy later) can use it: the app registers a
:class:`CheckinKind` from its ``AppConfig.ready()`` saying which model the token points at, what the
public page shows about the target and which of its services records the attendance. Core never
names an app.

Token: ``<kind>.<pk>.<expiry>.<signature>`` with pk and expiry (Unix seconds) in base 36 and the
signature the first 128 bits of an HMAC-SHA256 under ``SECRET_KEY`` (``salted_hmac``), URL-safe
base64: about 40 characters, short enough for a QR code a phone reads from across a room. A
changed character anywhere makes the token invalid; an expired one says so.

Replays: the public form carries a signed one-time nonce, bound to the token. Submitting it records
the nonce (unique) in the same transaction as the attendance, so the same POST sent twice writes
once and is refused the second time with a clear message.
"""

from __future__ import annotations

import base64
import datetime
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

TOKEN_SALT = "shegong.core.checkin.token"  # noqa: S105 - an HMAC salt, not a secret
NONCE_SALT = "shegong.core.checkin.nonce"
# Longer input is not ours: refused before any work.
MAX_TOKEN_LENGTH = 100
MAX_NONCE_LENGTH = 60


@dataclass(frozen=True)
class CheckinResult:
    """What the app's service did: ``created`` False when the person had checked in already (a
    second check-in counts once); ``name`` is shown back to the person who checked in."""

    created: bool
    name: str
    # Optional: what the page says instead of the default "checked in" (a check-out, say).
    message: str = ""


@dataclass(frozen=True)
class CheckinKind:
    """One kind of target a check-in link may point at.

    ``code``: short, URL-safe, part of every token ("as" for activity sessions).
    ``model``: "app_label.Model" of the target.
    ``describe(target) -> dict``: what the public page shows (``title``, ``lines``: a list of
    (label, value) pairs). Nothing about other people.
    ``record(target, *, name, mobile) -> CheckinResult``: the app's service that writes the
    attendance; it raises ``ValidationError({field: [...]})`` for bad input or a closed target.
    ``expires_at(target) -> datetime``: when a link issued now stops working.
    ``claims_nonce``: ``record`` takes a ``claim`` callable as well and calls it first thing
    inside its own write transaction (it stores the form's nonce), so that the reads and the
    work before that transaction hold no write lock (SQLite has one writer); otherwise
    ``record`` runs inside a transaction that stored the nonce already.
    ``related``: what ``describe`` and ``record`` read from the target's relations, loaded with
    it in one query (``select_related``): a crowd opens the page at once.
    """

    code: str
    model: str
    describe: Callable[..., dict]
    record: Callable[..., CheckinResult]
    expires_at: Callable[..., datetime.datetime]
    claims_nonce: bool = False
    related: tuple[str, ...] = ()


_kinds: dict[str, CheckinKind] = {}


def register_checkin_kind(kind: CheckinKind) -> None:
    if not kind.code.isalnum():
        raise ValueError(f"A check-in kind's code is letters and digits only: {kind.code!r}")
    _kinds[kind.code] = kind


def checkin_kind(code: str) -> CheckinKind | None:
    return _kinds.get(code)


def kind_for_model(model) -> CheckinKind:
    label = model._meta.label
    for kind in _kinds.values():
        if kind.model == label:
            return kind
    raise LookupError(f"No check-in kind is registered for {label}")


class BadToken(Exception):
    """Forged, changed, truncated, of an unknown kind, or pointing at nothing."""


class ExpiredToken(Exception):
    """Genuine, but past its expiry."""


class ReplayedForm(Exception):
    """This exact check-in form was submitted before."""


def _sign(salt: str, value: str) -> str:
    digest = salted_hmac(salt, value, algorithm="sha256").digest()[:16]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _b36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if not number:
            return out


def issue_token(target, *, expires_at: datetime.datetime | None = None) -> str:
    """The signed token of ``target`` (a saved row of a registered kind)."""
    kind = kind_for_model(type(target))
    expires_at = expires_at or kind.expires_at(target)
    value = f"{kind.code}.{_b36(target.pk)}.{_b36(int(expires_at.timestamp()))}"
    return f"{value}.{_sign(TOKEN_SALT, value)}"


@dataclass(frozen=True)
class Checkin:
    """A valid token, read: its kind, its target and when it expires."""

    kind: CheckinKind
    target: object
    expires_at: datetime.datetime
    token: str


def verify_token(token: str, *, now: datetime.datetime | None = None):
    """The token's kind, target pk and expiry, from its signature and expiry alone (no query):
    :class:`BadToken` or :class:`ExpiredToken` otherwise."""
    if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
        raise BadToken
    value, _sep, signature = token.rpartition(".")
    if not value or not constant_time_compare(signature, _sign(TOKEN_SALT, value)):
        raise BadToken
    try:
        code, pk36, expiry36 = value.split(".")
        pk, expiry = int(pk36, 36), int(expiry36, 36)
    except ValueError as exc:
        raise BadToken from exc
    kind = checkin_kind(code)
    if kind is None:
        raise BadToken
    expires_at = datetime.datetime.fromtimestamp(expiry, tz=datetime.UTC)
    if (now or timezone.now()) >= expires_at:
        raise ExpiredToken
    return kind, pk, expires_at


def read_token(token: str, *, now: datetime.datetime | None = None) -> Checkin:
    """The token's target; :class:`BadToken` or :class:`ExpiredToken` otherwise. The signature is
    checked before anything else, so a forged token costs no database query."""
    kind, pk, expires_at = verify_token(token, now=now)
    model = apps.get_model(kind.model)
    # get(), not filter().first(): no ORDER BY to compile, on a page a crowd opens at once.
    try:
        target = model._default_manager.select_related(*kind.related).get(pk=pk)
    except model.DoesNotExist as exc:
        raise BadToken from exc
    return Checkin(kind=kind, target=target, expires_at=expires_at, token=token)


def checkin_path(token: str) -> str:
    return reverse("checkin", args=[token])


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as inline SVG markup (segno, no network, no image file)."""
    import segno

    code = segno.make(url, error="m", micro=False)
    return code.svg_inline(scale=8, border=2, dark="#000", light="#fff", omitsize=True)


# --- one-time form nonces -------------------------------------------------------------------


def issue_nonce(token: str) -> str:
    """A fresh nonce for one check-in form of ``token``: random, signed together with the
    token, so it cannot be made up nor moved to another link."""
    random = secrets.token_urlsafe(16)
    return f"{random}.{_sign(NONCE_SALT, token + '.' + random)}"


def _nonce_value(nonce: str, token: str) -> str:
    if not isinstance(nonce, str) or len(nonce) > MAX_NONCE_LENGTH:
        raise BadToken
    random, _sep, signature = nonce.partition(".")
    if not random or not constant_time_compare(signature, _sign(NONCE_SALT, token + "." + random)):
        raise BadToken
    return random


def check_in(checkin: Checkin, *, nonce: str, name: str, mobile: str) -> CheckinResult:
    """Record one check-in through the kind's service, using up ``nonce``.

    The nonce is stored in the transaction of the attendance: if the service refuses the input,
    nothing is kept and the person may correct the form and send it again; if it succeeds, the
    same form sent again raises :class:`ReplayedForm` and writes nothing.
    """
    from shegong.core.models import CheckinNonce

    value = _nonce_value(nonce, checkin.token)

    def claim() -> None:
        _store_nonce(value, checkin.kind.code, checkin.target.pk)

    try:
        if checkin.kind.claims_nonce:
            return checkin.kind.record(checkin.target, name=name, mobile=mobile, claim=claim)
        with transaction.atomic():
            claim()
            return checkin.kind.record(checkin.target, name=name, mobile=mobile)
    except IntegrityError as exc:
        if CheckinNonce.objects.filter(nonce=value).exists():
            raise ReplayedForm from exc
        if not type(checkin.target)._default_manager.filter(pk=checkin.target.pk).exists():
            raise BadToken from exc  # deleted while the form was being sent
        raise


def _store_nonce(value: str, kind: str, object_id: int) -> None:
    """Record a used nonce: one INSERT, with the table's names from the model. It runs first in
    the write transaction a crowd queues for (SQLite has one writer), where the ORM's create
    took ten times as long as the statement."""
    from shegong.core.models import CheckinNonce

    meta, quote = CheckinNonce._meta, connection.ops.quote_name
    names = ("nonce", "kind", "object_id", "used_at")
    columns = ", ".join(quote(meta.get_field(name).column) for name in names)
    used_at = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES (%s, %s, %s, %s)",  # noqa: S608
            [value, kind, object_id, used_at],
        )
