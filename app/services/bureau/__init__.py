"""The finance bureau's end: batch intake, versions, review and 审核意见, comparison, 汇总."""
