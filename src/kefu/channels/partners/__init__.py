"""Partner and public bridges (CH5): cases in by file or API with the partner's deadlines, results out as a
workbook in the partner's format, the partner's acknowledgement recorded, overdue cases listed."""
