"""Visa invitation letters and certificates of attendance (issue 16): models, services split by what
they hold (letters, certificates, pdf, verification, images), views in the views package."""
