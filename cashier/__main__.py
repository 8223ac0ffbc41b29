from cashier.cli import main

raise SystemExit(main())
