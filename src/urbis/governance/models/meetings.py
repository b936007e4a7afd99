"""Meetings of the General Assembly and the EXCOM, delegations, attendance, votes, decisions."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from urbis.governance.models.offices import OfficeKind
from urbis.members.models import Organisation


class Body(models.TextChoices):
    GENERAL_ASSEMBLY = "ga", _("General Assembly")
    EXCOM = "excom", _("Executive Committee")


class Mode(models.TextChoices):
    ON_SITE = "on_site", _("On-site")
    ONLINE = "online", _("Online")


class MeetingStatus(models.TextChoices):
    """The lifecycle of a meeting; `rules.MEETING_NEXT` says which step follows which."""

    DRAFT = "draft", _("Draft")
    CONVENED = "convened", _("Convened")
    IN_SESSION = "in_session", _("In session")
    CONCLUDED = "concluded", _("Concluded")
    MINUTES_APPROVED = "minutes_approved", _("Minutes approved")
    PUBLISHED = "published", _("Minutes published")


class Meeting(models.Model):
    body = models.CharField(max_length=5, choices=Body.choices)
    status = models.CharField(
        max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT, db_index=True
    )
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    number = models.PositiveSmallIntegerField(null=True, blank=True, help_text="e.g. 6 (6th GA)")
    date = models.DateField()
    start_time = models.TimeField(null=True, blank=True)
    end_time = models.TimeField(null=True, blank=True)
    time_zone = models.CharField(max_length=60, default="UTC")
    time_zone_label = models.CharField(max_length=10, blank=True, help_text="e.g. KST")
    convocation_date = models.DateField(
        help_text="The registry state on this date decides who counts for the quorum."
    )
    venue = models.CharField(max_length=300, blank=True)
    online_platform = models.CharField(max_length=200, blank=True)
    host = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    host_label = models.CharField(max_length=200, blank=True)
    chair = models.CharField(max_length=300, blank=True)
    moderators = models.JSONField(default=list, blank=True)
    representatives = models.JSONField(
        default=list, blank=True, help_text="Secretariat representatives (name, position)."
    )
    language = models.CharField(max_length=100, default="English")
    interpretation = models.CharField(max_length=200, blank=True)
    summary = models.TextField(blank=True)
    changes_since = models.DateField(
        null=True, blank=True, help_text="The memorandum reports membership changes since then."
    )
    closing = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    convocation_notice = models.TextField(blank=True, help_text="The notice sent to members.")
    session = models.ForeignKey(
        "events.Session",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The event session where the meeting sits: its badge check-ins are attendance.",
    )
    concluded_at = models.DateTimeField(null=True, blank=True)
    minutes_approved_on = models.DateField(null=True, blank=True)
    minutes_approved_by = models.ForeignKey(
        "AgendaItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The later decision (of the Assembly or the EXCOM) that approved the minutes.",
    )
    published_at = models.DateTimeField(null=True, blank=True)
    desk_key_generation = models.PositiveIntegerField(
        default=0, editable=False, help_text="Desk keys of an older generation are revoked."
    )

    class Meta:
        ordering = ["-date", "body"]

    def __str__(self) -> str:
        return self.title


class ItemKind(models.TextChoices):
    REPORT = "report", _("Report")
    APPROVAL = "approval", _("Approval")
    ELECTION = "election", _("Election")
    APPOINTMENT = "appointment", _("Appointment")
    SELECTION = "selection", _("Selection")


class Method(models.TextChoices):
    CONSENSUS = "consensus", _("Consensus")
    SHOW_OF_HANDS = "show_of_hands", _("Show of hands")
    ROLL_CALL = "roll_call", _("Roll call")
    SECRET_BALLOT = "secret_ballot", _("Secret ballot")


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=12, choices=ItemKind.choices)
    starts_at = models.TimeField(null=True, blank=True)
    ends_at = models.TimeField(null=True, blank=True)
    article = models.CharField(max_length=40, blank=True, help_text="Statute basis, e.g. '11(4)'.")
    method = models.CharField(max_length=14, choices=Method.choices, default=Method.CONSENSUS)
    summary = models.TextField(blank=True)
    # Elections and appointments: the office to fill and its term.
    office = models.CharField(max_length=20, choices=OfficeKind.choices, blank=True)
    term_start = models.DateField(null=True, blank=True)
    term_end = models.DateField(null=True, blank=True)
    call_for_candidates_on = models.DateField(null=True, blank=True)
    # Host-city selection: which meeting the selected host will host.
    hosts_meeting = models.CharField(max_length=200, blank=True, help_text="e.g. '7th GA 2026'.")
    membership_review_ref = models.CharField(
        max_length=200, blank=True, help_text="The membership review this item approves."
    )
    # The date the review is computed as of. When set, adopting the item applies the review's
    # transitions in the decision's transaction; left empty (as in records of past assemblies,
    # whose transitions are already in the log) the decision is only recorded.
    membership_review_as_of = models.DateField(null=True, blank=True)
    # Set by the decision in the transaction that records it. A vote takes a share lock on
    # the item and checks this flag, so a vote waiting on the decision's lock sees it set.
    voting_closed = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="unique_agenda_number")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · Agenda {self.number}: {self.title}"


class Candidate(models.Model):
    """A candidate, nominee or bid for an election, appointment or selection item."""

    class Status(models.TextChoices):
        STANDING = "standing", _("Standing")
        SELECTED = "selected", _("Elected / selected")
        NOT_SELECTED = "not_selected", _("Not selected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="candidates")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    label = models.CharField(max_length=300, blank=True, help_text="Name as on the slate.")
    nominated_on = models.DateField(null=True, blank=True)
    nominated_by = models.CharField(max_length=200, blank=True)
    appointed_by = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.STANDING)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["agenda_item", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agenda_item", "organisation"], name="unique_candidate_per_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.label or self.organisation} ({self.agenda_item})"


class Delegate(models.Model):
    """A person accredited by a member for a meeting. The member holds the vote, not the person."""

    class Role(models.TextChoices):
        HEAD = "head", _("Head of delegation")
        MEMBER = "member", _("Delegate")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="delegates")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200, blank=True)
    position = models.CharField(max_length=300, blank=True)
    role = models.CharField(max_length=6, choices=Role.choices, default=Role.HEAD)
    mode = models.CharField(max_length=7, choices=Mode.choices, default=Mode.ON_SITE)
    mayoral_level = models.BooleanField(default=False)
    email = models.EmailField(
        blank=True, help_text="The delegate's own address: ballot link and meeting mail."
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["meeting", "organisation__name", "role", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "organisation", "name", "position"], name="unique_delegate"
            ),
            models.UniqueConstraint(
                fields=["meeting", "organisation"],
                condition=Q(role="head"),
                name="one_head_of_delegation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name or self.position} ({self.organisation})"


class CheckIn(models.Model):
    """The attendance register: one row per delegate present at a meeting.

    `source` says where it came from: recorded directly by staff, or fed by the events
    app's badge check-in.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="check_ins")
    delegate = models.OneToOneField(Delegate, on_delete=models.CASCADE, related_name="check_in")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    mode = models.CharField(max_length=7, choices=Mode.choices)
    at = models.DateTimeField()
    source = models.CharField(max_length=20, default="direct")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "at", "id"]
        indexes = [models.Index(fields=["meeting", "organisation"])]

    def __str__(self) -> str:
        return f"{self.delegate} at {self.at:%H:%M}"


