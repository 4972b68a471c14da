"""Adjudication (issue 15): several annotators' layers on an article become one gold layer.

units.py turns the store's layers into comparable units (entity spans, events by trigger,
arguments by role and filler); classify.py sorts them into what the annotators agree on
(taken into gold automatically) and conflicts (listed, resolved by a person); resolve.py says
what each resolution puts into gold; edit.py is a resolution as an undoable edit.
"""
