"""The case store adapters: in-memory, SQLite and MongoDB, behind ``casework.port.CaseStore``.

Only the composition root (``bot/services.py``) names one; each lives in its
own module, so importing this package never loads a database driver.
"""
