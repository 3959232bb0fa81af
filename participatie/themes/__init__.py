"""Themes: offline Dutch and English text analysis, the codebook and the automatic coding of
open answers (themes, sentiment, language) that staff review later."""
