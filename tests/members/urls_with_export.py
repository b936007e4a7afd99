"""The project's URLs plus a stand-in `members:export`, to test the directory's export links."""

from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, include, path

from urbis.config import urls as project_urls
from urbis.members import urls as member_urls


def _export(request):  # type: ignore[no-untyped-def]
    return HttpResponse("export")


_members = [path("export/", _export, name="export"), *member_urls.urlpatterns]
_others: list[URLPattern | URLResolver] = [
    p for p in project_urls.urlpatterns if str(p.pattern) != "members/"
]
urlpatterns = [path("members/", include((_members, "members"))), *_others]
