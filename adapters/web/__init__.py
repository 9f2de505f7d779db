"""The personal page: one more surface over the core, next to the chat channels.

Server-rendered HTML (aiohttp + autoescaped Jinja templates, no script at all),
signed in through a one-time link from /web (bot/web_access.py), and every action
sent through the same feature services as the chat commands (bot/personal_page.py)."""
