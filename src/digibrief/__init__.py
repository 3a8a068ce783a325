"""digibrief: curated, sourced data in; a printable PDF brief and a matching slide deck out."""

__version__ = "0.1.0"
