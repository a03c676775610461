import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { expect } from 'chai';
import { AppModule } from './app.module';
import type { HubConfig } from './core/hub-config';

/** The compiled sources sit beside this spec in dist/; the checks read the TypeScript ones. */
const SRC = path.join(__dirname, '..', 'src');
const NOT_FEATURES = new Set(['e2e', 'testing']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return entry.name.endsWith('.ts') ? [file] : [];
  });
}

describe('the hub in feature modules', () => {
  it('should give every folder of src, but e2e and testing, one Nest module of its own', () => {
    const folders = readdirSync(SRC, { withFileTypes: true }).filter((entry) => entry.isDirectory() && !NOT_FEATURES.has(entry.name));

    expect(folders.length).to.be.greaterThan(5);
    for (const folder of folders) {
      const modules = readdirSync(path.join(SRC, folder.name)).filter((name) => name.endsWith('.module.ts'));
      expect(modules, folder.name).to.deep.equal([`${folder.name}.module.ts`]);
    }
  });

  it('should let AppModule only import the features, declaring nothing of its own', () => {
    const root = AppModule.forRoot({} as HubConfig);

    expect(root.providers ?? []).to.deep.equal([]);
    expect(root.controllers ?? []).to.deep.equal([]);
    expect(root.exports ?? []).to.deep.equal([]);
    expect(root.imports).to.have.length.greaterThan(5);
  });

  it('should import nothing of the agent app: single-host mode runs its package bin', () => {
    const offenders = sourceFiles(SRC).filter((file) =>
      /from '[^']*(@hostwatch\/agent|apps\/agent)|require\([^)]*(@hostwatch\/agent|apps\/agent)/.test(readFileSync(file, 'utf8')),
    );

    expect(offenders.map((file) => path.relative(SRC, file))).to.deep.equal([]);
  });
});
