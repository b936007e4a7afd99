"""The demo data set of the 6th General Assembly (2023): data files and their loader."""
