"""A rate limit on anonymous requests to document endpoints (PDFs, exports that are public).

Counted per client address (`lockout.client_ip`, which believes a proxy's header only from a
declared proxy) in fixed windows, in the cache shared by every process (the database cache).
Signed-in users are not limited here: their accounts answer for them.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from urbis.common.lockout import client_ip


def anonymous_rate_limit(scope: str) -> Callable[[Callable[..., HttpResponse]], Any]:
    """At most URBIS_ANONYMOUS_DOCUMENTS_PER_MINUTE anonymous requests per address and
    minute to the views of `scope`; beyond, 429 with Retry-After."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                now = int(time.time())
                window = now // 60
                key = f"ratelimit:{scope}:{client_ip(request)}:{window}"
                cache.add(key, 0, 120)
                try:
                    count = cache.incr(key)
                except ValueError:  # expired between add and incr
                    count = 1
                if count > settings.URBIS_ANONYMOUS_DOCUMENTS_PER_MINUTE:
                    response = HttpResponse(
                        "Too many requests for documents from this address; try again in a minute.",
                        status=429,
                        content_type="text/plain",
                    )
                    response["Retry-After"] = str(60 - now % 60)
                    return response
            return view(request, *args, **kwargs)

        return limited

    return decorate
