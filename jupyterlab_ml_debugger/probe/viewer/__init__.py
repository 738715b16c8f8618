"""The tensor viewer (src/viewer): a 2-D slice, a histogram, and a DataFrame's table."""
