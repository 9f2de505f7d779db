"""The Discord channel: convert (discord.py -> core types), render (core text ->
Discord messages) and the adapter itself."""
