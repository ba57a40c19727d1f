"""Pure domain: money, statements, indexation, allocation. No Qt, no SQL, no files."""
