"""Exports of the published file for people who do not query it (issue 16, point 8).

For every published relation, in ``published/exports/<run_id>/`` (``exports/current`` points at the latest):

* ``<name>.csv`` + ``<name>.meta.csv`` - UTF-8 CSV following Explore Education Statistics' data-file
  conventions (``ees.py``; checked by ``ees_check.py`` before the publish, which refuses a failing export);
* ``<name>.parquet`` - with the table's and every column's description in the file's key-value metadata
  (``parquet.py``, from the dbt docs);
* ``workbooks/<borough>.xlsx`` - one workbook per borough: cover sheet, notes, the full symbols key and the
  borough's figures (``workbooks.py``, ``symbols.py``);
* ``data-dictionary.md`` / ``data-dictionary.csv`` - every relation and column with its description
  (``dictionary.py``).

``write_export_files`` is called by :func:`fhub.publish.write_exports` on the assembled (suppressed) file.
"""

__all__ = ["write_export_files"]


def __getattr__(name: str):
    if name == "write_export_files":  # imported lazily: `python -m fhub.exports.ees_check` stays clean
        from fhub.exports.write import write_export_files

        return write_export_files
    raise AttributeError(name)
