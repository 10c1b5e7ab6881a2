"""Storage: SQLAlchemy models, engine and session setup, migrations, and the services over them.

Free of Qt. Services take a Session; they neither open nor commit it.
"""
