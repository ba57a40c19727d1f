"""CLI commands by area. Each module has register(subparsers); cli.py calls it."""
