"""``python -m govreport``: the command line."""

import sys

from govreport.cli import main

sys.exit(main())
