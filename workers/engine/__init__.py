"""The IMAP copy engine. Imports nothing from Flask, Celery, SQLAlchemy or app/.

Entry points: `copy_account`, `plan_account`, `compare_account` (workers.engine.copier),
`test_login` (workers.engine.imap); state stores in workers.engine.state / state_file.
"""
