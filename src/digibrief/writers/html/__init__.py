"""The web edition: the brief as one self-contained, accessible HTML page (styles and charts inline)."""
