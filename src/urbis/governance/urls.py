from django.urls import path

from urbis.governance import views

app_name = "governance"

urlpatterns = [
    path("", views.meeting_list, name="meetings"),
    path("offices/", views.offices, name="offices"),
    path("statutes/", views.statutes, name="statutes"),
    path("meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<slug:slug>/", views.meeting_detail, name="meeting"),
    path("meetings/<slug:slug>/workspace/", views.workspace, name="workspace"),
    path("meetings/<slug:slug>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<slug:slug>/step/<slug:step>/", views.lifecycle, name="lifecycle"),
    path("meetings/<slug:slug>/items/", views.item_save, name="item_save"),
    path("meetings/<slug:slug>/items/<int:item_id>/delete/", views.item_delete, name="item_delete"),
    path(
        "meetings/<slug:slug>/items/<int:item_id>/candidates/",
        views.candidate_add,
        name="candidate_add",
    ),
    path(
        "meetings/<slug:slug>/candidates/<int:candidate_id>/delete/",
        views.candidate_remove,
        name="candidate_remove",
    ),
    path("meetings/<slug:slug>/errata/", views.erratum_add, name="erratum_add"),
    path("meetings/<slug:slug>/memorandum/", views.memorandum, name="memorandum"),
    path("meetings/<slug:slug>/memorandum.pdf", views.memorandum_pdf, name="memorandum_pdf"),
    path("meetings/<slug:slug>/live/", views.live, name="live"),
    path("meetings/<slug:slug>/live/quorum/", views.quorum_panel, name="quorum_panel"),
    path("meetings/<slug:slug>/run/", views.run, name="run"),
    path(
        "meetings/<slug:slug>/delegates/<int:delegate_id>/check-in/",
        views.check_in,
        name="check_in",
    ),
    path(
        "meetings/<slug:slug>/attendance/from-event/",
        views.import_attendance,
        name="import_attendance",
    ),
    path("meetings/<slug:slug>/desk-keys/issue/", views.desk_key_issue, name="desk_key_issue"),
    path(
        "meetings/<slug:slug>/desk-keys/revoke/",
        views.desk_keys_revoke,
        name="desk_keys_revoke",
    ),
    path("meetings/<slug:slug>/items/<int:item_id>/vote/", views.vote, name="vote"),
    path("meetings/<slug:slug>/items/<int:item_id>/decide/", views.decide, name="decide"),
]
