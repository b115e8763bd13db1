from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError


def validate_uscc(value: str) -> str:
    """Validate a unified social credit code (GB 32100-2015); return it compacted."""
    try:
        return uscc.validate(value or "")
    except InvalidChecksum as exc:
        raise ValidationError(
            _("The unified social credit code's check character is wrong."), code="checksum"
        ) from exc
    except StdnumError as exc:
        raise ValidationError(
            _("A unified social credit code is 18 digits or capital letters."), code="format"
        ) from exc
