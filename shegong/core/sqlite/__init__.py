"""Django's SQLite backend, with write transactions queued on a file lock (see ``base``)."""
