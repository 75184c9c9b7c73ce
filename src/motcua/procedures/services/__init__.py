"""Writes of the procedure catalogue: workflow rules and catalogue exchange (JSON, XLSX)."""
