"""The spending plan (资金支出计划) and execution monitoring (执行监控), and their workbook."""
