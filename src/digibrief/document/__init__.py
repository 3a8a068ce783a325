"""What the brief says: the neutral document both writers render, and how it is composed from a Project.

Importing this package gives the document types only; `compose` (which reads the Project) is imported
by name, so writers and charts never pull in the project layer.
"""
