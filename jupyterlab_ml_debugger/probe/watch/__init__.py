"""Watch (src/watch): the user's watch expressions evaluated in a scope, each a Row, with its shape contract checked."""
