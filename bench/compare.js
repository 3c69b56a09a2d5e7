// Micro-benchmark helpers: time several candidates interleaved (A B C A B C …) so that a noisy
// neighbour slows them all alike, and report medians. Time is the process's CPU time
// (user + system, all its threads, so GC work counts): unlike wall time, it does not grow
// while the process waits for a core another process holds.

function cpuMicros() {
  const { user, system } = process.cpuUsage()
  return user + system
}

/** CPU nanoseconds per call of `fn`, over `rounds` calls. */
export function measure(fn, rounds) {
  const start = cpuMicros()
  for (let i = 0; i < rounds; i++) fn(i)
  return ((cpuMicros() - start) * 1000) / rounds
}

/** How many calls of `fn` take about `targetMs`: every sample then lasts long enough to time. */
function calibrate(fn, targetMs) {
  let rounds = 100
  for (;;) {
    const ns = measure(fn, rounds) * rounds
    if (ns >= targetMs * 1e6 || rounds >= 1e8)
      return Math.max(100, Math.round((rounds * targetMs * 1e6) / ns))
    rounds *= 4
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/**
 * Median ns per call of each candidate `[name, fn]`, interleaved A B C A B C … to share the
 * noise. `fn` receives the call index, so a candidate can cycle through prepared inputs.
 * Each sample lasts about `sampleMs`; `repeats` samples are taken per candidate.
 */
export function compare(candidates, { repeats = 15, sampleMs = 20 } = {}) {
  const rounds = candidates.map(([, fn]) => {
    measure(fn, 1000) // warm up, so the calibration times optimized code
    return calibrate(fn, sampleMs)
  })
  const samples = candidates.map(() => [])
  for (let r = 0; r < repeats; r++) {
    candidates.forEach(([, fn], index) => samples[index].push(measure(fn, rounds[index])))
  }
  return candidates.map(([name], index) => ({ name, ns: median(samples[index]) }))
}

export { median }

const turn = () => new Promise((resolve) => setImmediate(resolve))

/** Like `measure`, but lets the event loop turn every 32 calls (nextTicks, immediates run). */
export async function measureAsync(fn, rounds) {
  const start = cpuMicros()
  for (let i = 0; i < rounds; i++) {
    fn(i)
    if ((i & 31) === 31) await turn()
  }
  await turn()
  return ((cpuMicros() - start) * 1000) / rounds
}

/**
 * `compare` for code that schedules work on the event loop (a response's nextTicks): the
 * loop turns every 32 calls, and that deferred work is timed with the call that caused it.
 */
export async function compareAsync(candidates, { repeats = 15, rounds = 20_000 } = {}) {
  for (const [, fn] of candidates) await measureAsync(fn, 2000) // warm up
  const samples = candidates.map(() => [])
  for (let r = 0; r < repeats; r++) {
    for (const [index, [, fn]] of candidates.entries()) {
      samples[index].push(await measureAsync(fn, rounds))
    }
  }
  return candidates.map(([name], index) => ({ name, ns: median(samples[index]) }))
}
