"""Adapters to file formats and Excel: the only modules that import openpyxl, calamine, xlwings or docxtpl."""
