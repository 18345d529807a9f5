"""The database: engine, sessions, PRAGMAs, migrations, backups, and whole-document reads."""
