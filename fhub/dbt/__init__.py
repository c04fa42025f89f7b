"""Everything about the dbt project seen from Python: running dbt in-process (:mod:`fhub.dbt.runner`), which
incremental models to rebuild (:mod:`fhub.dbt.rebuild`), the docs page (:mod:`fhub.dbt.docs`) and the publish
contract read from the manifest (:mod:`fhub.dbt.contract`)."""
