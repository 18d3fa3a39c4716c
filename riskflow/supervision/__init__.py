"""Efficiency supervision: projects, recommendations, rectification and escalation."""
