"""The newest Alembic revision, as a constant: the CLI checks a SQLite file's schema against
it without importing Alembic (a test keeps it equal to the migrations' real head)."""

HEAD_REVISION = "0006"
