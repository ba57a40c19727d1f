"""Reading and writing files. No Qt, no SQL."""
