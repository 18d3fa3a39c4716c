"""The risk register: standard, categories, risks, assessments, heat map, ranking, warnings, indicators."""
