import sys

from kl.site.cli import main

sys.exit(main())
