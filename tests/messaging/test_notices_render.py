"""Messages to many: one per recipient, with its organisation, in its language, and an
unsubscribe link only in an announcement."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import override_settings

from urbis.messaging.render import notices_render
from urbis.messaging.unsubscribe import unsubscribe_address

TEMPLATES = {
    "notice.subject.txt": "Notice for {{ organisation }}",
    "notice.txt": (
        "{% load i18n %}{% get_current_language as lang %}"
        "{{ recipient_name }} of {{ organisation }} ({{ lang }}): {{ what }}; "
        "{{ unsubscribe_url|default:'no link' }}"
    ),
}


@dataclass(frozen=True)
class Focal:
    email: str
    name: str
    organisation: str
    language: str


@pytest.mark.django_db
@override_settings(
    TEMPLATES=[
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", TEMPLATES)]},
        }
    ]
)
@pytest.mark.parametrize("announcement", [False, True])
def test_one_message_per_recipient_in_its_language(announcement):
    recipients = [
        Focal("ana@lyon.example", "Ana", "Lyon", "fr"),
        Focal("min@seoul.example", "Min", "Seoul", "ko"),
    ]
    messages = notices_render("notice", {"what": "minutes"}, recipients, announcement=announcement)
    assert [(m.to_address, m.to_name, m.subject) for m in messages] == [
        ("ana@lyon.example", "Ana", "Notice for Lyon"),
        ("min@seoul.example", "Min", "Notice for Seoul"),
    ]
    texts = [m.body_text.split("; ") for m in messages]
    assert [text for text, _ in texts] == [
        "Ana of Lyon (fr): minutes",
        "Min of Seoul (ko): minutes",
    ]
    links = [link for _, link in texts]
    if not announcement:
        assert links == ["no link", "no link"]
    else:  # each message carries its own recipient's signed link
        tokens = [link.rstrip("/").rsplit("/", 1)[1] for link in links]
        assert [unsubscribe_address(token) for token in tokens] == [r.email for r in recipients]
