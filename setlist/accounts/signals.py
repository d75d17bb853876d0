"""Decoupled reactions to account events."""
