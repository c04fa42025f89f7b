"""Prefect flows: thin orchestration over the ``fhub`` package. One flow per file."""
