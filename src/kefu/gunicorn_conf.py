"""The gunicorn settings kefu recommends: `gunicorn -c python:kefu.gunicorn_conf kefu.wsgi:application`.

The application (Django and the search segmenter's dictionary, the largest thing a worker holds) is loaded once
in the master before the workers fork, so every worker shares those pages instead of loading its own copy.
Command-line options (--workers, --bind …) still override these.
"""

preload_app = True
timeout = 120
# Access log lines without query strings or referrers (%(U)s is the path alone): a query string may hold a name
# or a phone an integration searched for, and the log keeps it for months (PIPL). Method, path, status, size,
# duration in seconds.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(L)s'


def when_ready(server) -> None:
    """In the master, after the app is loaded and before any worker forks: load jieba's dictionary once."""
    from kefu.search.text import words

    words("燃气")  # the search app loads its segmenter on first use (kefu.search.text)


def post_fork(server, worker) -> None:
    """A worker must not share the master's database connections (none should be open; this makes sure)."""
    from django.db import connections

    connections.close_all()
