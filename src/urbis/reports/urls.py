from django.urls import path

from urbis.reports import views

app_name = "reports"

urlpatterns = [
    path("build/", views.build_page, name="build"),
    path("build/run/", views.build_run, name="build_run"),
    path("assembly/<int:number>/", views.report_html, name="html"),
    path("assembly/<int:number>/pdf/", views.report_pdf, name="pdf"),
]
