"""The corpus: many reports kept in one SQLite database, with what they say across years.

``schema`` opens the database, ``meta`` finds each report's issuer, level, province,
year and kind, ``store`` writes a report in one transaction, ``add`` reads, classifies
and stores reports (``corpus_add``, ``corpus_update``), ``summary`` counts them by a
field, ``problems`` groups the problems different reports admit, ``promises`` links
each plan to the next year's outcomes, ``page`` draws it all on one HTML page.
"""
