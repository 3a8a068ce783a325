"""The data pack writer: the document's data sheets as one .xlsx workbook (XlsxWriter)."""
