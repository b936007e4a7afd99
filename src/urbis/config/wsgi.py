"""WSGI entry point (gunicorn urbis.config.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urbis.config.settings")
application = get_wsgi_application()
# Django imports the views on the first request; do it at start instead, so that a worker's
# first visitor does not wait for the whole project (NumPy, SciPy, WeasyPrint) to be imported.
get_resolver().url_patterns  # noqa: B018
