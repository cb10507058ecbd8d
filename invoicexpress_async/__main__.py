"""``python -m invoicexpress_async``: the same as the ``invoicexpress-async`` command."""

import sys

from .cli import main

sys.exit(main())
