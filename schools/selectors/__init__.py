"""Reads for the Virtual School workspace, one module per subject: records, advice and
reports. Each function takes the Virtual School (or the carer) and returns only their rows,
with what the page shows already joined."""
