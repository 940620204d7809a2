"""The utility pack's pages: the reader's phone page, accounts, read rates, abnormal meters, arrears, the desk."""
