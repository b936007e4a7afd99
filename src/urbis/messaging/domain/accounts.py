"""Account mails, through the outbox: the password reset, the invitation of a new user (a
focal point, an evaluator, a delegate) with a link to choose a password, and optional
sign-in links (django-sesame) for delegates and evaluators, who sign in a few times a year.

The user and the message are written in one transaction: an invitation that fails to be
recorded sends nothing, and one recorded is never lost."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify
from django.utils.translation import gettext_lazy, pgettext_lazy

from urbis.common import roles
from urbis.common.audit import audit_record
from urbis.messaging.domain.outbox import message_queue
from urbis.messaging.models import Message
from urbis.messaging.render import message_render
from urbis.messaging.unsubscribe import absolute

SIGN_IN_SCOPE = "urbis.sign-in"
# Who may be invited, and as what. A delegate holds no role: they sign in to register and
# to vote with what their member's focal point gave them.
INVITABLE = {
    "focal point": roles.FOCAL_POINT,
    "evaluator": roles.EVALUATOR,
    "delegate": "",
    "secretariat staff": roles.STAFF,
}
SIGN_IN_LINK_FOR = {"evaluator", "delegate"}
# The role as the invitation names it, in the invitee's language (rendered lazily).
ROLE_LABELS = {
    "focal point": pgettext_lazy("invited as", "focal point"),
    "evaluator": pgettext_lazy("invited as", "evaluator"),
    "delegate": pgettext_lazy("invited as", "delegate"),
    "secretariat staff": pgettext_lazy("invited as", "secretariat staff"),
}


def set_password_url(user: Any) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return absolute(reverse("password_reset_confirm", args=[uid, token]))


def sign_in_url(user: Any) -> str:
    from sesame.utils import get_query_string

    return absolute(reverse("messaging:sign_in")) + get_query_string(user, scope=SIGN_IN_SCOPE)


def _username(email: str) -> str:
    model = get_user_model()
    base = slugify(email.split("@")[0])[:140] or "user"
    name, n = base, 1
    while model.objects.filter(username=name).exists():
        n += 1
        name = f"{base}-{n}"
    return name


def user_invite(
    *, email: str, name: str, as_: str, sign_in_link: bool = False, actor: Any
) -> tuple[Any, Message]:
    """Create the account (no password yet) with the role of `as_`, and queue the
    invitation with a link to choose a password (and a sign-in link, for delegates and
    evaluators who ask for one). An address that already has an account is refused."""
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": f"'{email}' is not an e-mail address."}) from None
    if as_ not in INVITABLE:
        raise ValidationError({"as_": f"one of {', '.join(INVITABLE)}, not '{as_}'."})
    if sign_in_link and as_ not in SIGN_IN_LINK_FOR:
        raise ValidationError(
            {"sign_in_link": "Sign-in links are offered to delegates and evaluators only."}
        )
    model = get_user_model()
    first, _, last = name.strip().partition(" ")
    with transaction.atomic():
        if model.objects.select_for_update().filter(email__iexact=email).exists():
            raise ValidationError({"email": f"{email} already has an account."})
        user = model.objects.create_user(
            username=_username(email), email=email, first_name=first[:150], last_name=last[:150]
        )  # no password: unusable until the invitee chooses one
        role = INVITABLE[as_]
        if role:
            user.groups.add(Group.objects.get(name=role))
        context = {
            "name": name.strip(),
            "as_": as_,
            "as_label": ROLE_LABELS[as_],
            "username": user.username,
            "set_password_url": set_password_url(user),
            "sign_in_url": sign_in_url(user) if sign_in_link else "",
            "inviter": getattr(actor, "get_full_name", lambda: "")()
            or gettext_lazy("The secretariat"),
        }
        out = message_render(
            "messaging/mail/invitation", context, to_address=email, to_name=name.strip()
        )
        message = message_queue(
            kind="accounts.invitation",
            to_address=out.to_address,
            to_name=out.to_name,
            subject=out.subject,
            body_text=out.body_text,
            body_html=out.body_html,
            statutory=True,
            reference=f"user:{user.pk}",
            actor=actor,
        )
        audit_record(
            actor=actor,
            action="user.invite",
            target=user,
            after={"email": email, "as": as_, "sign_in_link": sign_in_link},
        )
    return user, message


def password_reset_queue(*, user: Any, context: dict[str, Any]) -> Message:
    """Queue the password reset mail Django's form prepared (`context` holds the link).
    Statutory in the sense that matters here: an opt-out of newsletters never stops it."""
    context = {
        **context,
        "reset_url": absolute(
            reverse("password_reset_confirm", args=[context["uid"], context["token"]])
        ),
    }
    out = message_render(
        "messaging/mail/password_reset",
        context,
        to_address=user.email,
        to_name=user.get_full_name(),
    )
    with transaction.atomic():
        return message_queue(
            kind="accounts.password_reset",
            to_address=out.to_address,
            to_name=out.to_name,
            subject=out.subject,
            body_text=out.body_text,
            body_html=out.body_html,
            statutory=True,
            reference=f"user:{user.pk}",
            actor=None,
        )
