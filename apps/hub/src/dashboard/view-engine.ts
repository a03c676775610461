import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, parse } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import hbs from 'hbs';

// Compiled to apps/hub/dist/dashboard/; views/ and public/ sit beside src/ and dist/.
export const VIEWS_DIR = join(__dirname, '..', '..', 'views');
export const PUBLIC_DIR = join(__dirname, '..', '..', 'public');
/** uPlot's browser build, resolved through Node so it is found wherever node_modules was hoisted. */
export const UPLOT_DIST_DIR = dirname(require.resolve('uplot/dist/uPlot.iife.min.js'));
export const UPLOT_PREFIX = '/static/vendor/uplot/';
const PARTIALS = 'partials';
const EXTENSION = 'hbs';

type ExpressEngine = (path: string, options: object, callback: (err: Error | null, html?: string) => void) => void;

export interface ViewEngine {
  readonly viewsDir: string;
  /** The function Express calls to render a `.hbs` view. */
  readonly express: ExpressEngine;
  /** Renders a view, as a request would. */
  render(view: string, model: object): Promise<string>;
  /** Renders one partial alone, with the same escaping, e.g. a table row to patch into an open page. */
  renderPartial(name: string, model: object): string;
  /** Drops the kept output of `{{#reuse id key}}` blocks for this id (a host that was removed). */
  forgetFragment(id: string): void;
}

/** How many `{{#reuse}}` outputs are kept at most; beyond it the least recently drawn go first. */
export const MAX_FRAGMENTS = 50_000;

interface BlockOptions {
  fn(context: unknown): string;
}

function isBlockOptions(value: unknown): value is BlockOptions {
  return typeof value === 'object' && value !== null && typeof (value as { fn?: unknown }).fn === 'function';
}

/** The injection token of the app's one ViewEngine, shared by the pages and live updates. */
export const VIEW_ENGINE = Symbol('ViewEngine');

/**
 * A Handlebars engine of its own rather than hbs's shared instance, so that
 * two apps in one process (tests, single-host mode) never share partials.
 * Partials are read synchronously because hbs's own registerPartials walks
 * the folder asynchronously and the first request could miss them.
 */
export function createViewEngine(viewsDir: string = VIEWS_DIR, maxFragments: number = MAX_FRAGMENTS): ViewEngine {
  const instance = hbs.create();
  const partialsDir = join(viewsDir, PARTIALS);
  const partialNames = new Set<string>();
  for (const file of readdirSync(partialsDir)) {
    const { name, ext } = parse(file);
    if (ext !== `.${EXTENSION}`) continue;
    instance.registerPartial(name, readFileSync(join(partialsDir, file), 'utf8'));
    partialNames.add(name);
  }
  const partialTemplates = new Map<string, (context: object) => string>();
  // The host list draws the same rows again and again, on every visit and every live update: a row's
  // markup is drawn once per change and then reused, with what changes with the clock drawn around it.
  // What is kept is the block's own output, escaped as any template output, so reusing it is as safe
  // as {{#each}} (which also returns its blocks' output as it is).
  const fragments = new Map<string, { key: string; html: string }>();
  instance.handlebars.registerHelper('reuse', function (this: unknown, ...args: unknown[]): string {
    const [id, key, options] = args;
    if (typeof id !== 'string' || typeof key !== 'string' || !isBlockOptions(options)) {
      throw new Error('{{#reuse id key}} needs a string id and key, and a block');
    }
    const kept = fragments.get(id);
    if (kept && kept.key === key) return kept.html;
    const html = options.fn(this);
    // Deleting first moves the id to the end, so the oldest drawn are the first evicted.
    fragments.delete(id);
    fragments.set(id, { key, html });
    if (fragments.size > maxFragments) {
      const oldest = fragments.keys().next();
      if (!oldest.done) fragments.delete(oldest.value);
    }
    return html;
  });
  // Views are compiled once, whatever NODE_ENV says: hbs otherwise reads and compiles the view on every request.
  const express: ExpressEngine = (path, options, callback) => instance.__express(path, { ...options, cache: true }, callback);
  return {
    viewsDir,
    express,
    render: (view, model) =>
      new Promise((resolve, reject) => {
        const options = { ...model, settings: { views: viewsDir } };
        express(join(viewsDir, `${view}.${EXTENSION}`), options, (err, html) => {
          if (err) reject(err);
          else resolve(html ?? '');
        });
      }),
    renderPartial: (name, model) => {
      let template = partialTemplates.get(name);
      if (!template) {
        // Only names read from the partials folder get into the template source.
        if (!partialNames.has(name)) throw new Error(`No partial named '${name}' in ${partialsDir}`);
        template = instance.handlebars.compile(`{{> ${name}}}`);
        partialTemplates.set(name, template);
      }
      return template(model);
    },
    forgetFragment: (id) => {
      fragments.delete(id);
    },
  };
}

/**
 * Wires the dashboard's views, partials and static assets (served under
 * /static/) into the app. Every view opens and closes the page with the
 * page-start and page-end partials rather than a layout, so that no template
 * needs a raw `{{{body}}}`: all output is escaped.
 */
export function configureViewEngine(app: NestExpressApplication, engine: ViewEngine = createViewEngine()): void {
  app.setBaseViewsDir(engine.viewsDir);
  app.engine(EXTENSION, engine.express);
  app.setViewEngine(EXTENSION);
  app.useStaticAssets(PUBLIC_DIR, { prefix: '/static/' });
  app.useStaticAssets(UPLOT_DIST_DIR, { prefix: UPLOT_PREFIX });
}
