"""Data quality: Great Expectations suites runner and its DuckDB workaround."""
