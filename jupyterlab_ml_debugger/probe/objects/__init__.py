"""Reading the user's objects without running their code, shared by every feature: attributes,
containers, arrays, tensors, tables, their one-line Row summaries and the paths to their parts."""
