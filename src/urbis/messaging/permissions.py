"""Who may see and act on the outbox: the secretariat."""

from __future__ import annotations

import rules

from urbis.common.roles import is_secretariat

rules.add_perm("messaging.view_outbox", is_secretariat)
rules.add_perm("messaging.change_outbox", is_secretariat)
rules.add_perm("messaging.invite_user", is_secretariat)
