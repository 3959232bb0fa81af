"""A TextBlob with the project's own components plugged in, so nothing needs NLTK data.

    blob = make_blob("Ik kreeg geen uitleg. De gezinsvoogd belde nooit terug.")
    blob.sentences, blob.words, blob.noun_phrases, blob.sentiment

Part-of-speech tags (`blob.tags`) are not available: TextBlob's taggers need NLTK data and
textblob-nl's tagger does not run on Python 3; nothing in the project uses them.
"""

from __future__ import annotations

from textblob import Blobber, TextBlob
from textblob.base import BaseNPExtractor
from textblob.blob import Sentence, WordList

from .language import DUTCH_WORDS, ENGLISH_WORDS, detect_language, word_set
from .sentiment import DutchAnalyzer, EnglishAnalyzer
from .tokenize import SentenceTokenizer, WordTokenizer, is_word, split_words

# Words that open a noun phrase in Dutch and English.
DETERMINERS = word_set(
    """
    de het een deze die dit dat mijn m'n jouw zijn z'n haar onze ons jullie hun elke iedere geen
    the a an this that these those my your his her our their every no
    """
)
_NOT_IN_PHRASE = DUTCH_WORDS | ENGLISH_WORDS | DETERMINERS
MAX_PHRASE_WORDS = 3


class NounPhraseExtractor(BaseNPExtractor):
    """Noun phrases without a tagger: the content words after a determiner ("een vaste
    contactpersoon" → "vaste contactpersoon"), up to three, stopping at a function word."""

    def extract(self, text: str) -> list[str]:
        phrases: list[str] = []
        for sentence in SentenceTokenizer().tokenize(text):
            words = [word for word in split_words(sentence) if is_word(word)]
            for index, word in enumerate(words):
                if word.lower() not in DETERMINERS:
                    continue
                phrase = []
                for following in words[index + 1 : index + 1 + MAX_PHRASE_WORDS]:
                    if following.lower() in _NOT_IN_PHRASE or following.startswith("["):
                        break
                    phrase.append(following.lower())
                if phrase:
                    phrases.append(" ".join(phrase))
        return phrases


class BlobSentence(Sentence):
    @property
    def words(self) -> WordList:  # type: ignore[override]
        return WordList(self.tokenizer.tokenize(self.raw, include_punc=False))


class Blob(TextBlob):
    """TextBlob whose sentences and words come from our tokenizers (TextBlob's own call
    NLTK's Punkt model)."""

    @property
    def words(self) -> WordList:  # type: ignore[override]
        return WordList(self.tokenizer.tokenize(self.raw, include_punc=False))

    def _create_sentence_objects(self) -> list[BlobSentence]:
        sentences = []
        position = 0
        for raw in SentenceTokenizer().tokenize(self.raw):
            start = self.raw.index(raw, position)
            position = start + len(raw)
            sentences.append(
                BlobSentence(
                    raw,
                    start_index=start,
                    end_index=position,
                    tokenizer=self.tokenizer,
                    np_extractor=self.np_extractor,
                    pos_tagger=self.pos_tagger,
                    analyzer=self.analyzer,
                    parser=self.parser,
                    classifier=self.classifier,
                )
            )
        return sentences


def make_blob(text: str, lang: str | None = None) -> Blob:
    """A Blob with the tokenizer, noun-phrase extractor and sentiment analyzer of `lang`
    (detected from the text when not given)."""
    language = lang or detect_language(split_words(text))
    analyzer = EnglishAnalyzer() if language == "en" else DutchAnalyzer()
    return Blob(
        text, tokenizer=WordTokenizer(), np_extractor=NounPhraseExtractor(), analyzer=analyzer
    )


def blobber(lang: str = "nl") -> Blobber:
    """A TextBlob factory with the same components, for many texts in one language."""
    analyzer = EnglishAnalyzer() if lang == "en" else DutchAnalyzer()
    return Blobber(tokenizer=WordTokenizer(), np_extractor=NounPhraseExtractor(), analyzer=analyzer)
