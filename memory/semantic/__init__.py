"""Long-term semantic memory: a relational row per memory (listable, auditable) and a
chromadb collection per person (dense search), searched together with keywords."""
