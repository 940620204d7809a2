"""The chat's pages: the public widget (widget), the live streams (streams), the agent's desk and the lead's view."""
