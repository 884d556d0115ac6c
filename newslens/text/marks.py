"""The punctuation the sentence splitter knows: what ends a sentence, what closes or opens one."""

# Closing quotes and brackets that stay with the sentence they end. After terminal
# punctuation any quote closes (« and “ close in German/Danish style quotes).
CLOSERS = "\"'”“’‘»«›‹)]}」』】〕〉》）］｝"
# Characters skipped when looking for the first letter of the next sentence.
OPENERS = "\"'“”‘’„‚«»‹›([{¿¡—–-「『【〈《（＂"
# Terminal punctuation that needs whitespace after it (Latin, Cyrillic, Greek, Arabic...).
# ";" ends a sentence only in Greek; U+037E is the Greek question mark proper.
SOFT = ".!?…;\u037e؟۔։።‼⁇⁈⁉"
# Terminal punctuation that ends a sentence with or without a following space (CJK, Indic).
HARD = "。！？｡।॥"
