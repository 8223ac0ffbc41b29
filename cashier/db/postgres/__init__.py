"""The collection point's shared PostgreSQL server (issue 13): connection, schema migrations,
roles, and the stores implementing the storage ports on it."""
