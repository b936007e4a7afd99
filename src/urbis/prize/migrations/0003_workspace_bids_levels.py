"""Evaluator workspace (comments, drafts, blind rounds), bids and expertise, waivable
conflicts, forced closes, the level of measurement of the agreement.

SQLite rebuilds a table to add a column with a default, which breaks the triggers that
name it: the closed-round guard of 0002 is dropped first and installed again at the end
(PostgreSQL keeps its own).
"""

import importlib


import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


_guard = importlib.import_module("urbis.prize.migrations.0002_closed_round_trigger")


def _sqlite(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("prize", "0002_closed_round_trigger"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(
            _sqlite(_guard.SQLITE_BACKWARD), _sqlite(_guard.SQLITE_FORWARD), elidable=False
        ),
        migrations.AddField(
            model_name="application",
            name="areas",
            field=models.JSONField(
                blank=True, default=list, help_text="Expertise areas the project touches."
            ),
        ),
        migrations.AddField(
            model_name="assignment",
            name="comment",
            field=models.TextField(blank=True, db_default="", help_text="Overall comment."),
        ),
        migrations.AddField(
            model_name="assignment",
            name="draft",
            field=models.JSONField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="conflict",
            name="waived",
            field=models.BooleanField(db_default=False, default=False),
        ),
        migrations.AddField(
            model_name="conflict",
            name="waived_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="conflict",
            name="waiver_reason",
            field=models.CharField(blank=True, db_default="", max_length=300),
        ),
        migrations.AddField(
            model_name="edition",
            name="agreement_level",
            field=models.CharField(
                choices=[
                    ("nominal", "Nominal"),
                    ("ordinal", "Ordinal"),
                    ("interval", "Interval"),
                    ("ratio", "Ratio"),
                ],
                default="ordinal",
                help_text="Level of measurement of Krippendorff's alpha; rubric scores are ordinal.",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="evaluator",
            name="expertise",
            field=models.JSONField(
                blank=True, default=list, help_text="Expertise areas (category codes or topics)."
            ),
        ),
        migrations.AddField(
            model_name="round",
            name="blind",
            field=models.BooleanField(
                default=False, help_text="Hide the applicant's identity from the evaluators."
            ),
        ),
        migrations.AddField(
            model_name="round",
            name="close_reason",
            field=models.TextField(
                blank=True, help_text="Why the round was closed with reviews missing (forced)."
            ),
        ),
        migrations.AddField(
            model_name="score",
            name="comment",
            field=models.TextField(blank=True, db_default=""),
        ),
        migrations.CreateModel(
            name="Bid",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "level",
                    models.CharField(
                        choices=[
                            ("eager", "Eager"),
                            ("willing", "Willing"),
                            ("not_willing", "Not willing"),
                        ],
                        max_length=12,
                    ),
                ),
                (
                    "application",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="bids",
                        to="prize.application",
                    ),
                ),
                (
                    "evaluator",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="bids",
                        to="prize.evaluator",
                    ),
                ),
            ],
            options={
                "ordering": ["evaluator", "application"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("evaluator", "application"), name="unique_prize_bid"
                    )
                ],
            },
        ),
        migrations.RunPython(
            _sqlite(_guard.SQLITE_FORWARD), _sqlite(_guard.SQLITE_BACKWARD), elidable=False
        ),
    ]
