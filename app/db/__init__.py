"""The database of ConvStep's classes: SQLAlchemy 2 models (:mod:`.models`), the engine and sessions
(:mod:`.engine`), and Alembic migrations (``migrations/``), applied at start-up."""
