"""ConvStep web app: the FastAPI backend (REST API, pages, docs) around the NumPy engine."""
