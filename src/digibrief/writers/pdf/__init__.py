"""The PDF brief (reportlab): styles, fonts, escaped markup, blocks, chart images and page furniture."""
