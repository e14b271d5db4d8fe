"""The notifier: reminders and overdue notices to focal points, the secretariat's weekly digest.

Importing the package registers the outbox tables on obligations.models.Base.metadata.
"""

from notifier import models as models  # noqa: F401  (the outbox tables join Base.metadata)
