"""The Virtual School's pages (/school/) and carers' advice requests (/advice/), one module
per subject. access.py holds who may see them; every other module is thin: it checks access,
reads through schools.selectors, changes through schools.services, and puts a SchoolError
beside the field it is about.
"""
