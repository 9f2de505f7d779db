"""Every language's concepts, in the order they are read."""

from bot.safety.lexicon import concepts_en, concepts_eu, concepts_more

CONCEPTS = [concepts_en.CONCEPTS, *concepts_eu.CONCEPTS, *concepts_more.CONCEPTS]
