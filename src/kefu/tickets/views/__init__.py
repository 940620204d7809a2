"""The agent workspace screens for tickets (issue 4): queues, the ticket page, actions, board, field work."""
