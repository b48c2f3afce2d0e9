"""``python -m avetmiss_finalise`` → the CLI."""

import sys

from avetmiss_finalise.cli import main

sys.exit(main())
