"""Workflows as data: definitions in workflows/*.yaml, checked at start-up, fired by one engine."""
