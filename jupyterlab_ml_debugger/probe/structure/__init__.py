"""Type Structure (src/structure): the shape of a value's type, a model's module tree, and the
shapes its modules see."""
