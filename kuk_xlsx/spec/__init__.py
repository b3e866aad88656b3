"""the spec: the declarative template in ``workbook_templates/`` as a typed model.

Everything downstream (build, read, checks, docs, cohort columns) takes its
steps, blocks, columns, lists and defined names from here.
"""
