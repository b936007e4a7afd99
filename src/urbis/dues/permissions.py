"""Who may see and handle dues and status reviews (django-rules predicates).

A member's focal points see its own dues; the secretariat manages them; EXCOM reads reviews.
"""

from __future__ import annotations

import rules

from urbis.common.roles import is_excom, is_secretariat
from urbis.members.permissions import is_focal_point_of

rules.add_perm("dues.view_mine", rules.is_authenticated)
rules.add_perm("dues.view_dues", is_secretariat | is_focal_point_of)
rules.add_perm("dues.manage_dues", is_secretariat)
rules.add_perm("dues.view_review", is_secretariat | is_excom)
rules.add_perm("dues.apply_review", is_secretariat)
