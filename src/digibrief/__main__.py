"""`python -m digibrief` is the same as the `digibrief` command."""

import sys

from digibrief.cli import main

sys.exit(main())
