"""Hang: how long the running cell's main thread has stood still, how, where, and its DataLoader workers."""
