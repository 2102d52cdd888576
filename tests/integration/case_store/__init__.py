"""The case store: one contract over every adapter."""
