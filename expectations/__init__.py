"""Great Expectations suites as code (see README.md): each module defines ``SUITES``, a list of
:class:`fhub.quality.spec.SuiteSpec`; :func:`fhub.quality.gx_runner.load_suites` imports them."""
