"""Sending the check-ins people agreed to: the delivery loop (``delivery``) and its wiring."""
