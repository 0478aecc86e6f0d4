"""The optional AI tutor (google-genai): tailored hints, explanations, reviews, questions and
verified new problems. Nothing here imports Discord; with no Gemini key it all still answers,
with curated content.

Import from the modules themselves (``service``, ``fresh``, ``build``): the package itself
stays empty because the settings import its ``config``.
"""
