"""Messages of third-party packages that ship no zh_Hans catalog but show on our pages.

Nothing imports this module: it only marks the strings so that makemessages keeps them in
locale/zh_Hans, and the project catalog (first in LOCALE_PATHS) translates them for the package.
"""

from django.utils.translation import gettext_noop

MESSAGES = (
    # django-filter ships zh_CN only; OrderingFilter labels the reverse order of every sort field.
    gettext_noop("%s (descending)"),
    gettext_noop("Ordering"),
)
