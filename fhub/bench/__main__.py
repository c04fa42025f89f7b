from fhub.bench.cli import main

raise SystemExit(main())
