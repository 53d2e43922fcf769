"""Output: the only code that writes files (the docs writer, atomic replacement, the output folder
checks, the site swap)."""
