"""Scenarios written as YAML files (the top-level scenarios/ folder, or any path):

vocabulary   every action and probe, and the fields each takes
loader       a file read and checked: what is wrong, on which line, and the allowed words
interpreter  a checked file played on a ScenarioRun, rollbacks registered before any step
verdict      the invariants checked over what the run recorded, whatever its probes said
"""
