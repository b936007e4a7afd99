"""Who may see a long job: the secretariat sees every job, anyone else the jobs they asked for
(a job's output can be as private as its input: a report draft, an index computation)."""

from __future__ import annotations

from typing import Any

import rules

from urbis.common.roles import is_secretariat


@rules.predicate
def requested_job(user: Any, job: Any) -> bool:
    return bool(job is not None and user.is_authenticated and job.requested_by_id == user.pk)


rules.add_perm("common.view_job", is_secretariat | requested_job)


# Personal API tokens: anyone signed in manages their own (object: an ApiToken).
@rules.predicate
def owns_token(user: Any, token: Any) -> bool:
    return bool(token is not None and user.is_authenticated and token.user_id == user.pk)


rules.add_perm("common.manage_api_tokens", rules.is_authenticated)
rules.add_perm("common.choose_language", rules.is_authenticated)
rules.add_perm("common.revoke_api_token", owns_token)
