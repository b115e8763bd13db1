"""Loading the place tree from the statistical CSV."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from shegong.places.models import Community, District, Street
from shegong.places.services import places_load

HEADER = "code,name,street_code,street_name,district_code,district_name\n"


@pytest.fixture
def empty_places(db):
    """The suite's database holds the demo world; these tests load places from nothing."""
    from shegong.accounts.models import RoleAssignment
    from shegong.agencies.models import Agency
    from shegong.people.models import Person

    RoleAssignment.objects.all().delete()
    Person.objects.all().delete()
    Agency.objects.all().delete()
    Community.objects.all().delete()
    Street.objects.all().delete()
    District.objects.all().delete()


@pytest.mark.usefixtures("empty_places")
def test_bundled_huli_file_loads_five_streets_and_56_communities():
    call_command("load_places", verbosity=0)
    assert District.objects.get().name == "湖里区"
    assert Street.objects.count() == 5
    assert Community.objects.count() == 56
    xinglong = Community.objects.get(name="兴隆社区")
    assert xinglong.code == "350206002004"
    assert xinglong.street.name == "殿前街道"


@pytest.mark.usefixtures("empty_places")
def test_reloading_is_idempotent_and_keeps_the_urban_village_flag():
    call_command("load_places", verbosity=0)
    Community.objects.filter(name="兴隆社区").update(urban_village=True)
    call_command("load_places", verbosity=0)
    assert Community.objects.count() == 56
    assert Community.objects.get(name="兴隆社区").urban_village


@pytest.mark.usefixtures("empty_places")
def test_another_district_loads_its_own_file(tmp_path):
    path = tmp_path / "siming.csv"
    path.write_text(
        HEADER + "350203001001,示例社区,350203001,示例街道,350203,思明区\n", encoding="utf-8"
    )
    call_command("load_places", str(path), verbosity=0)
    assert Community.objects.get().street.district.name == "思明区"


@pytest.mark.usefixtures("empty_places")
def test_missing_columns_are_named_and_nothing_is_written():
    with pytest.raises(ValidationError) as excinfo:
        places_load(text="code,name\n350206001001,湖里社区\n")
    assert "street_code" in str(excinfo.value)
    assert not Community.objects.exists()


@pytest.mark.usefixtures("empty_places")
def test_bad_row_rolls_back_the_whole_file():
    text = (
        HEADER + "350206001001,湖里社区,350206001,湖里街道,350206,湖里区\n"
        "35020600100X,坏社区,350206001,湖里街道,350206,湖里区\n"
    )
    with pytest.raises(ValidationError) as excinfo:
        places_load(text=text)
    assert "3" in str(excinfo.value)  # the row number of the bad line
    assert not Community.objects.exists()


@pytest.mark.django_db
def test_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError):
        call_command("load_places", str(tmp_path / "nope.csv"))
