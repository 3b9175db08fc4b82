"""Query count and database time per response, for the bench only (conect.settings_bench)."""

import time

from django.db import connection


class QueryCountMiddleware:
    """Outermost, so it counts the session and user lookups a browser's request pays too.
    Works with DEBUG off: it wraps the connection's execution, not the debug cursor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        spent = {"count": 0, "seconds": 0.0}

        def counted(execute, sql, params, many, context):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                spent["count"] += 1
                spent["seconds"] += time.perf_counter() - started

        with connection.execute_wrapper(counted):
            response = self.get_response(request)
        response["X-Query-Count"] = str(spent["count"])
        response["X-Query-Ms"] = f"{spent['seconds'] * 1000:.1f}"
        return response
