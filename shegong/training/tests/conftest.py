import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    """The tests read the services' messages by their English msgids."""
    with translation.override("en"):
        yield
