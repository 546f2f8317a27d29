"""The Virtual School's forms, one module per subject: records (pupils, termly reviews,
liaison, schools), imports (the CSV upload) and advice; fields.py holds the fields they share.

Forms check only the shape of what was typed. The rules live in schools.services, and views
put the services' SchoolError beside the right field.
"""
