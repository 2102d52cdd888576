"""The ratings domain: questionnaire, registry, pseudonyms, summaries, disclosure control.

It never imports ``bot``: the portal, the API and the chat all read through it.
"""
