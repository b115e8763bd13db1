"""The public check-in page, ``/c/<token>/``: no login, rate-limited per address.

GET shows what the link is for (from the kind's ``describe``) and a form asking name and mobile,
carrying a one-time nonce; POST records the check-in through the kind's service. An expired link,
a forged or changed one, a form sent twice and too many requests each get a clear page of their
own, and none of them writes anything.
"""

from django import forms
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from shegong.core import checkin
from shegong.core.access import rate_window_seconds
from shegong.core.forms import TablerFormMixin, apply_service_errors
from shegong.core.jinja import render_page
from shegong.core.ratelimit import limit_address, over_limit
from shegong.core.validators import single_line_text, visible_text


class CheckinForm(TablerFormMixin, forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=50,
        validators=[single_line_text, visible_text],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    mobile = forms.CharField(
        label=gettext_lazy("Mobile"),
        max_length=20,
        validators=[single_line_text],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    nonce = forms.CharField(widget=forms.HiddenInput, max_length=checkin.MAX_NONCE_LENGTH)


def refusal_page(request, *, title: str, message: str, status: int, testid: str, retry_after=None):
    """A public page's refusal (a link not valid, too many attempts): a title and a message."""
    response = render_page(
        request,
        "checkin_refused.html",
        {"title": title, "message": message, "testid": testid},
        status=status,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _limited(request) -> bool:
    """Per address, the check-ins sent (POST) count; opening the form is refused once the
    address is over its rate but counts nothing (a read, not a write)."""
    return over_limit(
        group="checkin",
        address=limit_address(request),
        rate=settings.SHEGONG_CHECKIN_RATE,
        increment=request.method == "POST",
    )


# A crowd scans one code within a minute: the page's heading (what the link is for) and its
# blank form are drawn once per process and language, and the target a sent form is recorded
# against is read once per process, each kept in the per-process cache for its few seconds
# (settings.CACHES["local"]). So opening the form reads nothing but the rate, and sending it
# reads no target. Whatever decides a place (capacity, who has checked in) is read afresh under
# the target's lock by the kind's service; a target changed meanwhile is seen as it was for
# those seconds, and one deleted meanwhile refuses the form as a link that is not valid.


def _cached_target(token: str) -> checkin.Checkin:
    """The token's target, read once per process for the crowd (BadToken or ExpiredToken as
    ``read_token``)."""
    kind, pk, expires_at = checkin.verify_token(token)
    target = caches["local"].get_or_set(
        f"checkin-target:{kind.code}:{pk}", lambda: checkin.read_token(token).target
    )
    return checkin.Checkin(kind=kind, target=target, expires_at=expires_at, token=token)


def _page_parts(token: str, kind, pk: int) -> dict:
    """The heading and the blank form's visible fields as HTML, for this target and language."""

    def draw() -> dict:
        found = _cached_target(token)
        described = found.kind.describe(found.target)
        return {
            "heading": render_to_string("core/checkin_heading.html", {"described": described}),
            "blank_fields": render_to_string("core/checkin_fields.html", {"form": CheckinForm()}),
        }

    return caches["local"].get_or_set(f"checkin:{kind.code}:{pk}:{get_language()}", draw)


def _bad_link(request, message: str):
    return refusal_page(
        request,
        title=_("This check-in link is not valid"),
        message=message,
        status=404,
        testid="checkin-invalid",
    )


def _scan_again(request):
    """A sent form this link cannot take (its nonce forged or odd, its target gone)."""
    return _bad_link(request, _("Scan the QR code again to open a fresh check-in form."))


@never_cache
def checkin_page(request, token):
    if request.method not in ("GET", "HEAD", "POST"):
        return refusal_page(
            request,
            title=_("Check-in"),
            message=_("Open the check-in link from the QR code."),
            status=405,
            testid="checkin-method",
        )
    if _limited(request):
        return refusal_page(
            request,
            title=_("Too many attempts"),
            message=_("Too many check-ins from your network. Wait a minute and try again."),
            status=429,
            testid="checkin-limited",
            retry_after=rate_window_seconds(settings.SHEGONG_CHECKIN_RATE),
        )
    try:
        if request.method == "POST":
            found = _cached_target(token)
            parts = _page_parts(token, found.kind, found.target.pk)
        else:
            kind, pk, _expires_at = checkin.verify_token(token)
            parts = _page_parts(token, kind, pk)
    except checkin.ExpiredToken:
        return refusal_page(
            request,
            title=_("This check-in link has expired"),
            message=_("Check-in for this session is closed. Ask the staff on site to mark you."),
            status=410,
            testid="checkin-expired",
        )
    except checkin.BadToken:
        return _bad_link(
            request,
            _(
                "The link is incomplete or was changed. Scan the QR code again, "
                "or ask the staff on site."
            ),
        )
    result = fields = None
    if request.method == "POST":
        form = CheckinForm(request.POST)
        if "nonce" in form.errors:  # missing, too long or odd: not a form this page drew
            return _scan_again(request)
        if form.is_valid():
            try:
                result = checkin.check_in(
                    found,
                    nonce=form.cleaned_data["nonce"],
                    name=form.cleaned_data["name"],
                    mobile=form.cleaned_data["mobile"],
                )
            except checkin.BadToken:
                return _scan_again(request)
            except checkin.ReplayedForm:
                return refusal_page(
                    request,
                    title=_("This form was already sent"),
                    message=_(
                        "Your check-in was recorded the first time; sending the same form "
                        "again changes nothing."
                    ),
                    status=409,
                    testid="checkin-replayed",
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
        if result is None:
            # Keep what was typed and show what is wrong, with a fresh nonce for the
            # corrected form.
            form.data = form.data.copy()
            form.data["nonce"] = checkin.issue_nonce(token)
            fields = render_to_string("form_body.html", {"form": form})
    else:
        # The blank form: a fresh nonce, and the visible fields drawn once (_page_parts).
        fields = format_html(
            '<input type="hidden" name="nonce" value="{}" id="id_nonce">{}',
            checkin.issue_nonce(token),
            parts["blank_fields"],
        )
    return render_page(
        request, "checkin.html", {"heading": parts["heading"], "result": result, "fields": fields}
    )
