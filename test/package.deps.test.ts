import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  dependencies: Record<string, string>
  peerDependencies: Record<string, string>
}

/** Every bare module name the package's own sources import (type-only imports included). */
function importedPackages(): Set<string> {
  const names = new Set<string>()
  for (const folder of ['src', 'adapters']) {
    const files = readdirSync(new URL(`../${folder}/`, import.meta.url), { recursive: true })
    for (const file of files.map(String).filter((name) => name.endsWith('.ts'))) {
      const text = readFileSync(new URL(`../${folder}/${file}`, import.meta.url), 'utf8')
      for (const [, name] of text.matchAll(/^\s*(?:import|export)[^'"]*from '([^'.][^']*)'/gm)) {
        const parts = (name ?? '').split('/')
        names.add(name?.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? ''))
      }
    }
  }
  return names
}

describe('what every user installs', () => {
  it('is negotiator alone', () => {
    expect(Object.keys(pkg.dependencies)).toEqual(['negotiator'])
  })

  it('covers every package the sources import: the one dependency, peers, node: and itself', () => {
    const allowed = new Set(['negotiator', 'errorshape', ...Object.keys(pkg.peerDependencies)])
    const outside = [...importedPackages()].filter(
      (name) => !allowed.has(name) && !name.startsWith('node:'),
    )
    expect(outside).toEqual([])
  })
})
