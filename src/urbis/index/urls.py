from django.urls import path

from urbis.index import views

app_name = "index"

urlpatterns = [
    path("", views.home, name="home"),
    path("<int:year>/", views.ranking, name="ranking"),
    path("<int:year>/export.csv", views.export, name="export"),
    path("<int:year>/import/", views.data_import, name="import"),
    path("<int:year>/compute/", views.compute, name="compute"),
    path("<int:year>/audit/", views.audit, name="audit"),
    path("<int:year>/audit.xlsx", views.audit_export, name="audit_export"),
    path("<int:year>/<slug:slug>/", views.city, name="city"),
]
