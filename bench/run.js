// `npm run bench`: benchmarks arrive with the formatter; this checks the build loads.
import { createError } from 'errorshape'

const rounds = 200_000
const start = process.hrtime.bigint()
for (let i = 0; i < rounds; i++) createError(404, 'No user 42')
const ns = Number(process.hrtime.bigint() - start) / rounds
console.log(`createError(404): ${ns.toFixed(0)} ns per error (node ${process.version})`)
