#!/usr/bin/env python
"""Django's command-line utility for urbis (a thin wrapper around `urbis.manage`)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from urbis.manage import main  # noqa: E402

if __name__ == "__main__":
    main()
