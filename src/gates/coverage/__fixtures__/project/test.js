const assert = require('node:assert');
const { charge } = require('./src/payments/charge.js');
const { format } = require('./src/util/format.js');
assert.equal(charge(1000), 1059);
assert.equal(format(1059), '10.59');
