# Run once in every pooled interpreter before a sandbox takes it, through the same check-and-run path as
# guest code, so that the first script of a new sandbox does not pay for the first use of the checker,
# the guards and the value export in its context. Ordinary guest code: it is checked like any script.
class Account(object):
    def __init__(self, owner, balance=0):
        self.owner = owner
        self.balance = balance

    def deposit(self, amount):
        if amount <= 0:
            raise ValueError('amount must be positive')
        self.balance += amount
        return self.balance


def total(accounts):
    return sum(a.balance for a in accounts)


accounts = [Account('a%d' % i, i) for i in range(3)]
try:
    accounts[0].deposit(-1)
except ValueError as error:
    message = str(error)
accounts[1].deposit(5)
summary = {'total': total(accounts), 'owners': sorted(a.owner for a in accounts), 'message': message}
# str.format runs as the interpreter's own unless a field reads an attribute or an item; those go
# through the checked formatter, whose first use in a context is here, not in a script
label = '{}: {:>4}'.format('total', summary['total']) + '{0.real}'.format(summary['total'])
f'{summary["total"]:>4}' if amount > limit and country in allowed else None
