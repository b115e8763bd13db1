"""The park on the workbench: the district administrator's to-do follows the contracts in
arrears and opens the overview; an agency director's figure is what their agency owes."""

import datetime as dt
import re

import pytest

from shegong.park.services import contract_activate, payment_record
from shegong.park.tests.factories import ContractFactory
from shegong.park.workbench import park_figures, park_todos

pytestmark = pytest.mark.django_db


def test_the_todo_counts_contracts_in_arrears_and_its_link_opens(world, client_for):
    admin = world.users["district_admin"]
    [todo] = park_todos(admin)
    assert todo.count == 0 and todo.empty
    contract = ContractFactory(
        agency=world.agency_a, start_date=dt.date(2020, 1, 1), end_date=dt.date(2023, 12, 31)
    )
    contract_activate(actor=admin, contract=contract)
    assert park_todos(admin)[0].count == 1
    payment_record(actor=admin, contract=contract, amount="6000")
    assert park_todos(admin)[0].count == 0
    assert client_for("district_admin").get(todo.url).status_code == 200
    assert park_todos(world.users["agency_admin"]) == []
    assert park_todos(world.users["social_worker"]) == []


def test_the_agency_director_sees_what_their_agency_owes(world, client_for):
    director = world.users["agency_admin"]
    assert park_figures(director) == []  # no contract: no figure
    admin = world.users["district_admin"]
    contract = ContractFactory(
        agency=world.agency_a, start_date=dt.date(2020, 1, 1), end_date=dt.date(2023, 12, 31)
    )
    contract_activate(actor=admin, contract=contract)
    payment_record(actor=admin, contract=contract, amount="1000.50")
    [figure] = park_figures(director)
    assert figure.value == 4999
    assert "4999.50" in figure.detail
    assert client_for("agency_admin").get(figure.url).status_code == 200
    assert park_figures(admin) == []
    assert park_figures(world.users["social_worker_b"]) == []


def test_home_page_shows_them(world, client_for):
    admin = world.users["district_admin"]
    contract = ContractFactory(
        agency=world.agency_a, start_date=dt.date(2020, 1, 1), end_date=dt.date(2023, 12, 31)
    )
    contract_activate(actor=admin, contract=contract)
    home = client_for("district_admin").get("/").content.decode()
    assert 'data-testid="todo-park-arrears"' in home
    director = client_for("agency_admin").get("/").content.decode()
    # The whole of 2023 (1,000 a month at half) is owed.
    assert re.search(r'data-testid="figure-park-rent-owed">6\D?000<', director)
