"""Everything about the dbt project seen from Python. Today: the publish contract (:mod:`fhub.dbt.contract`);
the runner, rebuild and docs modules move here in the package restructuring."""
