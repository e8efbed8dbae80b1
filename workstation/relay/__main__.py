"""``python -m workstation.relay --app-id … --alipay-public-key FILE --tokens FILE``."""

from workstation.relay.cli import main

raise SystemExit(main())
