"""Cross-cutting tests: security (access matrix, mass assignment) and hostile input."""
