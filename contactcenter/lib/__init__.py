"""Shared helpers with no knowledge of any app: opening hours, rate limits, spreadsheets,
translated names, display settings, the release id, the read-only admin base."""
