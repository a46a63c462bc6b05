import sys

from kl.cli import main

sys.exit(main())
