"""The graph over HTTP: SPARQL 1.1 Protocol endpoint, dumps, VoID and Linked Data pages.

``create_app(store_path, config)`` (``scokg.server.app``) builds the Flask app;
``scokg serve`` (``scokg.server.command``) runs it under Granian (``scokg.server.run``).
Limits are documented in ``scokg.server.settings``.
"""
