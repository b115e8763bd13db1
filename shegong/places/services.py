"""Writes to the place tree."""

import csv
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from shegong.core.audit import set_actor
from shegong.places.models import Community, District, Street

PLACES_COLUMNS = ("code", "name", "street_code", "street_name", "district_code", "district_name")


@dataclass
class PlacesLoadResult:
    districts: int = 0
    streets: int = 0
    communities: int = 0
    created: int = 0
    updated: int = 0


def _read_rows(text: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in PLACES_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError(_("Missing columns: %(cols)s") % {"cols": ", ".join(missing)})
    rows = []
    for line_no, row in enumerate(reader, start=2):
        values = {c: (row.get(c) or "").strip() for c in PLACES_COLUMNS}
        empty = [c for c, v in values.items() if not v]
        if empty:
            raise ValidationError(
                _("Row %(row)s: empty %(cols)s") % {"row": line_no, "cols": ", ".join(empty)}
            )
        for code_col in ("code", "street_code", "district_code"):
            if not (values[code_col].isascii() and values[code_col].isdigit()):
                raise ValidationError(
                    _("Row %(row)s: %(col)s must be digits") % {"row": line_no, "col": code_col}
                )
        rows.append(values)
    return rows


@transaction.atomic
def places_load(*, text: str, actor=None) -> PlacesLoadResult:
    """Create or update the tree from a CSV in the format of ``data/huli_communities.csv``.

    Idempotent: codes identify rows; names are updated; the urban-village flag is never touched
    because it is the district's own decision, not part of the statistical file.
    """
    rows = _read_rows(text)
    result = PlacesLoadResult()
    with set_actor(actor):
        districts, streets = {}, {}
        for row in rows:
            district = districts.get(row["district_code"])
            if district is None:
                district, _created = District.objects.update_or_create(
                    code=row["district_code"], defaults={"name": row["district_name"]}
                )
                districts[district.code] = district
            street = streets.get(row["street_code"])
            if street is None:
                street, _created = Street.objects.update_or_create(
                    code=row["street_code"],
                    defaults={"name": row["street_name"], "district": district},
                )
                streets[street.code] = street
            _community, created = Community.objects.update_or_create(
                code=row["code"], defaults={"name": row["name"], "street": street}
            )
            result.created += created
            result.updated += not created
    result.districts = len(districts)
    result.streets = len(streets)
    result.communities = len(rows)
    return result


@transaction.atomic
def community_set_urban_village(*, actor, community: Community, urban_village: bool) -> Community:
    with set_actor(actor):
        community.urban_village = urban_village
        community.full_clean()
        community.save(update_fields=["urban_village", "updated_at"])
    return community
