"""The printed documents (reportlab). No Qt."""
