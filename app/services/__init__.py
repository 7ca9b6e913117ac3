"""Use cases. They take a Session, never commit, and raise AppError subclasses."""
