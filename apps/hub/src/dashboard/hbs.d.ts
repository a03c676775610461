// hbs ships no type declarations; this covers the part of its API the dashboard uses.
declare module 'hbs' {
  type RenderCallback = (err: Error | null, html?: string) => void;

  interface HbsInstance {
    /** Express-compatible render function: renders `filename` (inside `options.settings.views`/layout.hbs where that exists; the dashboard has none). */
    __express(filename: string, options: object, callback: RenderCallback): void;
    registerPartial(name: string, template: string): void;
    /** The instance's own Handlebars, with its partials; `{{ }}` escapes HTML. */
    handlebars: {
      compile(template: string): (context: object) => string;
      /** A block helper's return value goes into the output as it is: it is the block's own, already escaped, output. */
      registerHelper(name: string, helper: (this: unknown, ...args: unknown[]) => string): void;
    };
  }

  interface HbsModule extends HbsInstance {
    /** A separate instance with its own partials and helpers. */
    create(): HbsInstance;
  }

  const hbs: HbsModule;
  export = hbs;
}
