"""Dues leaves the members app: the models are declared here, their tables stay as they are.

The tables were created by `members.0002_dues` and keep their names (`members_*`), so the
move is a change of Django's state only; no row is copied. Content types and audit records
that name the models are relabelled, so an invoice's history and the permissions on it
follow it into the new app.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ["feeschedule", "invoice", "payment", "creditnote", "reviewflag", "statusreview"]


def _relabel(apps, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditRecord = apps.get_model("common", "AuditRecord")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)
        AuditRecord.objects.filter(target_type=f"{old}.{model}").update(
            target_type=f"{new}.{model}"
        )


def forwards(apps, schema_editor):
    _relabel(apps, "members", "dues")


def backwards(apps, schema_editor):
    _relabel(apps, "dues", "members")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("members", "0002_dues"),
        ("common", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='FeeSchedule',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.SlugField(max_length=60, unique=True)),
                        ('title', models.CharField(max_length=200)),
                        ('effective_from', models.DateField(db_index=True)),
                        ('currency', models.CharField(default='USD', max_length=3)),
                        ('source', models.TextField(blank=True)),
                        ('example', models.BooleanField(default=False, help_text='An illustrative schedule, not statute text.')),
                        ('choices', models.JSONField(blank=True, default=list, help_text='How the data closes defects of the printed text.')),
                        ('tables', models.JSONField(default=dict, help_text='Validated by rules.fees on every save.')),
                        ('loaded_at', models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        'db_table': 'members_feeschedule',
                        'ordering': ['effective_from', 'code'],
                    },
                ),
                migrations.CreateModel(
                    name='Invoice',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('fiscal_year', models.PositiveSmallIntegerField(db_index=True)),
                        ('number', models.CharField(max_length=30, unique=True)),
                        ('issued_on', models.DateField()),
                        ('due_on', models.DateField()),
                        ('amount', models.DecimalField(decimal_places=2, max_digits=12)),
                        ('currency', models.CharField(default='USD', max_length=3)),
                        ('explanation', models.TextField(blank=True)),
                        ('illustrative', models.BooleanField(default=False, help_text='Demo history, not a real ledger entry.')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='invoices', to='members.organisation')),
                        ('schedule', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='invoices', to='dues.feeschedule')),
                    ],
                    options={
                        'db_table': 'members_invoice',
                        'ordering': ['-fiscal_year', 'organisation_id'],
                    },
                ),
                migrations.CreateModel(
                    name='CreditNote',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.CharField(max_length=30, unique=True)),
                        ('issued_on', models.DateField()),
                        ('amount', models.DecimalField(decimal_places=2, max_digits=12)),
                        ('reason', models.TextField()),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('invoice', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='credit_notes', to='dues.invoice')),
                    ],
                    options={
                        'db_table': 'members_creditnote',
                        'ordering': ['issued_on', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='Payment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('received_on', models.DateField()),
                        ('amount', models.DecimalField(decimal_places=2, max_digits=12)),
                        ('currency', models.CharField(default='USD', max_length=3)),
                        ('reference', models.CharField(blank=True, max_length=80)),
                        ('method', models.CharField(blank=True, max_length=30)),
                        ('illustrative', models.BooleanField(default=False)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('invoice', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='payments', to='dues.invoice')),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='payments', to='members.organisation')),
                    ],
                    options={
                        'db_table': 'members_payment',
                        'ordering': ['-received_on', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='ReviewFlag',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(choices=[('ceased_to_exist', 'Entity no longer exists'), ('unreachable', 'No communication with the secretariat'), ('other', 'Other')], max_length=20)),
                        ('noted_on', models.DateField()),
                        ('note', models.TextField(blank=True)),
                        ('resolved_on', models.DateField(blank=True, null=True)),
                        ('illustrative', models.BooleanField(default=False)),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='review_flags', to='members.organisation')),
                    ],
                    options={
                        'db_table': 'members_reviewflag',
                        'ordering': ['organisation_id', 'noted_on'],
                    },
                ),
                migrations.CreateModel(
                    name='StatusReview',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('as_of', models.DateField()),
                        ('decision_ref', models.CharField(max_length=200)),
                        ('decided_on', models.DateField()),
                        ('applied_at', models.DateTimeField(auto_now_add=True)),
                        ('proposals', models.JSONField(default=list)),
                        ('applied_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'members_statusreview',
                        'ordering': ['-applied_at'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='invoice',
                    constraint=models.UniqueConstraint(fields=('organisation', 'fiscal_year'), name='one_invoice_per_member_year'),
                ),
                migrations.AddConstraint(
                    model_name='invoice',
                    constraint=models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='invoice_amount_positive'),
                ),
                migrations.AddConstraint(
                    model_name='creditnote',
                    constraint=models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='credit_amount_positive'),
                ),
                migrations.AddIndex(
                    model_name='payment',
                    index=models.Index(fields=['organisation', 'received_on'], name='members_pay_organis_77a3ba_idx'),
                ),
                migrations.AddConstraint(
                    model_name='payment',
                    constraint=models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='payment_amount_positive'),
                ),
                migrations.AddConstraint(
                    model_name='payment',
                    constraint=models.UniqueConstraint(condition=models.Q(('reference', ''), _negated=True), fields=('reference',), name='unique_payment_reference'),
                ),
                migrations.AddConstraint(
                    model_name='reviewflag',
                    constraint=models.UniqueConstraint(fields=('organisation', 'code', 'noted_on'), name='unique_review_flag'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards, elidable=True),
    ]
