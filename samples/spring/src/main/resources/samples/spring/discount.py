# A pricing rule maintained outside the Java code. Spring turns the top-level function `discount`
# into the DiscountPolicy bean (StandardScriptFactory -> Invocable.getInterface); it runs sandboxed.
TIERS = {'gold': 0.15, 'silver': 0.05}


def discount(total, tier):
    rate = TIERS.get(tier, 0.0)
    if total > 1000:
        rate += 0.05
    return round(total * rate, 2)
