"""Who may do what in governance (django-rules predicates)."""

from __future__ import annotations

import rules

from urbis.common.roles import is_admin, is_excom, is_secretariat
from urbis.members.permissions import is_focal_point_of

# Running a meeting (register, check-in, decisions) is the secretariat's job.
rules.add_perm("governance.run_meeting", is_secretariat)
# Checking a delegate in at the desk: the secretariat, or a desk key of the meeting (which
# holds this rule and `cast_vote` only, see URBIS_DESK_KEY_PERMISSIONS).
rules.add_perm("governance.check_in", is_secretariat)
rules.add_perm("governance.view_register", is_secretariat | is_excom)
# A member's vote is cast by its focal point, or recorded by the secretariat (roll call).
rules.add_perm("governance.cast_vote", is_secretariat | is_focal_point_of)
rules.add_perm("governance.change_statutes", is_admin)
