"""The `urbis` command: Django's management utility with urbis settings preselected."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urbis.config.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    # `urbis load-demo` reads better than `urbis load_demo`; accept both.
    if len(argv) > 1 and "-" in argv[1] and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
