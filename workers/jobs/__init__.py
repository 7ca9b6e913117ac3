"""Celery job internals: one account copy, its progress, heartbeat, locks and slots, the sync-state
store, and the short IMAP jobs (connection test, dry-run plan)."""
