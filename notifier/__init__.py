"""The notifier: reminders and overdue notices to focal points, the secretariat's weekly digest.

The outbox tables join obligations.models.Base.metadata when notifier.models is imported (by
every module that reads or writes the outbox); the package itself imports nothing, so that
the `obligations` command can list the notifier's commands without loading SQLAlchemy.
"""
