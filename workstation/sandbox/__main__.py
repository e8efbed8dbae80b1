"""``python -m workstation.sandbox --data-dir DIR``."""

from workstation.sandbox.cli import main

raise SystemExit(main())
