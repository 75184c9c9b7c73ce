"""Writes of the core app, one module per concept (units, users, calendar, numbering, audit)."""
