"""``python -m fluent_gql.cli``."""

import sys

from fluent_gql.cli import main

sys.exit(main())
