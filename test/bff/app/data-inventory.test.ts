import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Schema } from 'mongoose';
import { startStack, type Stack } from '../../helpers/stack';
import { readInventory, type InventorySection } from '../../helpers/data-inventory';

const CLASSES = ['sensitive', 'personal', 'reference', 'important', 'none'];

/** Every path of a schema, sub-documents and arrays of them included (`links.type`), with their parents. */
function pathsOf(schema: Schema, prefix = ''): string[] {
  const out: string[] = [];
  schema.eachPath((path, type) => {
    const full = prefix + path;
    out.push(full);
    const sub = (type as unknown as { schema?: Schema }).schema;
    if (sub) out.push(...pathsOf(sub, `${full}.`));
  });
  return out;
}

/** Every `.ts` file under a directory. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Collections the BFF opens with the driver, by the literal names in its sources. */
function driverCollections(): Set<string> {
  const names = new Set<string>();
  for (const file of sources(join(__dirname, '..', '..', '..', 'bff', 'src'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\.collection(?:<[^>]*>)?\(\s*'([a-z_]+)'\s*\)/g))
      names.add(m[1]!);
  }
  return names;
}

describe('data inventory: docs/data-inventory.md lists every collection and field the BFF stores', () => {
  let stack: Stack;
  let inventory: Map<string, InventorySection>;
  let models: { name: string; collection: string; paths: string[] }[];
  beforeAll(async () => {
    stack = await startStack();
    inventory = readInventory();
    // createServices (startStack) has registered every model on the connection, as in production.
    const db = stack.deps.db;
    models = db.modelNames().map((name) => {
      const model = db.model(name);
      return {
        name,
        collection: model.collection.collectionName,
        paths: pathsOf(model.schema as unknown as Schema),
      };
    });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('when the services are built, then they register the models the inventory is checked against', () => {
    expect(models.length).toBeGreaterThanOrEqual(30);
    expect(models.map((m) => m.collection)).toEqual(expect.arrayContaining(['enrollments', 'usage_events']));
  });

  it('when a model has a collection or a field, then the inventory lists it', () => {
    const missing: string[] = [];
    for (const m of models) {
      const section = inventory.get(m.collection);
      if (!section) {
        missing.push(`${m.collection} (model ${m.name})`);
        continue;
      }
      for (const p of m.paths) if (!section.fields.has(p)) missing.push(`${m.collection}.${p}`);
    }
    expect(missing).toEqual([]);
  });

  it('when the inventory lists a field of a model-backed collection, then the model still has it', () => {
    const gone: string[] = [];
    const byCollection = new Map(models.map((m) => [m.collection, m.paths]));
    for (const [collection, section] of inventory) {
      const paths = byCollection.get(collection);
      if (!paths) continue;
      for (const f of section.fields.keys()) {
        // A parent row (`limits`, `actor`) stands for its nested paths.
        if (!paths.some((p) => p === f || p.startsWith(`${f}.`))) gone.push(`${collection}.${f}`);
      }
    }
    expect(gone).toEqual([]);
  });

  it('when a collection has no model, then it is one the BFF opens with the driver, and every such one is listed', () => {
    const driver = driverCollections();
    const modelled = new Set(models.map((m) => m.collection));
    expect(driver.size).toBeGreaterThanOrEqual(15);
    const listed = [...inventory.keys()];
    // node-oidc-provider's collections are named per model at run time (oidc/adapter.ts collectionOf).
    const unknown = listed.filter((c) => !modelled.has(c) && !driver.has(c) && c !== 'oidc_*');
    expect(unknown).toEqual([]);
    expect([...driver].filter((c) => !inventory.has(c))).toEqual([]);
  });

  it('when a row is read, then it has a description, a known class, at rest, readers and a period', () => {
    const bad: string[] = [];
    for (const [collection, section] of inventory) {
      expect(section.fields.size).toBeGreaterThan(0);
      for (const [field, cells] of section.fields) {
        const [what, cls, atRest, readers, kept] = cells;
        const ok =
          cells.length === 5 &&
          !!what &&
          CLASSES.some((c) => cls!.startsWith(c)) &&
          !!atRest &&
          !!readers &&
          !!kept;
        if (!ok) bad.push(`${collection}.${field}`);
      }
    }
    expect(bad).toEqual([]);
  });
});
