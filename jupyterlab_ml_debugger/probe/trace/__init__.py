"""Code Trace (src/trace): the rows and hit counts that breakpoint actions record, fetched since a sequence number."""
