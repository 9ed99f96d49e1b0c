function charge(amount) {
  if (amount <= 0) {
    throw new Error('amount must be positive');
  }
  const fee = Math.round(amount * 0.029) + 30;
  return amount + fee;
}

function refund(amount) {
  return -amount;
}

module.exports = { charge, refund };
