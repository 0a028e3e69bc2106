"""`ecomctl bench`: load through the real gateway, and where the time goes.

customers.py   register the run's own customers, each with a client address of its own
load.py        drive orders from them, in one asynchronous process
settle.py      wait until every accepted order is final; read histories and the ledger
report.py      the figures: throughput, latencies, errors, duplicates, CPU per order
run.py         one run, start to end
"""
