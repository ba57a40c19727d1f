"""Use cases shared by the GUI and the CLI. Each is one function over store + core + formats."""
