"""A review date the history cannot reach back from is refused, not a server error."""

import pytest

pytestmark = pytest.mark.django_db


def test_review_date_before_1900_is_refused(client, staff_user):
    client.force_login(staff_user)
    response = client.get("/api/v1/dues/review", {"as_of": "0001-01-05"})
    assert response.status_code == 422
    assert "1900" in response.json()["detail"]
