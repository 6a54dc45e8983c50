"""Drafting a source file from an article's text: rule-based extraction of its figures over the reference data.

One module per job: `markup` (HTML and Markdown to text), `document` (text, title, outlet, author, date, URL),
`text` (paragraphs, sentences, clauses), `numbers` (numbers, magnitudes, currencies, units), `qualifiers`,
`periods`, `names` (entities, markets and metrics through the reference data and its aliases), `citations`,
`rows` (one row per stated figure), `draft_file` (the source file and the reference rows to add) and
`review_page` (the article with each figure linked to its row).
"""
