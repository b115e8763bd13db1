"""Encrypted columns with a blind index (DESIGN §4.1).

``EncryptedCharField`` stores an AES-GCM token and hands Python code the plaintext; the plaintext
never reaches the database. ``BlindIndexField`` derives an HMAC of its source field on every save
(including ``bulk_create``, which calls ``pre_save`` too) so exact lookups and uniqueness work
without decrypting anything.
"""

from django.db import models

from shegong.core import crypto


class EncryptedCharField(models.TextField):
    description = "Text encrypted at rest"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(value)

    def value_to_string(self, obj):
        # Serialisation (dumpdata, admin history) never sees plaintext.
        return "***"


class BlindIndexField(models.CharField):
    description = "Keyed hash of another field for exact lookup"

    def __init__(self, *args, source: str = "", purpose: str = "", **kwargs):
        self.source = source
        self.purpose = purpose
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs["purpose"] = self.purpose
        kwargs.pop("editable", None)
        if kwargs.get("max_length") == 64:
            kwargs.pop("max_length")
        return name, path, args, kwargs

    def index_of(self, plaintext: str | None) -> str | None:
        if not plaintext:
            return None
        return crypto.blind_index(plaintext, purpose=self.purpose)

    def pre_save(self, model_instance, add):
        value = self.index_of(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value
