from kkr_desktop.cli import main

raise SystemExit(main())
