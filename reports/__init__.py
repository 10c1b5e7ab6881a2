"""PDF, Word and Excel report builders (ReportLab, python-docx, openpyxl). Free of Qt."""
