"""The Django admin never writes around the domain: every model of this project is browse
only there (no add, change, delete or bulk action), so no admin save can skip the domain's
validation or its audit record."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse

from tests.factories.members import ContactFactory, member_since
from urbis.common.models import AuditRecord
from urbis.members.models import Contact, LifecycleEvent, Organisation

pytestmark = pytest.mark.django_db

# Models whose writes belong to Django or a library (users and groups, sign-in attempts,
# the task queue), not to this project's domain.
NOT_OURS = {"auth", "axes", "django_tasks_database", "django_tasks_db"}


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.org", "pw-123456789")


def _ours():
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label not in NOT_OURS
    ]


def test_every_model_of_the_project_is_registered_read_only(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    ours = _ours()
    assert {m._meta.app_label for m, _ in ours} >= {
        "common", "members", "events", "governance", "prize", "index",
    }  # fmt: skip
    writable = []
    for model, model_admin in ours:
        checks = [
            model_admin.has_add_permission(request),
            model_admin.has_change_permission(request),
            model_admin.has_delete_permission(request),
            bool(model_admin.get_actions(request)),
        ]
        for inline in model_admin.get_inline_instances(request):
            checks += [
                inline.has_add_permission(request, None),
                inline.has_change_permission(request),
                inline.has_delete_permission(request),
            ]
        if any(checks):
            writable.append(model._meta.label)
    assert writable == []


def test_admin_posts_change_nothing_and_write_no_audit(client, superuser):
    org = member_since(dt.date(2015, 1, 1), name="Seoul")
    contact = ContactFactory(organisation=org, name="Ana")
    event = LifecycleEvent.objects.get(organisation=org)
    client.force_login(superuser)
    before = AuditRecord.objects.count()
    posts = [
        (reverse("admin:members_organisation_change", args=[org.pk]), {"name": "Hacked"}),
        (reverse("admin:members_organisation_add"), {"name": "New", "slug": "new"}),
        (reverse("admin:members_contact_change", args=[contact.pk]), {"name": "Eve"}),
        (reverse("admin:members_lifecycleevent_change", args=[event.pk]), {"kind": "withdrawn"}),
        (reverse("admin:members_lifecycleevent_delete", args=[event.pk]), {"post": "yes"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    # The change pages still show the objects (browsing), read-only.
    page = client.get(reverse("admin:members_organisation_change", args=[org.pk]))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    org.refresh_from_db()
    assert org.name == "Seoul"
    assert Contact.objects.get(pk=contact.pk).name == "Ana"
    assert LifecycleEvent.objects.get(pk=event.pk).kind == "approved"
    assert Organisation.objects.count() == 1
    assert AuditRecord.objects.count() == before
