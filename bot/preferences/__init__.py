"""A person's settings: /settings and the update_settings tool over one service."""
