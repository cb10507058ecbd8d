"""``python -m invoicexpress_async.sandbox``: serve the sandbox until interrupted."""

import sys

from .command import main

sys.exit(main())
