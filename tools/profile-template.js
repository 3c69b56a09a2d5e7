// Where a function template's time goes: one formatter (the built-in page, or bench/template.js's
// function template) shapes the same error, or a new message each call, with Accept: text/html,
// under `node --cpu-prof`; then the functions with the most self time, per call.
//
//   node tools/profile-template.js [template|built-in] [same|distinct] [calls=300000]
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { profileTable, summarizeProfile } from './profile-summary.js'

const [page = 'template', errors = 'same', calls = '300000'] = process.argv.slice(2)

if (process.env.PROFILE_TEMPLATE_CHILD === '1') {
  // The profiled process: shape `calls` errors, nothing else.
  const { createFormatter, NotFound } = await import('errorshape')
  const { appTemplate } = await import('../bench/template.js')
  const format = createFormatter(page === 'template' ? { templates: { error: appTemplate } } : {})
  const request = { method: 'GET', url: '/users/42', headers: { accept: 'text/html' } }
  const distinct = Array.from({ length: 4096 }, (_, i) => new NotFound(`No user ${i}`))
  const same = new NotFound('No user 42')
  for (let i = 0; i < Number(calls); i++)
    format(errors === 'same' ? same : distinct[i & 4095], request)
} else {
  const dir = mkdtempSync(join(tmpdir(), 'errorshape-template-profile-'))
  try {
    const child = spawnSync(
      process.execPath,
      ['--cpu-prof', '--cpu-prof-dir', dir, fileURLToPath(import.meta.url), page, errors, calls],
      { env: { ...process.env, PROFILE_TEMPLATE_CHILD: '1' }, stdio: 'inherit' },
    )
    if (child.status !== 0) process.exit(child.status ?? 1)
    const [file] = readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'))
    const rows = summarizeProfile(JSON.parse(readFileSync(join(dir, file), 'utf8')), 20)
    console.log(`${page}, ${errors} error(s), ${calls} calls\n`)
    console.log(
      `${profileTable(rows, Number(calls))}\n\n${profileTable(rows.byPackage, Number(calls))}`,
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
