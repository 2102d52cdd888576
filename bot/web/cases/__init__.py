"""Caseworkers' side of cases: the desk (portal and API share it) and the delivery loop."""
