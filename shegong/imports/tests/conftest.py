import pytest


@pytest.fixture(autouse=True)
def _imports_inline(settings, tmp_path):
    """Run import tasks inline and keep uploads in a per-test directory."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
