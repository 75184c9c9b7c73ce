"""A real OpenID Connect provider for tests: a small Django project on django-oauth-toolkit.

It runs in its own process (see launcher.py) with its own settings and SQLite database, so
the portal talks to it over real HTTP exactly as it would to VNeID. Importing this package
loads nothing from Django.
"""
