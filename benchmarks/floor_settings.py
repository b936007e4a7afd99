"""Settings for the benchmark server: the project's, plus the floor view's URL."""

from urbis.config.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.floor_urls"
DEBUG = False
