"""The performance bench (issue 16): seed a network at any scale, serve it under gunicorn with
production settings, and time every key page against a floor view. See bench/README.md."""
