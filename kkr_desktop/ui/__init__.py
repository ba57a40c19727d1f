"""PySide6 only: windows, models, dialogs, printing. Calls services, never SQL."""
