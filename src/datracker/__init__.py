"""datracker: a delivery-plan and RAG tracker that keeps the plan as YAML in git."""

__version__ = "0.1.0"
