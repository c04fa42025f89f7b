"""Serving: DuckDB computes, PostgreSQL serves.

* :mod:`fhub.serving.cluster` - a local cluster under ``$FHUB_DATA_DIR/postgres`` (``fhub postgres up/down``);
* :mod:`fhub.serving.config` - ``config/serving.yml``: schemas, loader and reader roles;
* :mod:`fhub.serving.roles` - reader roles, grants and row-level security;
* :mod:`fhub.serving.source` / :mod:`fhub.serving.restricted` - what a load reads from DuckDB;
* :mod:`fhub.serving.load` - the atomic load (new schemas, COPY, comments, grants, swap in one transaction);
* :mod:`fhub.serving.serve` - where to load, the nightly step and its data-quality record.
"""
