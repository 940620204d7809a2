"""Realtime plumbing: a publish/subscribe bus (in-process, or Redis pub/sub across app servers) and SSE streams."""
