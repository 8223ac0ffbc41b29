"""Readers of debt extract files (csv, xlsx) behind the ``ExtractReader`` port; every xlsx goes
through the one guard for untrusted spreadsheets (:mod:`cashier.core.xlsx_guard`) and every csv
through the one sniffer (:mod:`cashier.core.csv_sniff`) first. Entry: :mod:`.extract_reader`."""
