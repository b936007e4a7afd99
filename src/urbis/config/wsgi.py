"""WSGI entry point (gunicorn urbis.config.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urbis.config.settings")
application = get_wsgi_application()
