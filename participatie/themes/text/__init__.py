"""The text pipeline, fully offline: tokenizer, scrubber, language detection, lemmas, sentiment.

Built on TextBlob's plug-in points (tokenizer, sentiment analyzer, noun-phrase extractor) with
components of our own, so nothing needs NLTK data or a download at run time.
"""
