"""Actions (措施与整改任务): owned, dated, verified work answering a warning, a risk, an incident or a meeting."""
