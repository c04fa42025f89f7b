"""Developer tools, kept apart from the runtime package ``fhub``: the synthetic demo data generator
(:mod:`fhub_dev.demo`) and the benchmark (:mod:`fhub_dev.bench`). See README.md."""
