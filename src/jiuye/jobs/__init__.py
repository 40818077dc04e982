"""Job postings: parsing, occupation coding and job-development directions (issue 5)."""
