/**
 * The soak (bench/soak.js) with a small count: it runs the built package (dist/), so it
 * needs `npm run build` first, as `npm test` does.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'

const root = fileURLToPath(new URL('../../', import.meta.url))
const built = existsSync(`${root}dist/express.js`) && existsSync(`${root}dist/koa.js`)

function runSoak(requests: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bench/soak.js', String(requests)], {
      cwd: root,
      env: { ...process.env, SOAK_SECONDS: '120' },
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => {
      resolve({ code, output })
    })
  })
}

describe.skipIf(!built)('the soak (needs dist/: run npm run build)', () => {
  test('2000 mixed requests over Express and Koa: no failure, no leaked socket', async () => {
    const { code, output } = await runSoak(2000)
    expect(output).toMatch(/^soak: 2000 requests/m)
    expect(output).toMatch(/^ {2}failures {4}0$/m)
    expect(output).toMatch(/after the agents closed 0$/m)
    expect(output).toMatch(/^soak: ok$/m)
    expect(code).toBe(0)
  }, 150_000)
})
