"""Threads (src/threads): every thread's stack, its CPU share, and the wait chains and deadlocks among them."""
