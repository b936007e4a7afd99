"""The project's URLs plus the floor: a bare Django view doing one INSERT."""

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def floor(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_floor (n) VALUES (%s)", [1])
    return HttpResponse("ok")


urlpatterns = [
    path("bench/floor/", floor),
    path("", include("urbis.config.urls")),
]
