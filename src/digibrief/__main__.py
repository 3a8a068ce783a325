"""`python -m digibrief` is the same as the `digibrief` command."""

import signal
import sys

try:
    from digibrief.cli import main
except KeyboardInterrupt:  # Ctrl-C while Python is still importing: nothing was started
    print("digibrief: interrupted; nothing was written.", file=sys.stderr)
    sys.exit(130)

code = main()
signal.signal(
    signal.SIGINT, signal.SIG_IGN
)  # the work is done: a late Ctrl-C must not turn exit into a crash
sys.exit(code)
