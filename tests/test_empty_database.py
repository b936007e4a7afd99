"""The shared teardown empties a database holding closed prize rounds, whatever the order."""

import io

import pytest
from django.core.management import call_command

from tests.conftest import empty_database
from urbis.prize.models import Score


@pytest.mark.django_db(transaction=True)
def test_empty_database_with_closed_rounds():
    call_command("load_demo", stdout=io.StringIO())
    assert Score.objects.filter(assignment__round__status="closed").exists()
    for _ in range(3):
        empty_database()
        call_command("load_demo", stdout=io.StringIO())
    empty_database()
    assert Score.objects.count() == 0
