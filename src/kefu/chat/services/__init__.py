"""Every state change of a chat: the visitor's side (visitor), the FAQ assistant, routing, the agent's desk."""
