from fhub.cli import main

raise SystemExit(main())
