from s4amz.cli import main

raise SystemExit(main())
