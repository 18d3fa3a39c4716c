"""The dashboard and the health check."""
