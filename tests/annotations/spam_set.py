"""A labelled set of real-looking comments from French and English groups: (text, is_spam).

Ham includes the hard cases: links to real sources, money and "crédit" in an ordinary sense,
enthusiastic punctuation, work and platform vocabulary (the reference group studies
micro-work). Spam includes the quiet kinds: one link and a lure, a shortener, a "recovery
expert", a loan offer without any link. The comments live in annotations/spam_data/, where
the text model trains on them too.
"""

from annotations import spam

SPAM_SET = spam.read_examples(spam.SPAM_DATA / "commonplace.csv")
