# Evaluated per call by Spring's StandardScriptEvaluator with the order as an argument binding.
# The last expression is the result.
weight = sum(item['weight'] for item in order['items'])
5.0 if weight <= 2 else 5.0 + (weight - 2) * 1.5
