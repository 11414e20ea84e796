"""fazhi's own error: one line naming the file and the problem."""

USAGE = 2  # exit code for bad input or usage
PARTIAL = 1  # exit code when some inputs failed and others succeeded


class FazhiError(Exception):
    """Bad input: the CLI prints ``fazhi: error: PATH: MESSAGE`` and exits 2."""

    def __init__(self, message: str, path: str | None = None):
        super().__init__(message)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message
