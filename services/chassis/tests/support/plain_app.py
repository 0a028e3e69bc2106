"""A WSGI application with no framework, for testing what gunicorn answers before any
application code runs."""


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "application/json")])
    return [b'{"ok": true}']
