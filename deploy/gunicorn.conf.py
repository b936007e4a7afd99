"""gunicorn settings for urbis (production). Workers scale with cores; see docs/deployment.md."""

import multiprocessing
import os

bind = os.environ.get("URBIS_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("URBIS_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
# Sync workers by default: nginx buffers requests and answers, so a worker is busy only for
# its Python and its queries. Threads in one process take turns on the interpreter lock
# and stretch the slow tail of the live assembly's requests (docs/performance.md).
threads = int(os.environ.get("URBIS_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = 60
graceful_timeout = 30
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("URBIS_FORWARDED_ALLOW_IPS", "127.0.0.1")
wsgi_app = "urbis.config.wsgi:application"
# No runtime control socket: its default path is shared by every gunicorn of the user, so two
# instances on one host (a second site, a test server) would take each other's socket.
control_socket_disable = True
# Load the application (and its URLconf: see config/wsgi.py) once in the arbiter, before it
# listens: workers fork ready to answer, so neither the first request after a start nor the
# one after a `max_requests` recycle waits for every module to be imported.
preload_app = True
