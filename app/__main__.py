"""``python -m app``: the window, or a headless verb (see app.cli)."""

import sys

from app.cli import main

if __name__ == "__main__":
    sys.exit(main())
