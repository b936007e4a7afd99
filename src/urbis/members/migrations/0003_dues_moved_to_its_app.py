"""Dues leaves the members app: its models leave members' state; their tables stay, owned
by the `dues` app from `dues.0001_initial` on (no data is touched)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("members", "0002_dues"),
        ("dues", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="CreditNote"),
                migrations.DeleteModel(name="Payment"),
                migrations.DeleteModel(name="Invoice"),
                migrations.DeleteModel(name="FeeSchedule"),
                migrations.DeleteModel(name="ReviewFlag"),
                migrations.DeleteModel(name="StatusReview"),
            ],
            database_operations=[],
        ),
    ]
