"""The slide deck (python-pptx): a pure slide plan, measured text, drawing and reproducible packaging."""
