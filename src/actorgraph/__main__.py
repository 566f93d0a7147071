"""``python -m actorgraph``: the command line."""

from .cli import main

main()