class CheckOut(models.Model):
    """A delegate who left: the stay that ended (arrival and departure with their mode).

    The register (`CheckIn`) holds who is present now; a re-entry is a new `CheckIn`, so
    every stay of a delegate is either the current check-in or one of these rows.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="check_outs")
    delegate = models.ForeignKey(Delegate, on_delete=models.CASCADE, related_name="check_outs")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    mode = models.CharField(max_length=7, choices=Mode.choices)
    arrived_at = models.DateTimeField()
    left_at = models.DateTimeField()

    class Meta:
        ordering = ["meeting", "left_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_at__gte=models.F("arrived_at")), name="check_out_after_arrival"
            )
        ]

    def __str__(self) -> str:
        return f"{self.delegate} left at {self.left_at:%H:%M}"


class Erratum(models.Model):
    """A dated, reasoned correction of a concluded meeting's record, shown in its memorandum.

    What is concluded is never changed in place: the correction says what the record
    should read and why, and the audit trail keeps who recorded it.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="errata")
    on = models.DateField()
    subject = models.CharField(max_length=300, help_text="What is corrected, e.g. 'Annex 1'.")
    correction = models.TextField()
    reason = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "on", "id"]

    def __str__(self) -> str:
        return f"Erratum of {self.on} to {self.meeting}: {self.subject}"


class Choice(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstain")


class Vote(models.Model):
    """One member's vote on one agenda item; for a secret ballot only *that* it voted."""

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="votes")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=7, choices=Choice.choices, blank=True)
    cast_at = models.DateTimeField(auto_now_add=True)
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["agenda_item", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agenda_item", "organisation"], name="one_vote_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} on {self.agenda_item}: {self.choice or 'secret'}"


class Ballot(models.Model):
    """A secret ballot paper: what was voted, with no link to who voted (random key)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="ballots")
    choice = models.CharField(max_length=7, choices=Choice.choices)

    class Meta:
        ordering = ["agenda_item", "id"]

    def __str__(self) -> str:
        return f"Ballot on {self.agenda_item_id}"


class Decision(models.Model):
    """The outcome of an agenda item, with the quorum as it stood when it was taken."""

    class Result(models.TextChoices):
        ADOPTED = "adopted", _("Adopted")
        REJECTED = "rejected", _("Rejected")
        NOTED = "noted", _("Noted (report)")

    agenda_item = models.OneToOneField(
        AgendaItem, on_delete=models.CASCADE, related_name="decision"
    )
    method = models.CharField(max_length=14, choices=Method.choices)
    result = models.CharField(max_length=8, choices=Result.choices)
    votes_for = models.PositiveIntegerField(default=0)
    votes_against = models.PositiveIntegerField(default=0)
    votes_abstain = models.PositiveIntegerField(default=0)
    quorum_present = models.PositiveIntegerField()
    quorum_eligible = models.PositiveIntegerField()
    quorum_required = models.PositiveIntegerField()
    quorum_met = models.BooleanField()
    population_represented = models.PositiveBigIntegerField(default=0)
    outcome = models.TextField(blank=True)
    decided_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["agenda_item"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(result="adopted") | Q(quorum_met=True),
                name="adoption_requires_quorum",
            )
        ]

    def __str__(self) -> str:
        return f"{self.agenda_item}: {self.result}"
