from django.urls import path

from urbis.governance import (
    views,
    views_accreditation,
    views_ballot,
    views_ballot_link,
    views_console,
)

app_name = "governance"

urlpatterns = [
    # A ballot link's vote and panel first: in a poll, every head of delegation's device asks
    # for them, and a URL is matched against the patterns above it in turn.
    path("ballot/<str:token>/vote/", views_ballot_link.ballot_link_vote, name="ballot_link_vote"),
    path(
        "ballot/<str:token>/panel/", views_ballot_link.ballot_link_panel, name="ballot_link_panel"
    ),
    path("ballot/<str:token>/", views_ballot_link.ballot_link, name="ballot_link"),
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
        "meetings/<slug:slug>/accreditation/",
        views_accreditation.accreditation_page,
        name="accreditation",
    ),
    path(
        "meetings/<slug:slug>/accreditation/accredit/",
        views_accreditation.accredit,
        name="accredit",
    ),
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
    # The web ballot: signed in (a focal point) or through a head of delegation's link.
    path("meetings/<slug:slug>/ballot/", views_ballot.ballot, name="ballot"),
    path("meetings/<slug:slug>/ballot/panel/", views_ballot.ballot_panel, name="ballot_panel"),
    path("meetings/<slug:slug>/ballot/vote/", views_ballot.ballot_vote, name="ballot_vote"),
    # The chair's console and the projector.
    path("meetings/<slug:slug>/console/", views_console.console, name="console"),
    path(
        "meetings/<slug:slug>/console/turnout/",
        views_console.console_turnout,
        name="console_turnout",
    ),
    path("meetings/<slug:slug>/console/open/", views_console.poll_open, name="poll_open"),
    path("meetings/<slug:slug>/console/close/", views_console.poll_close, name="poll_close"),
    path("meetings/<slug:slug>/console/runoff/", views_console.poll_runoff, name="poll_runoff"),
    path(
        "meetings/<slug:slug>/console/links/send/",
        views_console.links_send,
        name="ballot_links_send",
    ),
    path(
        "meetings/<slug:slug>/console/links/hand-over/",
        views_console.link_hand_over,
        name="ballot_link_hand_over",
    ),
    path("meetings/<slug:slug>/projector/", views_console.projector, name="projector"),
    path("meetings/<slug:slug>/proxies/", views_console.proxies, name="proxies"),
    path("meetings/<slug:slug>/proxies/grant/", views_console.proxy_grant, name="proxy_grant"),
    path(
        "meetings/<slug:slug>/proxies/<int:proxy_id>/revoke/",
        views_console.proxy_revoke,
        name="proxy_revoke",
    ),
]
