"""Thin HTTP views of the library, one module per area."""
