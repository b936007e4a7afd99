"""Polls of a meeting: motions, elections and selections, their options, who took part, the
open ballots, and the proxies members hold for one another.

A secret poll stores no row that links a choice to a voter: `PollParticipation` says *that*
a member voted (the turnout); while the poll is open only the masked counter slots of
`PollTally` say *what* was voted, and once it is closed only the totals of `PollOption`.
See `docs/governance.md`, "Secret ballots".
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from urbis.governance.models.meetings import AgendaItem, Candidate, Meeting
from urbis.members.models import Organisation


class PollKind(models.TextChoices):
    MOTION = "motion", _("Motion (for / against / abstain)")
    ELECTION = "election", _("Election")
    SELECTION = "selection", _("Selection")


class PollMethod(models.TextChoices):
    SHOW_OF_HANDS = "show_of_hands", _("Show of hands")
    ROLL_CALL = "roll_call", _("Roll call")
    SECRET = "secret", _("Secret ballot")
    CONSENSUS = "consensus", _("Consensus")


class PollState(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Poll(models.Model):
    """One round of voting on an agenda item, opened and closed by the chair.

    A vote takes a share lock on the poll row (votes do not wait for one another) and the
    close an exclusive one, so every vote answered as recorded committed before the close
    counted it, and a vote after the close finds the poll closed. A run-off round is a poll of its
    own whose `previous` is the round it follows.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="polls")
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="polls")
    kind = models.CharField(max_length=9, choices=PollKind.choices)
    method = models.CharField(max_length=13, choices=PollMethod.choices)
    seats = models.PositiveSmallIntegerField(default=1)
    round = models.PositiveSmallIntegerField(default=1)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_round"
    )
    state = models.CharField(
        max_length=6, choices=PollState.choices, default=PollState.OPEN, db_index=True
    )
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Written at the close: the statute rule applied and its arithmetic, as printed.
    majority = models.CharField(max_length=24, blank=True)
    article = models.CharField(max_length=20, blank=True)
    outcome = models.CharField(max_length=12, blank=True)
    arithmetic = models.TextField(blank=True)
    ballots_cast = models.PositiveIntegerField(null=True, blank=True)
    members_present = models.PositiveIntegerField(null=True, blank=True)
    members_eligible = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "opened_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting"], condition=Q(state="open"), name="one_open_poll_per_meeting"
            ),
            models.CheckConstraint(condition=Q(seats__gte=1), name="poll_seats_positive"),
            models.CheckConstraint(
                condition=Q(state="open") | Q(closed_at__isnull=False), name="closed_poll_dated"
            ),
        ]

    def __str__(self) -> str:
        rnd = f", round {self.round}" if self.round > 1 else ""
        return f"Poll on agenda {self.agenda_item.number}{rnd} ({self.get_method_display()})"

    @property
    def secret(self) -> bool:
        return self.method == PollMethod.SECRET


class PollOption(models.Model):
    """What a ballot may mark: for / against / abstain, a candidate or a bid.

    `votes` is the total, written when the poll closes (the sum of its `PollTally` slots);
    it stays 0 while the poll is open.
    """

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField()
    choice = models.CharField(max_length=7, blank=True, help_text="for / against / abstain")
    candidate = models.ForeignKey(
        Candidate, null=True, blank=True, on_delete=models.PROTECT, related_name="poll_options"
    )
    votes = models.PositiveIntegerField(default=0)
    elected = models.BooleanField(default=False, help_text="Won a seat when the poll closed.")

    class Meta:
        ordering = ["poll", "position"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "position"], name="unique_poll_option"),
            models.UniqueConstraint(
                fields=["poll", "candidate"],
                condition=Q(candidate__isnull=False),
                name="unique_poll_candidate",
            ),
        ]

    def __str__(self) -> str:
        return self.label


TALLY_SLOTS = 16
"""Counter slots per option: a vote rewrites one slot (chosen at random) of every option, so
votes in different slots do not wait for one another's row locks."""


class PollTally(models.Model):
    """One counter slot of one option while its poll is open.

    Created at the opening with a random mask (`votes` starts at a random value; the masks
    of an option's slots sum to zero), raised by each vote that writes this slot, summed into
    `PollOption.votes` and deleted at the close. A slot's value alone says nothing of the
    votes it holds; only the sum over the slots is the count (docs: "Secret ballots").
    """

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="tallies")
    option = models.ForeignKey(PollOption, on_delete=models.CASCADE, related_name="tallies")
    slot = models.PositiveSmallIntegerField()
    votes = models.IntegerField()

    class Meta:
        ordering = ["poll", "slot", "option"]
        constraints = [
            models.UniqueConstraint(fields=["option", "slot"], name="unique_poll_tally_slot")
        ]
        indexes = [models.Index(fields=["poll", "slot"], name="poll_tally_slot_idx")]

    def __str__(self) -> str:
        return f"Slot {self.slot} of {self.option}"


class PollParticipation(models.Model):
    """That a member voted in a poll (the turnout): one per member and poll, by the database.

    `proxy_holder` names the present member that cast this vote on a proxy. The receipt code
    lets the member check that its vote was recorded; it says nothing of what was voted.
    """

    # Every vote writes a row here, so it carries no index that another one covers: the
    # poll's lookups use the (poll, organisation) constraint's, and the receipt's uniqueness
    # is a plain constraint (a `unique=True` CharField also gets a LIKE index on PostgreSQL).
    poll = models.ForeignKey(
        Poll, on_delete=models.CASCADE, related_name="participations", db_index=False
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    proxy_holder = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    receipt = models.CharField(max_length=24)

    class Meta:
        ordering = ["poll", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "organisation"], name="one_participation_per_member"
            ),
            models.UniqueConstraint(fields=["receipt"], name="one_participation_per_receipt"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} voted in poll {self.poll_id}"


class PollBallot(models.Model):
    """An open (show of hands, roll call) ballot: which member marked which option. Secret
    polls have none."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    option = models.ForeignKey(PollOption, on_delete=models.CASCADE, related_name="ballots")

    class Meta:
        ordering = ["poll", "organisation__name", "option__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "organisation", "option"], name="one_mark_per_option"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.option}"


class Proxy(models.Model):
    """A dated mandate: a present member carries another member's vote at a meeting (only
    where the statutes allow proxies, within their cap per holder)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="proxies")
    grantor = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    holder = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    granted_on = models.DateField()
    reference = models.CharField(max_length=200, blank=True, help_text="The mandate's letter.")

    class Meta:
        ordering = ["meeting", "grantor__name"]
        verbose_name_plural = "proxies"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "grantor"], name="one_proxy_per_grantor"),
            models.CheckConstraint(condition=~Q(grantor=F("holder")), name="proxy_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.holder} holds the vote of {self.grantor}"
