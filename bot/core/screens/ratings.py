"""Checking and rating recruitment agencies (the ratings work adds its routes here)."""

from __future__ import annotations

from bot.core.context import Route

ROUTES: dict[str, Route] = {}
