"""What a night releases, as data: the inputs a published vintage was built from (the run manifest), the
candidate compared with the last published file before the swap (``dq_revisions`` the same night), and the
published history by performance cycle (``published_history``).

Modules: ``inputs`` (every input file: sha256, size, borough, extract, period, by delivery label),
``revisions`` (the candidate snapshot before publishing), ``cycles`` (the performance-cycle calendar) and
``history`` (the ``published_history`` relation the publish step writes itself).
"""
