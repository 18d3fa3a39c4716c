"""The scheduled jobs and the APScheduler set-up."""
