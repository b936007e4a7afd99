"""Who may do what with the index. Results are public; data and computations are the
secretariat's (the domain functions check the same predicate)."""

from __future__ import annotations

import rules

from urbis.common.roles import is_secretariat

rules.add_perm("index.view_results", rules.always_allow)
rules.add_perm("index.import_data", is_secretariat)
rules.add_perm("index.compute", is_secretariat)
rules.add_perm("index.audit", is_secretariat)
