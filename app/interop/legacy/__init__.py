"""Older HSDS in: version detection of a datapackage (1.1 / 2.0 / 3.x) and conversion of 1.1 and
2.0 tables into the HSDS 3.x shapes the importer (app.interop.csv_import) already reads.

detect.py finds the version, files.py reads the CSV files (BOM, Windows-1252 bytes reported by
row), core.py / places.py / schedules.py / taxonomy.py convert one concern each, report.py counts
what was read, converted and dropped per file, convert.py puts it together.
"""
