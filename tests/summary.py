"""A line for pytest's terminal summary (the figures a test measures: matrix size, cases)."""


class SummaryLine:
    def __init__(self, text: str) -> None:
        self.text = text

    def pytest_terminal_summary(self, terminalreporter) -> None:  # type: ignore[no-untyped-def]
        terminalreporter.write_line(self.text)
