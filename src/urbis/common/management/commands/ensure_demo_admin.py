"""Create the demo administrator (credentials stated in the README) unless it exists."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from urbis.common import roles

DEMO_USERNAME = "admin"
DEMO_PASSWORD = "urbis-demo-2023"


class Command(BaseCommand):
    help = "Create the role groups and a demo admin (admin / urbis-demo-2023) for local use."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        for name in roles.ALL_ROLES:
            Group.objects.get_or_create(name=name)
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            username=DEMO_USERNAME,
            defaults={"is_staff": True, "is_superuser": True, "email": "admin@example.org"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(Group.objects.get(name=roles.ADMIN))
        state = "created" if created else "already present"
        self.stdout.write(f"Demo admin '{DEMO_USERNAME}' {state}.")
