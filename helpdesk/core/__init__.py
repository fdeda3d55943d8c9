"""The domain: models and the services every entry point (web, ingest, CLI, workers) calls."""
