"""Evaluation surveys sent to those who attended, their results, and the completion report."""
