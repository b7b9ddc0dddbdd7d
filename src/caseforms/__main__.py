from caseforms.cli import main

raise SystemExit(main())
