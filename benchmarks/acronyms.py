"""Common acronyms no paper of a corpus uses, and what the engine reads them as: `python -m benchmarks.acronyms`.

An acronym the papers never use is spelt out from phrases of theirs with the same initials
(bot/core/acronyms.py). Those the papers or the glossary know are skipped. None of the others is
the subject of any paper in these corpora, so every one spelt out here is read into words that
merely share its initials ("PCA": "proposed credit assignment"), and its question is answered with
a paper it is not about. The list is everyday machine learning, signal and computing shorthand,
chosen without looking at the corpora; the engine was not tuned on it.
"""

from __future__ import annotations

from bot.benchmark import CORPORA
from bot.config import load_settings
from bot.core.corpus import load_corpus
from bot.core.engine import Engine
from bot.core.glossary import load_glossary

ACRONYMS = (
    "GPU CNN LLM SGD MLP GAN PCA EEG MRI DNA NLP API VR AR UI CPU IoT SVM KNN BCI ASR TTS"
).split()


def main() -> None:
    settings = load_settings(None)
    glossary = load_glossary(settings.glossary)
    unknown = spelt = 0
    for name, path in CORPORA.items():
        index = Engine(load_corpus([path]), settings, glossary).index
        for acronym in ACRONYMS:
            word = acronym.lower()
            if index._known(word) or index.glossary.knows(word):
                continue  # the papers or the glossary know it
            unknown += 1
            question = f"papers using {acronym}"
            query = index._read(question)
            read = question
            if query.acronyms:
                read = index._spell_out(question, query.acronyms, index._search(query, None))
            if read != question:
                spelt += 1
                print(f"{name}: {acronym} -> {read.removeprefix('papers using ')}")
    print(f"{spelt} of {unknown} acronyms that no paper uses were spelt out into the papers' words")


if __name__ == "__main__":
    main()
