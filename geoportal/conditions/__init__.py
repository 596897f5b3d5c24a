"""Asset condition registers (street-light poles and their lamp state, street segments and
their surface condition), utility outages and the budget map: what residents' reports and
inspectors change, published as public layers found by role."""
