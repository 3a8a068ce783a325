"""Document -> bytes, one subpackage per output format; no writer reads the project or opens an output file."""
