"""Quality tools run by the tests and by authors.

Item rules, the naive examinee, readability, grammar, French typography, the Content-Security-Policy hashes.
"""
