"""Note attachments: an allow-list by extension and content, a size limit, encryption at rest
under the field keys, decrypted downloads, and rotation with ``rotate_field_keys``."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from shegong.accounts.services import token_issue
from shegong.cases.models import NoteAttachment
from shegong.cases.tests.factories import CaseFactory, add_note
from shegong.core import crypto

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\nfamily-visit-report"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def note(world):
    return add_note(CaseFactory())


@pytest.fixture
def upload(world, note):
    _token, raw = token_issue(user=world.users["social_worker"])
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    path = f"/api/v1/cases/{note.case_id}/notes/{note.pk}/attachments"

    def send(name, content):
        return client.post(path, {"file": [SimpleUploadedFile(name, content)]})

    send.client = client
    send.path = path
    return send


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.exe", b"MZ\x90\x00\x03"),
        ("page.html", b"<script>alert(1)</script>"),
        ("image.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("report.pdf", b"MZ\x90\x00 an executable renamed"),
        ("photo.jpg", b"<html>not a photo</html>"),
        ("notes.txt", b"\x00\x01binary"),
        ("no-extension", b"%PDF-1.7"),
    ],
)
def test_files_outside_the_allow_list_are_refused_and_nothing_is_stored(upload, name, content):
    response = upload(name, content)
    assert response.status_code == 400
    assert "file" in response.json()["errors"]
    assert NoteAttachment.objects.count() == 0


def test_an_attachment_over_10_mb_is_refused(upload):
    response = upload("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    assert response.status_code == 400
    assert NoteAttachment.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content"),
    [("家访记录.pdf", PDF), ("photo.PNG", PNG), ("签到表.txt", "签到".encode())],
)
def test_allowed_files_are_stored_encrypted_and_downloaded_as_uploaded(upload, name, content):
    response = upload(name, content)
    assert response.status_code == 201, response.json()
    assert response.json()[0]["size"] == len(content)
    attachment = NoteAttachment.objects.get()
    with attachment.file.open("rb") as handle:
        on_disk = handle.read()
    assert content not in on_disk and crypto.is_sealed(on_disk)
    # The stored name says nothing about the client.
    assert name.rsplit(".", 1)[0] not in attachment.file.name
    download = upload.client.get(f"{upload.path}/{attachment.pk}")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert name in download["Content-Disposition"] or "filename*" in download["Content-Disposition"]


def test_the_page_download_decrypts_too(upload, client_for, note):
    upload("家访记录.pdf", PDF)
    attachment = NoteAttachment.objects.get()
    response = client_for("social_worker").get(
        f"/cases/{note.case_id}/attachments/{attachment.pk}/"
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_rotation_re_encrypts_attachments_and_seals_plaintext_ones(upload, note, settings):
    key_a, key_b = crypto.generate_key(), crypto.generate_key()
    # The test world's rows stay readable under the keys they were written with.
    world_keys = list(settings.SHEGONG_FIELD_KEYS)
    settings.SHEGONG_FIELD_KEYS = [key_a, *world_keys]
    crypto._keyring.cache_clear()
    try:
        upload("家访记录.pdf", PDF)
        # A file stored before encryption at rest existed.
        legacy = NoteAttachment(note=note, name="旧扫描.png")
        legacy.file.save("old-scan.png", io.BytesIO(PNG), save=True)

        settings.SHEGONG_FIELD_KEYS = [key_b, key_a, *world_keys]
        crypto._keyring.cache_clear()
        out = io.StringIO()
        call_command("rotate_field_keys", stdout=out)
        assert "cases.NoteAttachment: 2 files re-encrypted" in out.getvalue()

        settings.SHEGONG_FIELD_KEYS = [key_b, *world_keys]  # key_a is gone
        crypto._keyring.cache_clear()
        contents = {}
        for attachment in NoteAttachment.objects.all():
            with attachment.file.open("rb") as handle:
                assert crypto.is_sealed(handle.read())
            download = upload.client.get(f"{upload.path}/{attachment.pk}")
            contents[attachment.name] = b"".join(download.streaming_content)
        assert contents == {"家访记录.pdf": PDF, "旧扫描.png": PNG}
    finally:
        crypto._keyring.cache_clear()
