"""The user's stack, shared by every feature: the frame a request names (stopped or running),
the names each frame and the notebook see, and the frames of the last exception."""
