"""The distributions: what the sdist and the wheel hold, the wheel installed afresh."""
