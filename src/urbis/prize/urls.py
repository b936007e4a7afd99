from django.urls import path

from urbis.prize import views

app_name = "prize"

urlpatterns = [
    path("", views.index, name="index"),
    path("my/applications/", views.my_applications, name="my_applications"),
    path("my/reviews/", views.my_reviews, name="my_reviews"),
    path("reviews/<int:pk>/", views.review, name="review"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("applications/<str:reference>/triage/", views.triage_decide, name="triage_decide"),
    path("<int:year>/", views.results, name="results"),
    path("<int:year>/apply/", views.apply, name="apply"),
    path("<int:year>/apply/<str:reference>/", views.apply, name="edit"),
    path("<int:year>/triage/", views.triage, name="triage"),
    path("<int:year>/bids/", views.bids, name="bids"),
    path("<int:year>/conflicts/", views.conflicts, name="conflicts"),
    path("<int:year>/manage/", views.manage, name="manage"),
    path("<int:year>/run-sheet/", views.run_sheet, name="run_sheet"),
    path("<int:year>/rounds/<int:number>/", views.round_view, name="round"),
    path("<int:year>/rounds/<int:number>/close/", views.round_close, name="round_close"),
    path("<int:year>/certificates/<int:award_id>.pdf", views.certificate, name="certificate"),
]
