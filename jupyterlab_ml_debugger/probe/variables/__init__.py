"""Variable Values (src/variables): the rows of a frame, a running cell or the notebook, a row's
children, and its repr."""
