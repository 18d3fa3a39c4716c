"""Budget indicators (预算指标预警): rules, targets, values and the warnings their misses raise."""
