"""The account area: a user's personal API tokens (create, list, revoke) and their language
(also remembered when a signed-in user uses the language switcher).

A new token's secret is rendered in the answer to the form that created it, and never again.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_POST

from urbis.common.actor import actor_required
from urbis.common.forms import ApiTokenForm, LanguageForm
from urbis.common.inputs import InputError, parse_id
from urbis.common.languages import SESSION_KEY, language_codes, user_language, user_language_set
from urbis.common.middleware import language_cookie_set
from urbis.common.models import ApiToken
from urbis.common.tokens import IssuedToken, api_token_create, api_token_revoke, api_tokens_of

TOKENS_PAGE_SIZE = 25


def _own_token(request: HttpRequest, token_id: int) -> ApiToken:
    """One of the user's tokens; 404 for anyone else's and for an id no row can have."""
    try:
        pk = parse_id(token_id, field="token_id")
    except InputError:
        raise Http404("No such token.") from None
    return get_object_or_404(api_tokens_of(request.user), pk=pk)


@actor_required("common.manage_api_tokens")
def api_tokens(request: HttpRequest) -> HttpResponse:
    """Your tokens and a form for a new one; after creating one, its secret, once."""
    issued: IssuedToken | None = None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = api_token_create(
                owner=request.user,
                label=form.cleaned_data["label"],
                scope=form.cleaned_data["scope"],
                expires_on=form.cleaned_data["expires_on"],
                actor=request.actor,  # type: ignore[attr-defined]
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form = ApiTokenForm()
    page = Paginator(api_tokens_of(request.user), TOKENS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"form": form, "page": page, "issued": issued, "today": timezone.localdate()}
    status = 400 if request.method == "POST" and issued is None else 200
    return render(request, "common/api_tokens.html", context, status=status)


@require_POST
@actor_required("common.revoke_api_token", obj=_own_token)
def api_token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    token = api_token_revoke(token=_own_token(request, token_id), actor=request.actor)  # type: ignore[attr-defined]
    messages.success(request, f"Token “{token.label}” revoked: it no longer opens the API.")
    return redirect("account:api_tokens")


@actor_required("common.choose_language")
def language(request: HttpRequest) -> HttpResponse:
    """Your language: the interface's and your mail's. Saving it also switches this browser."""
    form = LanguageForm(request.POST or None, initial={"language": user_language(request.user)})
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["language"]
        user_language_set(user=request.user, language=code, actor=request.actor)  # type: ignore[attr-defined]
        messages.success(request, _("Your language is saved."))
        response = redirect("account:language")
        request.session[SESSION_KEY] = code
        language_cookie_set(response, code)
        return response
    status = 400 if request.method == "POST" else 200
    return render(request, "common/language.html", {"form": form}, status=status)


def language_switch(request: HttpRequest) -> HttpResponse:
    """Django's language switcher, which also remembers a signed-in user's choice on their
    profile, so that their mail is written in it."""
    response = i18n.set_language(request)
    code = request.POST.get("language", "") if request.method == "POST" else ""
    if request.user.is_authenticated and code in language_codes():
        user_language_set(user=request.user, language=code, actor=request.user)
        request.session[SESSION_KEY] = code
    return response
